"""Errors only the REST API raises, and the JSON fault bodies of all
errors.

Every error answer has the body ``{"error": {"message", "error_code",
"error_data"}}`` and the HTTP status of the error; internal faults answer a
generic 500 and are logged, never shown.
"""

from oslo_db import exception as db_exc
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils
import sqlalchemy.exc as sa_exc
import webob
from webob import exc as webob_exc

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
    403: exception.Forbidden.error_code,
    404: exception.NotFound.error_code,
    405: MethodNotAllowed.error_code,
    406: NotAcceptable.error_code,
    409: exception.Conflict.error_code,
    413: RequestTooLarge.error_code,
    415: UnsupportedMediaType.error_code,
}


def error_code_for_status(status):
    if status == Unauthorized.code:
        return Unauthorized.error_code
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


def fault_for(exc, request=None):
    """The ``(status, body, headers)`` that answer ``exc``."""
    unavailable = _unavailable(exc)
    if unavailable is not None:
        LOG.warning('%(method)s %(path)s answered 503: %(cls)s: %(e)s',
                    {'method': getattr(request, 'method', '?'),
                     'path': getattr(request, 'path', '?'),
                     'cls': exc.__class__.__name__, 'e': exc})
        exc = unavailable
    if isinstance(exc, exception.CongressException):
        status = exc.code
        message = exc.message
        if status >= 500 and not isinstance(
                exc, exception.ServiceUnavailable):
            LOG.error('Request failed with %(cls)s: %(msg)s',
                      {'cls': exc.__class__.__name__, 'msg': exc.message})
        headers = {}
        if getattr(exc, 'allow', None):
            headers['Allow'] = ', '.join(exc.allow)
        if isinstance(exc, exception.ServiceUnavailable):
            headers['Retry-After'] = str(exc.retry_after)
        return status, fault_body(message, exc.error_code,
                                  _error_data(exc)), headers
    if isinstance(exc, webob_exc.HTTPException):
        status = exc.code
        headers = {}
        if status == 404:
            path = request.path if request is not None else ''
            message = _('The resource %s could not be found') % path
        elif status == 405:
            method = request.method if request is not None else ''
            path = request.path if request is not None else ''
            message = MethodNotAllowed.msg_fmt % {'method': method,
                                                  'path': path}
            allow = exc.headers.get('Allow')
            if allow:
                headers['Allow'] = allow
        elif status == 406:
            message = NotAcceptable.msg_fmt
        elif status < 500:
            message = exc.detail or exc.explanation or exc.title
        else:
            LOG.error('HTTP %(status)s: %(detail)s',
                      {'status': status, 'detail': exc.detail})
            message = _('The server could not answer the request.')
        code = error_code_for_status(status)
        return status, fault_body(str(message), code), headers
    LOG.error('Unexpected error answering %(method)s %(path)s',
              {'method': getattr(request, 'method', '?'),
               'path': getattr(request, 'path', '?')}, exc_info=exc)
    return 500, fault_body(_('An internal error occurred; it has been '
                             'logged.'),
                           exception.CongressException.error_code), {}


def response_for(exc, request=None):
    status, body, headers = fault_for(exc, request)
    return json_response(status, body, headers)
