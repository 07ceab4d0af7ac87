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

"""Errors only the REST API raises, and the JSON fault bodies of all
errors.

Every error answer has the body ``{"error": {"message", "error_code",
"error_data"}}`` and the HTTP status of the error; internal faults answer a
generic 500 and are logged, never shown.
"""

import collections

from oslo_db import exception as db_exc
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils
import sqlalchemy.exc as sa_exc
import webob
from webob import exc as webob_exc
from webob import headers as webob_headers

from congress import exception
from congress.i18n import _

LOG = logging.getLogger(__name__)


class MethodNotAllowed(exception.CongressException):
    """The URL exists but not with that method (``Allow`` lists those it
    has)."""

    msg_fmt = _('Method %(method)s is not allowed on %(path)s')
    code = 405
    error_code = 1005


class UnsupportedMediaType(exception.CongressException):
    """The request body is not ``application/json``."""

    msg_fmt = _('Content type %(content_type)s is not supported; send '
                'application/json')
    code = 415
    error_code = 1006


class RequestTooLarge(exception.CongressException):
    """The request body is larger than ``[api] max_request_body_size``."""

    msg_fmt = _('The request body is larger than %(limit)d bytes')
    code = 413
    error_code = 1007


class NotAcceptable(exception.CongressException):
    """The client accepts no JSON answer."""

    msg_fmt = _('This API answers in application/json only')
    code = 406
    error_code = 1008


class Unauthorized(exception.CongressException):
    """No valid token came with the request (keystonemiddleware refused
    it)."""

    msg_fmt = _('Authentication required')
    code = 401
    error_code = 1010


class PushNotSupported(exception.BadRequest):
    """The data source's driver polls: it takes no pushed rows or
    notifications."""

    msg_fmt = _('Data source %(name)s (driver %(driver)s) is not a push '
                'driver: it does not accept %(what)s')
    error_code = 1022


class NoWebhookHandler(exception.BadRequest):
    """The data source's push driver takes pushed rows but no webhook
    notifications."""

    msg_fmt = _('Data source %(name)s (driver %(driver)s) has no webhook '
                'handler: push its rows with PUT '
                '.../tables/<table>/rows')
    error_code = 1024


# error codes of plain HTTP errors (pecan routing, middleware)
_HTTP_ERROR_CODES = {
    400: exception.BadRequest.error_code,
    401: Unauthorized.error_code,
    403: exception.Forbidden.error_code,
    404: exception.NotFound.error_code,
    405: MethodNotAllowed.error_code,
    406: NotAcceptable.error_code,
    409: exception.Conflict.error_code,
    413: RequestTooLarge.error_code,
    415: UnsupportedMediaType.error_code,
    503: exception.ServiceUnavailable.error_code,
}

#: Headers of a plain HTTP error that its fault keeps.
_KEPT_HEADERS = ('Allow', 'Retry-After', 'WWW-Authenticate',
                 'X-OpenStack-Request-Id')

_FAULT_KEYS = {'message', 'error_code', 'error_data'}


def error_code_for_status(status):
    return _HTTP_ERROR_CODES.get(status,
                                 exception.CongressException.error_code)


def fault_body(message, error_code, error_data=None):
    return {'error': {'message': message, 'error_code': error_code,
                      'error_data': error_data}}


def json_response(status, body, headers=None):
    response = webob.Response(status=status, content_type='application/json',
                              charset='UTF-8')
    response.body = jsonutils.dump_as_bytes(body)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def is_fault(body):
    """Whether ``body`` (bytes) is the error JSON already."""
    try:
        error = jsonutils.loads(body).get('error')
    except Exception:
        return False
    return isinstance(error, dict) and set(error) == _FAULT_KEYS


def _error_data(exc):
    if isinstance(exc, exception.PolicyException):
        data = {'line': exc.line, 'column': exc.column}
        if exc.data is not None:
            data['detail'] = exc.data
        return data
    return exc.data


#: Errors of an unreachable database: the connection failed or broke,
#: or no pooled connection came free in time.
_DATABASE_DOWN = (db_exc.DBConnectionError, sa_exc.OperationalError,
                  sa_exc.TimeoutError)


def _unavailable(exc):
    """The ServiceUnavailable that answers a dependency's outage ``exc``,
    or None if ``exc`` is not one."""
    inner = getattr(exc, 'inner_exception', None)
    if isinstance(exc, _DATABASE_DOWN) or isinstance(
            inner, sa_exc.OperationalError):
        return exception.DatabaseUnavailable()
    if isinstance(exc, (messaging.MessageDeliveryFailure,
                        messaging.MessagingTimeout)):
        return exception.RPCError(reason=str(exc))
    return None


