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

"""jsonschema validation of bodies and query parameters."""

import collections
import threading

import jsonschema

from congress import exception
from congress.i18n import _


def _where(error):
    path = '/'.join(str(p) for p in error.absolute_path)
    return path or _('the body')


def _message(error):
    """jsonschema's message without the value it starts with: a value
    given in the wrong place may be a secret, or a megabyte long."""
    shown = repr(error.instance)
    if error.message.startswith(shown):
        return _('the value') + error.message[len(shown):]
    return error.message


class _Validators(object):
    """The validators of the schemas seen last: building one costs more
    than a small body's validation (its registry and resolver), and the
    API's schemas are module constants. A schema is known by identity;
    the ``KEPT`` seen last are kept, with a reference that keeps their
    identity from being reused."""

    KEPT = 64

    def __init__(self):
        self._lock = threading.Lock()
        self._kept = collections.OrderedDict()

    def get(self, schema):
        with self._lock:
            kept = self._kept.get(id(schema))
            if kept is not None and kept[0] is schema:
                self._kept.move_to_end(id(schema))
                return kept[1]
        validator = jsonschema.Draft7Validator(schema)
        with self._lock:
            self._kept[id(schema)] = (schema, validator)
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
        return validator


_validators = _Validators()


def validate(document, schema, what=None, error_for=None):
    """Raise BadRequest (or what ``error_for(path)`` chooses) unless
    ``document`` matches ``schema``.

    ``error_for(path, error)`` gets the path of the first error as a
    tuple and returns a callable that makes the exception from the reason
    text, or None for BadRequest.
    """
    errors = sorted(_validators.get(schema).iter_errors(document),
                    key=lambda e: (len(e.absolute_path), str(e.path)))
    if not errors:
        return document
    error = errors[0]
    message = _message(error)
    reason = _('%(where)s: %(message)s') % {
        'where': what or _where(error), 'message': message}
    if what is None and error.absolute_path:
        reason = _('"%(where)s": %(message)s') % {
            'where': _where(error), 'message': message}
    make = None
    if error_for is not None:
        make = error_for(tuple(error.absolute_path), error)
    if make is None:
        raise exception.BadRequest(reason=reason)
    raise make(reason)


# MySQL's TEXT holds 65,535 bytes: that many UTF-8 characters of 4 bytes
_TEXT_CHARACTERS = 65535 // 4


def max_length(column):
    """The most characters every database stores in ``column``, a model
    attribute such as ``models.Policy.name``."""
    return column.type.length or _TEXT_CHARACTERS


def string(column, nullable=False, **schema):
    """The schema of a string stored in ``column``: at most as long as
    the column holds, and null too when ``nullable``."""
    schema.update(type=['string', 'null'] if nullable else 'string',
                  maxLength=max_length(column))
    return schema
