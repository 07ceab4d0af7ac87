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

"""What every controller uses: bodies, actions, authorization, links."""

import datetime

import pecan

from congress.api import errors
from congress.api import policy_enforcer
from congress.api import request_input
from congress import exception
from congress.i18n import _


def expose_resource(fn):
    """``@pecan.expose`` for a resource whose methods are declared with
    ``@<name>.when(method=...)``; any other method answers 405."""
    def not_allowed(self, *args, **kwargs):
        exc = errors.MethodNotAllowed(method=pecan.request.method,
                                      path=pecan.request.path)
        exc.allow = sorted(set(generic._pecan['allowed_methods']))
        raise exc
    generic = pecan.expose(generic=True, template='json')(not_allowed)
    return generic


#: ``when(..., params=BY_ACTION)``: the handler picked by the ``?action=``
#: (see ``action_param``) says which query parameters it takes.
BY_ACTION = None


def allows(*names):
    """Declare the query parameters a handler takes; any other one is
    refused with 400 before it runs."""
    def decorate(fn):
        fn.query_params = frozenset(names)
        return fn
    return decorate


def when(resource, method, params=()):
    """``method`` of ``resource`` (see ``expose_resource``) taking the
    query parameters ``params``."""
    def decorate(fn):
        fn.query_params = (BY_ACTION if params is BY_ACTION
                           else frozenset(params))
        return resource.when(method=method, template='json')(fn)
    return decorate


def check_query_params(allowed):
    """Raise BadRequest if the request has a query parameter not in
    ``allowed``."""
    unknown = sorted(set(pecan.request.GET) - set(allowed))
    if unknown:
        raise exception.BadRequest(
            reason=_('unknown query parameter(s) %(unknown)s; this call '
                     'takes: %(allowed)s') % {
                'unknown': ', '.join('"%s"' % u for u in unknown),
                'allowed': ', '.join(sorted(allowed)) or _('none')})


def context():
    return pecan.request.context


def backends():
    return pecan.request.backends


def authorize(rule, target=None):
    policy_enforcer.authorize(rule, context(), target)


def base_url():
    """The URL of the API root as the caller sees it (no trailing /)."""
    return pecan.request.application_url.rstrip('/')


def link(*parts):
    return '/'.join([base_url()] + [str(p) for p in parts])


def set_status(code, location=None):
    pecan.response.status = code
    if location:
        pecan.response.headers['Location'] = location


def empty_200():
    """200 with an empty body, as the reference answers a push.

    pecan turns a 200 whose body is empty into a 204; a body given as a
    generator of one empty chunk is not looked into, so it stays a 200.
    """
    response = pecan.response
    response.status = 200
    response.content_type = None
    response.app_iter = (chunk for chunk in (b'',))
    response.content_length = 0
    return response


def json_body(empty=None, required=True):
    """The decoded JSON body (decoded and checked by the API guard, see
    ``congress.api.request_input``).

    An empty body gives ``empty`` when ``required`` is False; a body in
    another content type answers 415.
    """
    request = pecan.request
    raw = request.body
    if request_input.is_blank(raw):
        if required:
            raise exception.BadRequest(reason=_('a JSON body is required'))
        return empty
    content_type = request.content_type
    if content_type and not request_input.is_json(content_type):
        raise errors.UnsupportedMediaType(content_type=content_type)
    return request.environ[request_input.JSON_BODY]


def json_object(empty=None, required=True):
    body = json_body(empty=empty, required=required)
    if body is not empty and not isinstance(body, dict):
        raise exception.BadRequest(reason=_('the body must be a JSON '
                                            'object'))
    return body


def query_param(name, default=None):
    """A query parameter given at most once."""
    values = pecan.request.GET.getall(name)
    if len(values) > 1:
        raise exception.BadRequest(
            reason=_('query parameter "%s" is given more than once') % name)
    return values[0] if values else default


def bool_param(name, default=False):
    value = query_param(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ('true', '1', 'yes', 'on'):
        return True
    if lowered in ('false', '0', 'no', 'off', ''):
        return False
    raise exception.BadRequest(
        reason=_('query parameter "%(name)s" must be true or false, not '
                 '"%(value)s"') % {'name': name, 'value': value})


def action_param(handlers):
    """The handler of the one ``?action=`` of an element POST.

    ``handlers`` maps action names (``request-refresh``) to callables,
    which take the query parameters declared with ``allows`` besides
    ``action``.
    """
    values = pecan.request.GET.getall('action')
    if not values:
        raise exception.BadRequest(
            reason=_('an "action" query parameter is required; one of: '
                     '%s') % ', '.join(sorted(handlers)))
    if len(values) > 1:
        raise exception.BadRequest(
            reason=_('exactly one "action" query parameter is allowed'))
    handler = handlers.get(values[0])
    if handler is None:
        raise exception.BadRequest(
            reason=_('unknown action "%(action)s"; supported: %(known)s')
            % {'action': values[0], 'known': ', '.join(sorted(handlers))})
    check_query_params(
        {'action'} | getattr(handler, 'query_params', frozenset()))
    return handler


def primitive(value):
    """JSON-friendly copy: datetimes as ISO 8601 text (UTC)."""
    if isinstance(value, dict):
        return {k: primitive(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [primitive(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(
                tzinfo=None)
        return value.isoformat() + 'Z'
    return value
