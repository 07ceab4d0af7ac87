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

"""The execute action shared by data sources and policies."""

from congress.api.controllers import base
from congress.api import validation
from congress import exception
from congress.execution import calls
from congress.execution import names
from congress.i18n import _

ARGS = {
    'type': ['object', 'null'],
    'properties': {
        'positional': {'type': 'array'},
        'named': {'type': 'object'},
    },
    'additionalProperties': False,
}

# the contract's reasons of a wrong type in args (error code 1018)
_ARGS_TYPE_REASONS = {
    ('args',): _('"args" must be an object with "positional" and "named"'),
    ('args', 'positional'): _('"positional" must be a list'),
    ('args', 'named'): _('"named" must be an object'),
}

BODY = {
    'type': 'object',
    'properties': {
        # "<service>:<action>", or the action alone on a data source
        'name': {'type': 'string', 'minLength': 1,
                 'maxLength': names.MAX_SERVICE_LENGTH + 1 +
                 names.MAX_ACTION_LENGTH},
        'args': ARGS,
        'dry_run': {'type': 'boolean'},
    },
    'required': ['name'],
    'additionalProperties': False,
}


def _error_for(path, error):
    if path in _ARGS_TYPE_REASONS and error.validator == 'type':
        return lambda reason: exception.InvalidActionArguments(
            reason=_ARGS_TYPE_REASONS[path])
    if path[:1] == ('args',):
        return lambda reason: exception.InvalidActionArguments(reason=reason)
    if path[:1] == ('name',) or (
            not path and error.validator == 'required'):
        # a name of the wrong type may be anything: it is not shown
        shown = error.instance if path and isinstance(error.instance,
                                                      str) else ''
        return lambda reason: exception.InvalidActionName(
            name=shown[:40], reason=reason)
    return None


def _split(name, service):
    """``(service, action)`` of the body's ``name``: ``service:action``,
    or on data source ``service`` the action alone (its own service
    prefix is tolerated)."""
    if service is None:
        return names.split_action_name(name)
    if ':' not in name:
        return service, name
    named_service, action = names.split_action_name(name)
    if named_service != service:
        raise exception.InvalidActionName(
            name=name, reason=_('on a data source give the action alone, '
                                'e.g. "servers.pause"'))
    return service, action


def parse_body(service=None):
    """The checked ``ActionCall`` of an execute body: on data source
    ``service``, or on the service its ``name`` gives (the policy form).

    This is where an execute of the API is checked; what is behind takes
    the call as it is.

    :raises InvalidActionName, InvalidActionArguments, BadRequest: the
        body is malformed.
    """
    body = base.json_object()
    validation.validate(body, BODY, error_for=_error_for)
    service, action = _split(body['name'], service)
    args = body.get('args') or {}
    return calls.ActionCall(service, action, args.get('positional'),
                            args.get('named'),
                            dry_run=body.get('dry_run', False))


def accepted(record):
    """Answer 202 with the record and the Location of the execution."""
    base.set_status(202, base.link('v1', 'executions', record['id']))
    return base.primitive(record)
