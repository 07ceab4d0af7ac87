"""jsonschema validation of bodies and query parameters."""

import jsonschema

from congress import exception
from congress.i18n import _


def _where(error):
    path = '/'.join(str(p) for p in error.absolute_path)
    return path or _('the body')


def validate(document, schema, what=None, error_for=None):
    """Raise BadRequest (or what ``error_for(path)`` chooses) unless
    ``document`` matches ``schema``.

    ``error_for(path, error)`` gets the path of the first error as a
    tuple and returns a callable that makes the exception from the reason
    text, or None for BadRequest.
    """
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(document),
                    key=lambda e: (len(e.absolute_path), str(e.path)))
    if not errors:
        return document
    error = errors[0]
    reason = _('%(where)s: %(message)s') % {
        'where': what or _where(error), 'message': error.message}
    if what is None and error.absolute_path:
        reason = _('"%(where)s": %(message)s') % {
            'where': _where(error), 'message': error.message}
    make = None
    if error_for is not None:
        make = error_for(tuple(error.absolute_path), error)
    if make is None:
        raise exception.BadRequest(reason=reason)
    raise make(reason)


NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': r'^\S(.*\S)?$'}
DESCRIPTION = {'type': ['string', 'null'], 'maxLength': 65535}
