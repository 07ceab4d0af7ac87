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

"""Errors Congress raises, each with the HTTP status and error code the API
answers with.

``error_code`` values are part of the REST contract (python-congressclient
and tempest read them); keep them stable.
"""

from congress.i18n import _


class CongressException(Exception):
    """Base of every error Congress reports to a caller.

    ``code`` is the HTTP status the API answers with, ``error_code`` the
    numeric code in the fault body and ``data`` optional extra detail.
    """

    msg_fmt = _('An unknown error occurred.')
    code = 500
    error_code = 1000

    def __init__(self, message=None, data=None, **kwargs):
        self.kwargs = kwargs
        self.data = data
        if message is None:
            message = self.msg_fmt % kwargs
        self.message = str(message)
        super().__init__(self.message)
        if data is not None:
            # oslo.messaging rebuilds an error on the caller's side as
            # cls(*args, **kwargs): the data must be among the kwargs
            self.kwargs['data'] = data


class BadRequest(CongressException):
    """The request is malformed: bad JSON, a wrong type, an unknown key or
    parameter, a missing or repeated ``action``."""

    msg_fmt = _('Bad request: %(reason)s')
    code = 400
    error_code = 1001


class NotFound(CongressException):
    """No such resource (or URL)."""

    msg_fmt = _('%(resource)s %(id)s not found')
    code = 404
    error_code = 1002


class Conflict(CongressException):
    """The request conflicts with what is stored (a name is taken)."""

    msg_fmt = _('Conflict: %(reason)s')
    code = 409
    error_code = 1003


class Forbidden(CongressException):
    """The access rules (policy.yaml) do not allow the request."""

    msg_fmt = _('Forbidden: %(reason)s')
    code = 403
    error_code = 1004


class ServiceNotFound(CongressException):
    """The named cloud service is not on the bus."""

    msg_fmt = _('Service %(service)s not found')
    code = 404
    error_code = 1016


class InvalidActionName(BadRequest):
    """The action name is not ``service:action`` (or, on a data source,
    ``action``) with a valid dotted action."""

    msg_fmt = _('Invalid action name "%(name)s": %(reason)s')
    error_code = 1017


class InvalidActionArguments(BadRequest):
    """The action arguments are not ``{"positional": [...], "named":
    {...}}``."""

    msg_fmt = _('Invalid action arguments: %(reason)s')
    error_code = 1018


class ActionNotFound(BadRequest):
    """The service exists but does not offer the action."""

    msg_fmt = _('Service %(service)s offers no action %(action)s')
    error_code = 1019


class ActionFailed(CongressException):
    """An action raised an error; its text has secrets masked. It ends
    the execution record ``failed`` and is never an API answer."""

    msg_fmt = '%(reason)s'
    error_code = 1023


class ActionNotAllowed(Forbidden):
    """The [execution] allow/deny lists refuse the action."""

    msg_fmt = _('Action %(name)s is not allowed by the execution settings '
                'of this deployment: %(reason)s')
    error_code = 1020


class DriverNotFound(NotFound):
    """No such driver is installed and enabled."""

    msg_fmt = _('Driver %(driver)s not found')
    error_code = 1021


class PolicyException(BadRequest):
    """A policy, rule or query the engine cannot accept.

    ``line`` and ``column`` locate the problem in the rule text when known.
    """

    msg_fmt = _('Policy error: %(reason)s')
    error_code = 1100

    def __init__(self, message=None, line=None, column=None, **kwargs):
        self.line = line
        self.column = column
        super().__init__(message, **kwargs)
        # kept with the format arguments so the error crosses the bus whole
        self.kwargs.update(line=line, column=column)


class PolicySyntaxError(PolicyException):
    """The rule text does not parse."""

    error_code = 1101


class UnsafeRule(PolicyException):
    """A variable of the rule is not bound by a positive body literal."""

    error_code = 1102


class SchemaMismatch(PolicyException):
    """A literal does not fit the columns of its table."""

    error_code = 1103


class RecursionNotAllowed(PolicyException):
    """The rules of a nonrecursive policy depend on themselves."""

    error_code = 1104


class DuplicateRule(Conflict):
    """The policy already has this rule."""

    msg_fmt = _('Rule already exists in policy %(policy)s: %(rule)s')
    error_code = 1105


class ExecutionNotAwaitingApproval(Conflict):
    """An approval or rejection of an action that is not (or no longer)
    awaiting approval: another admin decided first, or it expired."""

    msg_fmt = _('Execution %(id)s is %(status)s, not awaiting approval '
                '(decided by %(by)s at %(at)s)')
    error_code = 1030


class ServiceUnavailable(CongressException):
    """A part Congress depends on (the message bus, the database) is
    unreachable; the caller may try again after ``retry_after`` seconds.
    """

    msg_fmt = _('Service unavailable: %(reason)s')
    code = 503
    error_code = 1202
    retry_after = 5


class RPCError(ServiceUnavailable):
    """The message bus or the policy engine did not answer."""

    msg_fmt = _('The message bus failed: %(reason)s')
    error_code = 1200


class DatabaseUnavailable(ServiceUnavailable):
    """The database did not answer."""

    msg_fmt = _('The database is unavailable; try again later.')
    error_code = 1201