def _where(request):
    return (getattr(request, 'method', None) or '?',
            getattr(request, 'path', None) or '?')


class _Fault(collections.namedtuple(
        '_Fault', 'status message error_code data headers')):
    """What an error answer says: every error body is made of one."""


def _congress_fault(exc):
    headers = {}
    if getattr(exc, 'allow', None):
        headers['Allow'] = ', '.join(exc.allow)
    if isinstance(exc, exception.ServiceUnavailable):
        headers['Retry-After'] = str(exc.retry_after)
    elif exc.code >= 500:
        LOG.error('Request failed with %(cls)s: %(msg)s',
                  {'cls': exc.__class__.__name__, 'msg': exc.message})
    return _Fault(exc.code, exc.message, exc.error_code, _error_data(exc),
                  headers)


def _http_fault(status, message, headers, request):
    """The fault of a plain HTTP error (of pecan's routing, webob or a
    middleware in front of the app) with ``message`` and ``headers``."""
    kept = {name: headers[name] for name in _KEPT_HEADERS
            if headers.get(name)}
    method, path = _where(request)
    if status == 401:
        message = _('Authentication required: %s') % message
    elif status == 404 and request is not None:
        message = _('The resource %s could not be found') % path
    elif status == 405:
        message = MethodNotAllowed.msg_fmt % {'method': method,
                                              'path': path}
    elif status == 406:
        message = NotAcceptable.msg_fmt
    elif status == 503:
        # an outage of what is in front (keystone for auth_token)
        kept.setdefault('Retry-After',
                        str(exception.ServiceUnavailable.retry_after))
    elif status >= 500:
        LOG.error('HTTP %(status)s answering %(method)s %(path)s: '
                  '%(detail)s', {'status': status, 'method': method,
                                 'path': path, 'detail': message})
        message = _('The server could not answer the request.')
    return _Fault(status, str(message), error_code_for_status(status), None,
                  kept)


def _fault(exc, request):
    """The fault that answers ``exc``, whatever it is: a dependency's
    outage (503), a Congress error, a plain HTTP error, or anything else
    (a generic 500, its traceback logged)."""
    unavailable = _unavailable(exc)
    if unavailable is not None:
        method, path = _where(request)
        LOG.warning('%(method)s %(path)s answered 503: %(cls)s: %(e)s',
                    {'method': method, 'path': path,
                     'cls': exc.__class__.__name__, 'e': exc})
        exc = unavailable
    if isinstance(exc, exception.CongressException):
        return _congress_fault(exc)
    if isinstance(exc, webob_exc.HTTPException):
        return _http_fault(exc.code, exc.detail or exc.explanation or
                           exc.title, exc.headers, request)
    method, path = _where(request)
    LOG.error('Unexpected error answering %(method)s %(path)s',
              {'method': method, 'path': path}, exc_info=exc)
    return _Fault(500, _('An internal error occurred; it has been logged.'),
                  exception.CongressException.error_code, None, {})


def _response(fault, request):
    headers = dict(fault.headers)
    request_id = getattr(request, 'environ', {}).get('openstack.request_id')
    if request_id:
        headers['X-OpenStack-Request-Id'] = request_id
    return json_response(fault.status, fault_body(
        fault.message, fault.error_code, fault.data), headers)


def fault_for(exc, request=None):
    """The ``(status, body, headers)`` that answer ``exc``."""
    fault = _fault(exc, request)
    return fault.status, fault_body(fault.message, fault.error_code,
                                    fault.data), fault.headers


def response_for(exc, request=None):
    """The error answer to ``exc`` (raised serving ``request``, a webob
    request, when known): the one way every error body is made."""
    return _response(_fault(exc, request), request)


def response_for_answer(status, headers, body, request=None):
    """The error answer that replaces a middleware's error answer
    (``status`` line, WSGI ``headers``, ``body`` bytes) that is not the
    error JSON: its status, and the message of its body or status."""
    code, _sep, reason = status.partition(' ')
    try:
        error = jsonutils.loads(body).get('error')
    except Exception:
        error = None
    message = error.get('message') if isinstance(error, dict) else None
    fault = _http_fault(int(code), message or reason or code,
                        webob_headers.ResponseHeaders(headers), request)
    return _response(fault, request)
