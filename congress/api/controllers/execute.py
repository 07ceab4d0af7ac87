"""The execute action shared by data sources and policies."""

from congress.api.controllers import base
from congress.api import validation
from congress import exception
from congress.execution import names
from congress.i18n import _

ARGS = {
    'type': 'object',
    'properties': {
        'positional': {'type': 'array'},
        'named': {'type': 'object'},
    },
    'additionalProperties': False,
}

BODY = {
    'type': 'object',
    'properties': {
        # "<service>:<action>", or the action alone on a data source
        'name': {'type': 'string', 'minLength': 1,
                 'maxLength': names.MAX_SERVICE_LENGTH + 1 +
                 names.MAX_ACTION_LENGTH},
        'args': {'anyOf': [ARGS, {'type': 'null'}]},
        'dry_run': {'type': 'boolean'},
    },
    'required': ['name'],
    'additionalProperties': False,
}


def _error_for(path, error):
    if path[:1] == ('args',) or (
            not path and error.validator == 'anyOf'):
        return lambda reason: exception.InvalidActionArguments(reason=reason)
    if path[:1] == ('name',) or (
            not path and error.validator == 'required'):
        # a name of the wrong type may be anything: it is not shown
        shown = error.instance if path and isinstance(error.instance,
                                                      str) else ''
        return lambda reason: exception.InvalidActionName(
            name=shown[:40], reason=reason)
    return None


def parse_body():
    """``(name, positional, named, dry_run)`` of an execute body."""
    body = base.json_object()
    args = body.get('args') if isinstance(body, dict) else None
    if isinstance(body, dict) and isinstance(args, dict):
        # the contract's error codes: a wrong type in args is 1018
        if 'positional' in args and not isinstance(args['positional'],
                                                   list):
            raise exception.InvalidActionArguments(
                reason=_('"positional" must be a list'))
        if 'named' in args and not isinstance(args['named'], dict):
            raise exception.InvalidActionArguments(
                reason=_('"named" must be an object'))
    elif isinstance(body, dict) and 'args' in body and args is not None:
        raise exception.InvalidActionArguments(
            reason=_('"args" must be an object with "positional" and '
                     '"named"'))
    validation.validate(body, BODY, error_for=_error_for)
    args = body.get('args') or {}
    return (body['name'], args.get('positional'), args.get('named'),
            body.get('dry_run', False))


def accepted(record):
    """Answer 202 with the record and the Location of the execution."""
    base.set_status(202, base.link('v1', 'executions', record['id']))
    return base.primitive(record)
