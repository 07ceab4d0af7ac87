#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Pecan hooks: the request context, the backends and JSON faults."""

from oslo_log import log as logging
import pecan

from congress.api.controllers import base
from congress.api import errors
from congress import conf
from congress import context as congress_context

CONF = conf.CONF
LOG = logging.getLogger(__name__)

NOAUTH_USER = 'admin'
NOAUTH_PROJECT = 'admin'


def context_from_environ(environ):
    """A RequestContext for one API call.

    With ``auth_strategy = keystone`` it comes from the headers that
    keystonemiddleware's auth_token set (X-User-Id, X-Project-Id, X-Roles,
    X-Domain-Id, ...); with ``noauth`` the caller is an admin.
    """
    request_id = environ.get('openstack.request_id')
    global_request_id = environ.get('openstack.global_request_id')
    if CONF.api.auth_strategy == 'noauth':
        return congress_context.RequestContext(
            user_id=NOAUTH_USER, project_id=NOAUTH_PROJECT, roles=['admin'],
            is_admin=True, request_id=request_id,
            global_request_id=global_request_id, overwrite=False)
    ctx = congress_context.RequestContext.from_environ(
        environ, request_id=request_id, overwrite=False)
    ctx.is_admin = 'admin' in [r.lower() for r in ctx.roles]
    return ctx


class ContextHook(pecan.hooks.PecanHook):
    """Puts ``request.context`` (a RequestContext) on every request."""

    priority = 10

    def before(self, state):
        state.request.context = context_from_environ(state.request.environ)


class BackendHook(pecan.hooks.PecanHook):
    """Puts the backends (node, DseRuntime, bus clients) on the request
    as ``request.backends``."""

    priority = 20

    def __init__(self, backends):
        self.backends = backends

    def before(self, state):
        state.request.backends = self.backends


class FaultHook(pecan.hooks.PecanHook):
    """Answers every error of a controller with the error JSON (see
    ``errors.response_for``)."""

    priority = 1

    def on_error(self, state, exc):
        return errors.response_for(exc, state.request)


class QueryParamsHook(pecan.hooks.PecanHook):
    """Refuses query parameters the handler does not take (see
    ``controllers.base.when``) with 400, before it runs."""

    priority = 30

    def before(self, state):
        allowed = getattr(state.controller, 'query_params', frozenset())
        if allowed is not base.BY_ACTION:
            base.check_query_params(allowed)
