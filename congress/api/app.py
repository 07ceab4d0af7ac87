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

"""The API application: the pecan app, its WSGI guard and the paste
factories of etc/congress/api-paste.ini."""

import io
import os
import sys
import threading
import time
import weakref

from oslo_log import log as logging
from oslo_middleware import cors
from paste import deploy
import pecan
import webob

import congress
from congress.api.controllers import root
from congress.api import errors
from congress.api import hooks
from congress.api import request_input
from congress import conf
from congress.conf import opts
from congress.dse import rpcapi
from congress import exception
from congress.i18n import _
from congress.policy import dseruntime

CONF = conf.CONF
LOG = logging.getLogger(__name__)

PASTE_APP_NAME = 'congress'

_BACKENDS = None
_BACKENDS_LOCK = threading.Lock()


class Backends(object):
    """What the controllers work with: the node (its service directory),
    DseRuntime for executions, bus clients, and, in a process that also
    runs the data sources, their manager."""

    def __init__(self, node, runtime=None, ds_api=None, engine_api=None,
                 manager=None):
        self.node = node
        self.runtime = runtime or dseruntime.DseRuntime(node)
        self.ds_api = ds_api or rpcapi.DataSourceAPI()
        self.engine_api = engine_api or rpcapi.EngineAPI()
        self.manager = manager


def set_backends(backends):
    """Backends the paste app factory hands to the apps it builds."""
    global _BACKENDS
    with _BACKENDS_LOCK:
        _BACKENDS = backends


def get_backends():
    with _BACKENDS_LOCK:
        if _BACKENDS is None:
            raise RuntimeError('congress.api.app.set_backends() must be '
                               'called before the API app is built')
        return _BACKENDS


#: Keys under which pecan and webob leave in the environ an object that
#: refers back to the environ (pecan's request; the parsed query string).
#: Dropped once the app has answered: with them, each request left the
#: environ and all it holds (the token's data, the context, the body) to
#: the garbage collector, whose collections stop every request in flight.
_ENVIRON_CYCLES = ('pecan.locals', 'webob._parsed_query_vars')


class ApiGuard(object):
    """Outermost layer of the Congress app: JSON only, body size limit,
    no traceback ever, one access log line per request, no reference cycle
    left in the environ (``_ENVIRON_CYCLES``)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.monotonic()
        method = environ.get('REQUEST_METHOD')
        path = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
        seen = {}

        def logging_start_response(status, headers, exc_info=None):
            seen['status'] = status.split(' ', 1)[0]
            return start_response(status, headers, exc_info)

        # every answer is JSON, whatever the client accepts
        environ['HTTP_ACCEPT'] = 'application/json'
        try:
            self._check_request(environ)
            result = self.app(environ, logging_start_response)
        except Exception as exc:
            result = errors.response_for(exc, webob.Request(environ))(
                environ, logging_start_response)
        finally:
            for key in _ENVIRON_CYCLES:
                environ.pop(key, None)
        LOG.info('%(method)s %(path)s -> %(status)s (%(ms).1f ms)',
                 {'method': method, 'path': path,
                  'status': seen.get('status', '-'),
                  'ms': (time.monotonic() - started) * 1000.0})
        return result

    @staticmethod
    def _check_request(environ):
        """Refuse a URL no route could take; read the body whole (within
        ``max_request_body_size``) and decode a JSON one, so that nothing
        behind reads a body that is too large, incomplete or malformed."""
        request_input.check_url(environ)
        limit = CONF.api.max_request_body_size
        length = environ.get('CONTENT_LENGTH') or None
        if length is not None:
            if not length.isdigit():
                raise exception.BadRequest(
                    reason=_('Content-Length is not a number'))
            length = int(length)
            if length > limit:
                raise errors.RequestTooLarge(limit=limit)
        elif not (environ.get('wsgi.input_terminated') or 'chunked' in
                  environ.get('HTTP_TRANSFER_ENCODING', '').lower()):
            return
        if length == 0 or 'wsgi.input' not in environ:
            return
        try:
            body = environ['wsgi.input'].read(
                limit + 1 if length is None else length)
        except OSError as exc:
            # the client stopped sending for [api] client_socket_timeout
            raise exception.BadRequest(
                reason=_('the body did not arrive (%s)') % exc)
        if len(body) > limit:
            raise errors.RequestTooLarge(limit=limit)
        if length is not None and len(body) < length:
            raise exception.BadRequest(
                reason=_('the body is shorter than its Content-Length'))
        environ['wsgi.input'] = io.BytesIO(body)
        environ['CONTENT_LENGTH'] = str(len(body))
        content_type = environ.get('CONTENT_TYPE')
        if not request_input.is_blank(body) and (
                not content_type or request_input.is_json(content_type)):
            environ[request_input.JSON_BODY] = request_input.load_json(body)


def _remembered_argspecs(getargspec):
    """pecan's ``getargspec``, worked out once for each controller function
    (pecan works it out anew at every request, a namedtuple class and an
    ``inspect`` signature each time: 11 % of the API's CPU time on ``GET
    /`` and 10 % on an execute, in the GIL profile). A bound method has the
    argspec of its function; a function that is gone leaves the cache."""
    remembered = weakref.WeakKeyDictionary()

    def argspec(method):
        function = getattr(method, '__func__', method)
        try:
            return remembered[function]
        except (KeyError, TypeError):
            spec = getargspec(method)
        try:
            remembered[function] = spec
        except TypeError:
            pass  # a callable that takes no weak reference: not kept
        return spec

    argspec.remembered = remembered
    return argspec


if not hasattr(pecan.core.getargspec, 'remembered'):
    pecan.core.getargspec = _remembered_argspecs(pecan.core.getargspec)


def setup_app(backends):
    """The pecan app (with its guard) that serves with ``backends``."""
    app = pecan.make_app(
        root.RootController(),
        hooks=[hooks.FaultHook(), hooks.ContextHook(),
               hooks.BackendHook(backends), hooks.QueryParamsHook()],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
        logging={})
    return ApiGuard(app)


# paste factories


def app_factory(global_conf, **local_conf):
    """``[app:congressapp]``."""
    return setup_app(get_backends())


def cors_filter_factory(global_conf, **local_conf):
    """``[filter:cors]``: oslo.middleware's CORS with the ``[cors]``
    options of the process' own configuration, Congress' defaults under
    them (those of the sample)."""
    opts.set_cors_defaults()

    def make(app):
        return cors.CORS(app, CONF)
    return make


class FaultWrap(object):
    """Outermost filter: error answers of the middleware in front of the
    app (auth_token's 401, a proxy filter's 400...) that are not the error
    JSON are answered again with it, and unexpected exceptions become a
    logged, generic 500 (both by ``congress.api.errors``)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            code = int(status.split(' ', 1)[0])
            if code >= 400:
                captured.update(status=status, headers=headers)
                return lambda data: None
            return start_response(status, headers, exc_info)

        try:
            result = self.app(environ, capture)
            if not captured:
                return result
            try:
                body = b''.join(result)
            finally:
                if hasattr(result, 'close'):
                    result.close()
        except Exception as exc:
            return errors.response_for(exc, webob.Request(environ))(
                environ, start_response)
        if errors.is_fault(body):
            start_response(captured['status'], captured['headers'])
            return [body]
        response = errors.response_for_answer(
            captured['status'], captured['headers'], body,
            webob.Request(environ))
        return response(environ, start_response)


