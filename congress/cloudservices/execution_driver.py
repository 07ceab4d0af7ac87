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

"""The ExecutionDriver mix-in: lets a driver run actions on its service.

Only *declared* actions run. They come from two places:

* public methods of the client library's managers that a driver names in
  ``action_managers()`` (``servers.pause`` is ``pause`` of the ``servers``
  manager), minus the names in ``EXCLUDED_ACTIONS``;
* methods of the driver decorated with :func:`action` (wrappers that take
  positional arguments, as policy rules pass them).

Anything else, private names and attribute paths included, is refused
before the service is called.
"""

import inspect
import re
import threading

from congress import exception
from congress.execution import masking
from congress.i18n import _

#: Guards only the making of each driver's own actions lock.
_LOCK_LOCK = threading.Lock()

_PARAM_DOC = re.compile(r':param\s+(?:[\w\[\], ]+\s+)?(\w+):\s*(.*)')


def action(description):
    """Declare a driver method as an action named after the method."""
    def decorate(fn):
        fn._congress_action = description
        return fn
    return decorate


def key_value_pairs(action, what, keys_and_values, strings=True):
    """``{key: value}`` from the positional arguments ``key1, value1,
    key2, ...`` that a wrapper action gets after the ID of a ``what``
    (policy rules pass positional arguments only), values made strings
    unless ``strings`` is false; InvalidActionArguments when they are
    missing or not in pairs."""
    if not keys_and_values or len(keys_and_values) % 2:
        values = {'action': action, 'what': what, 'n': len(keys_and_values)}
        raise exception.InvalidActionArguments(
            reason=_('%(action)s takes a %(what)s ID followed by pairs of '
                     'key and value; got %(n)d argument(s) after the '
                     '%(what)s ID') % values)
    return {str(keys_and_values[i]):
            str(keys_and_values[i + 1]) if strings else keys_and_values[i + 1]
            for i in range(0, len(keys_and_values), 2)}


def _first_paragraph(doc):
    doc = inspect.cleandoc(doc or '')
    return doc.split('\n\n', 1)[0].replace('\n', ' ').strip()


def _describe_args(fn):
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    docs = dict(_PARAM_DOC.findall(inspect.getdoc(fn) or ''))
    args = []
    for param in signature.parameters.values():
        if param.name == 'self':
            continue
        name = param.name
        if param.kind == param.VAR_POSITIONAL:
            name = '*' + name
        elif param.kind == param.VAR_KEYWORD:
            name = '**' + name
        args.append({'name': name, 'description': docs.get(param.name, '')})
    return args


class ExecutionDriver(object):
    """Mix-in for drivers whose service can change the cloud."""

    #: Manager method names never offered (deprecated or unsafe ones).
    EXCLUDED_ACTIONS = frozenset()

    def action_managers(self):
        """``{prefix: manager object}`` whose public methods are actions."""
        return {}

    def _declared_actions(self):
        # each driver discovers its actions once, under a lock of its own
        # (made on first use): one driver's discovery does not hold up
        # another's
        with _LOCK_LOCK:
            lock = self.__dict__.setdefault('_actions_lock',
                                            threading.Lock())
        with lock:
            actions = self.__dict__.get('_congress_actions')
            if actions is None:
                actions = self._discover_actions()
                self._congress_actions = actions
            return actions

    def _discover_actions(self):
        actions = self.manager_methods(self.EXCLUDED_ACTIONS)
        actions.update(self.decorated_actions())
        return actions

    def manager_methods(self, excluded):
        """``{prefix.method: (method, description)}`` of the public methods
        of ``action_managers()``, but for the names in ``excluded``."""
        actions = {}
        for prefix, manager in self.action_managers().items():
            for attr in dir(manager):
                full_name = '%s.%s' % (prefix, attr)
                if attr.startswith('_') or full_name in excluded:
                    continue
                method = getattr(manager, attr, None)
                if not inspect.ismethod(method):
                    continue
                actions[full_name] = (method, _first_paragraph(
                    inspect.getdoc(method)))
        return actions

    def decorated_actions(self):
        """``{name: (method, description)}`` of the driver's methods
        decorated with :func:`action`."""
        actions = {}
        for attr, member in inspect.getmembers(type(self)):
            description = getattr(member, '_congress_action', None)
            if description is not None and not attr.startswith('_'):
                actions[attr] = (getattr(self, attr), description)
        return actions

    def get_actions(self):
        """``[{"name", "args": [{"name", "description"}], "description"}]``
        sorted by name."""
        return [{'name': name, 'args': _describe_args(fn),
                 'description': description}
                for name, (fn, description) in sorted(
                    self._declared_actions().items())]

    def action_names(self):
        return sorted(self._declared_actions())

    def action_signatures(self):
        """``{action name: [positional parameter names]}`` (see
        ``masking.positional_names``), as the service directory lists
        them: the API masks secret positional arguments by these names."""
        return {name: masking.positional_names(fn)
                for name, (fn, _description) in
                self._declared_actions().items()}

    def resolve_action(self, name):
        """The callable of a declared action, or ActionNotFound."""
        declared = self._declared_actions().get(name) if isinstance(
            name, str) else None
        if declared is None:
            raise exception.ActionNotFound(service=self.name, action=name)
        return declared[0]

    def execute(self, name, positional_args, named_args):
        """Run action ``name`` with the given arguments on the service and
        return what it returned, made JSON-friendly, with secrets masked
        (in it, and in the text of the error it raises)."""
        method = self.resolve_action(name)
        positional_args = list(positional_args or ())
        named_args = dict(named_args or {})
        try:
            result = method(*positional_args, **named_args)
        except Exception as exc:
            # the service may quote what it was given: never a secret
            text = '%s: %s' % (exc.__class__.__name__, exc)
            masked = masking.mask_text(text, positional_args, named_args,
                                       masking.positional_names(method))
            if masked == text:
                raise
            raise exception.ActionFailed(reason=masked) from None
        return masking.mask_value(self.result_to_json(result))

    @staticmethod
    def result_to_json(result):
        """Reduce what a client method returned to JSON-safe data."""
        if result is None or isinstance(result, (str, int, float, bool)):
            return result
        if isinstance(result, dict):
            return {str(k): ExecutionDriver.result_to_json(v)
                    for k, v in result.items()}
        if isinstance(result, (list, tuple, set)):
            return [ExecutionDriver.result_to_json(v) for v in result]
        to_dict = getattr(result, 'to_dict', None)
        if callable(to_dict):
            return ExecutionDriver.result_to_json(to_dict())
        return str(result)
