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

"""Masking of secret action arguments in what Congress records, answers
and logs.

An argument is secret when its name matches one of ``[execution]
secret_argument_patterns``: named arguments by their key, positional ones
by the name the action declares for their position, and keys inside
nested objects (arguments and results) by their key. Names are compared
in lower case without ``_``, ``-`` and ``.``, so ``admin_pass``,
``adminPass`` and ``admin-pass`` are the same name.
"""

import fnmatch
import inspect
import re

from congress import conf

CONF = conf.CONF

MASK = '***'

# secret values shorter than this are masked in arguments and results but
# not searched for in error texts, where they would match innocent words
MIN_SCRUBBED_LENGTH = 4

_SEPARATORS = re.compile(r'[_\-.]')
_GLOB = re.compile(r'[*?\[]')


def _normal(name):
    return _SEPARATORS.sub('', name.lower())


def is_secret(name):
    """Whether an argument or key called ``name`` holds a secret.

    A pattern with ``*``, ``?`` or ``[`` is a glob matched against the
    whole name; a plain word matches names that contain it.
    """
    if not isinstance(name, str):
        return False
    name = _normal(name)
    for pattern in CONF.execution.secret_argument_patterns:
        pattern = _normal(pattern)
        if (fnmatch.fnmatchcase(name, pattern) if _GLOB.search(pattern)
                else pattern in name):
            return True
    return False


def mask_value(value):
    """A copy of ``value`` in which every object key that names a secret
    has its value masked, at any depth."""
    if isinstance(value, dict):
        return {key: (MASK if is_secret(key) else mask_value(item))
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_value(item) for item in value]
    return value


def positional_names(fn):
    """The names the positional arguments of ``fn`` bind to, in order;
    ``*name`` last for one that takes the rest."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    names = []
    for parameter in parameters:
        if parameter.kind in (parameter.POSITIONAL_ONLY,
                              parameter.POSITIONAL_OR_KEYWORD):
            names.append(parameter.name)
        elif parameter.kind == parameter.VAR_POSITIONAL:
            names.append('*' + parameter.name)
            break
    return names


def _name_at(names, index):
    if names and names[-1].startswith('*') and index >= len(names) - 1:
        return names[-1][1:]
    return names[index] if index < len(names) else None


def _secret_positions(positional_args, names):
    """Indexes of the secret positional arguments; all of them when the
    action's parameters are unknown (``names`` None)."""
    if names is None:
        return set(range(len(positional_args)))
    return {index for index in range(len(positional_args))
            if is_secret(_name_at(names, index))}


def mask_arguments(positional_args, named_args, names):
    """Masked copies of an action's arguments.

    ``names`` are the action's positional parameter names (see
    ``positional_names``); None when the action is not known, and then
    every positional argument is masked.
    """
    secret = _secret_positions(positional_args, names)
    return ([MASK if index in secret else mask_value(value)
             for index, value in enumerate(positional_args)],
            mask_value(named_args))


def _secret_values(value, secret=False):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secret_values(item, secret or is_secret(key))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _secret_values(item, secret)
    elif secret and value is not None and not isinstance(value, bool):
        yield str(value)


def mask_text(text, positional_args, named_args, names):
    """``text`` (an error message) with the values of the secret arguments
    replaced by the mask."""
    secret = _secret_positions(positional_args, names)
    values = set(_secret_values(named_args))
    for index, value in enumerate(positional_args):
        values.update(_secret_values(value, index in secret))
    for value in sorted(values, key=len, reverse=True):
        if len(value) >= MIN_SCRUBBED_LENGTH:
            text = text.replace(value, MASK)
    return text