def fault_filter_factory(global_conf, **local_conf):
    """``[filter:faultwrap]``."""
    return FaultWrap


def pipeline_factory(loader, global_conf, **local_conf):
    """A composite that picks the pipeline named after ``[api]
    auth_strategy``."""
    strategy = CONF.api.auth_strategy
    if strategy not in local_conf:
        raise ValueError(_('api-paste.ini has no pipeline for '
                           'auth_strategy %s') % strategy)
    names = local_conf[strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app


_IDENTITY_HEADERS = ('HTTP_X_USER_ID', 'HTTP_X_USER', 'HTTP_X_USER_NAME',
                     'HTTP_X_PROJECT_ID', 'HTTP_X_PROJECT_NAME',
                     'HTTP_X_TENANT_ID', 'HTTP_X_TENANT', 'HTTP_X_ROLES',
                     'HTTP_X_ROLE', 'HTTP_X_DOMAIN_ID', 'HTTP_X_DOMAIN_NAME',
                     'HTTP_X_USER_DOMAIN_ID', 'HTTP_X_PROJECT_DOMAIN_ID',
                     'HTTP_X_IDENTITY_STATUS', 'HTTP_X_SERVICE_ROLES',
                     'HTTP_X_SYSTEM_SCOPE', 'HTTP_X_IS_ADMIN_PROJECT')


class VersionsSplit(object):
    """``GET /`` and ``GET /v1`` go to ``versions`` (no token needed, a bad
    one ignored); everything else to ``api``."""

    VERSION_PATHS = ('', '/v1')

    def __init__(self, versions, api):
        self.versions = versions
        self.api = api

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '').rstrip('/')
        if (path in self.VERSION_PATHS and
                environ.get('REQUEST_METHOD') in ('GET', 'HEAD')):
            for header in _IDENTITY_HEADERS:
                environ.pop(header, None)
            return self.versions(environ, start_response)
        return self.api(environ, start_response)


def root_factory(loader, global_conf, **local_conf):
    """``[composite:congress]``."""
    return VersionsSplit(loader.get_app(local_conf['versions']),
                         loader.get_app(local_conf['api']))


def find_paste_config():
    """Where api-paste.ini is: ``[api] api_paste_config`` as given (an
    absolute path), found next to the config files, or the copy shipped
    with the source tree or installed under ``<prefix>/etc/congress``."""
    name = CONF.api.api_paste_config
    if os.path.isabs(name):
        if os.path.exists(name):
            return name
        raise FileNotFoundError(_('api_paste_config %s not found') % name)
    found = CONF.find_file(name)
    if found:
        return os.path.abspath(found)
    candidates = [
        os.path.join(os.path.dirname(os.path.dirname(congress.__file__)),
                     'etc', 'congress', name),
        os.path.join(sys.prefix, 'etc', 'congress', name),
        os.path.join('/etc/congress', name),
    ]
    for candidate in candidates:
        if os.path.exists(candidate):
            return os.path.abspath(candidate)
    raise FileNotFoundError(_('api_paste_config %(name)s not found; looked '
                              'next to the config files and in %(where)s')
                            % {'name': name, 'where': ', '.join(candidates)})


def load_app(backends):
    """The whole pipeline of api-paste.ini, serving with ``backends``."""
    set_backends(backends)
    path = find_paste_config()
    LOG.info('Loading the API pipeline from %(path)s (auth_strategy '
             '%(auth)s)', {'path': path, 'auth': CONF.api.auth_strategy})
    return deploy.loadapp('config:%s' % path, name=PASTE_APP_NAME)
