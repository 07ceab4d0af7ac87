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

"""Client-library manager methods as actions: what the drivers share.

A driver whose actions are the public methods of a python-*client's
managers (``servers.pause`` of novaclient, ``volumes.set_bootable`` of
cinderclient) mixes :class:`ManagerActions` into its ExecutionDriver. The
client-specific part is a *rules* module (``nova_actions``,
``cinder_actions``) with:

``EXCLUDED_MANAGERS``
    ``{manager attribute: reason}`` of whole managers never offered;
``exclusion_reason(manager, attr, version)``
    why ``manager.attr`` is no action at microversion ``version``, or None;
``variant_at(function, version)``
    the function the client runs for a microversioned method at
    ``version`` (the function itself when it is not microversioned).

Each action is described by its variant at the declared microversion: its
docstring summary and signature (argument names, ``:param`` texts); it runs
at the microversion the driver negotiated with the service.
"""

import ast
import inspect
import re
import textwrap

_FIELD = re.compile(r'^\s*:(param|type|returns?|rtype|raises?)\b', re.M)
_DEPRECATED_SUMMARY = re.compile(
    r'\bdeprecated\b|\bbackwards?[ -]compatibility\b|\bis removed\b|'
    r'\bhas been removed\b|\bno longer (supported|available)\b', re.I)


def code_names(fn):
    """``co_qualname`` of ``fn`` and of everything it wraps."""
    seen = set()
    while fn is not None and id(fn) not in seen:
        seen.add(id(fn))
        code = getattr(fn, '__code__', None)
        if code is not None:
            yield getattr(code, 'co_qualname', code.co_name)
        fn = getattr(fn, '__wrapped__', None)


def only_raises(function):
    """True when ``function`` does nothing but raise (after its
    docstring): a client's way of saying "removed at this version"."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        node = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    body = getattr(node, 'body', [])
    if (body and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        body = body[1:]
    return bool(body) and isinstance(body[0], ast.Raise)


def docstring_summary(function):
    """The docstring of ``function`` before its ``:param`` fields."""
    doc = inspect.getdoc(function) or ''
    return _FIELD.split(doc, maxsplit=1)[0].strip()


def deprecated_summary(function):
    """The reason when the docstring summary calls ``function``
    deprecated, removed or kept for backwards compatibility; else None."""
    summary = docstring_summary(function)
    if _DEPRECATED_SUMMARY.search(summary):
        return 'deprecated: docstring says "%s"' % ' '.join(summary.split())
    return None


def defined_in(manager, attr, modules):
    """The class defining ``manager.attr`` when its module is one of
    ``modules`` (the client's manager machinery), else None."""
    owner = next((cls for cls in type(manager).__mro__
                  if attr in vars(cls)), None)
    if owner is not None and owner.__module__ in modules:
        return owner
    return None


def signature_of(variant):
    """The signature of an unbound manager method, without ``self``."""
    try:
        signature = inspect.signature(variant)
    except (TypeError, ValueError):
        return None
    parameters = list(signature.parameters.values())
    if parameters and parameters[0].name == 'self':
        parameters = parameters[1:]
    return signature.replace(parameters=parameters)


def first_paragraph(text):
    return text.split('\n\n', 1)[0].replace('\n', ' ').strip()


class ManagerActions(object):
    """Mix-in (before ExecutionDriver) offering a client's manager methods
    as actions.

    The driver sets ``ACTION_RULES`` (the rules module, see the module
    docstring), ``MANAGER_CLASS`` (the client's manager base class) and
    ``CLIENT_NAME`` (for descriptions), and implements
    ``_discovery_version()`` (no I/O), ``_client_without_io()`` (a client
    object whose managers can be listed) and ``api_client()`` (the client
    at the negotiated microversion); ``plain_result(result)`` may strip the
    client's HTTP wrapping from what a method returned.
    """

    ACTION_RULES = None
    MANAGER_CLASS = object
    CLIENT_NAME = ''

    #: ``{action: reason}`` of the manager methods not offered.
    excluded_actions = {}

    @staticmethod
    def plain_result(result):
        return result

    def action_managers(self):
        client = self._client_without_io()
        excluded = self.ACTION_RULES.EXCLUDED_MANAGERS
        return {name: manager for name, manager in vars(client).items()
                if isinstance(manager, self.MANAGER_CLASS)
                and name not in excluded}

    def _discover_actions(self):
        rules = self.ACTION_RULES
        version = self._discovery_version()
        managers = self.action_managers()
        excluded = {'%s.*' % name: reason for name, reason in
                    rules.EXCLUDED_MANAGERS.items()}
        for prefix, manager in managers.items():
            for attr in dir(manager):
                if attr.startswith('_'):
                    continue
                reason = rules.exclusion_reason(manager, attr, version)
                if reason is not None:
                    excluded['%s.%s' % (prefix, attr)] = reason
        self.excluded_actions = excluded
        actions = self.manager_methods(self.EXCLUDED_ACTIONS | set(excluded))
        for name, (method, description) in list(actions.items()):
            prefix, _dot, attr = name.partition('.')
            variant = rules.variant_at(
                getattr(method, '__func__', method), version)
            actions[name] = self._manager_action(prefix, attr, variant)
        actions.update(self.decorated_actions())
        return actions

    def _manager_action(self, prefix, attr, variant):
        """A callable running ``<prefix>.<attr>`` at the negotiated
        microversion, described by the variant at the declared one."""
        driver = self

        def run(*args, **kwargs):
            manager = getattr(driver.api_client(), prefix)
            return driver.plain_result(getattr(manager, attr)(*args,
                                                              **kwargs))

        run.__name__ = attr
        run.__qualname__ = '%s.%s' % (prefix, attr)
        run.__doc__ = variant.__doc__
        signature = signature_of(variant)
        if signature is not None:
            run.__signature__ = signature
        summary = first_paragraph(docstring_summary(variant))
        return run, summary or '%s %s.%s' % (self.CLIENT_NAME, prefix, attr)
