"""Offering a client library's manager methods as actions.

Shared by the execution drivers whose actions are the public methods of
their client library's managers (nova, keystonev3, glancev2): reading
docstrings and signatures, spotting methods that only raise, and wrapping
a manager method into an action callable that describes its arguments.

Managers are inspected through their classes (``inspect.getattr_static``),
never by reading attributes of the manager object: some client libraries
(python-glanceclient) have properties that fetch a schema from the service
on first access, and declaring actions must do no network I/O.
"""

import ast
import inspect
import re
import textwrap

import requests

from congress.cloudservices import execution_driver
from congress import exception
from congress.i18n import _

_FIELD = re.compile(r'^\s*:(param|type|returns?|rtype|raises?)\b', re.M)
_PARAM = re.compile(r'^\s*:param\s+(?:[\w\[\], ]+\s+)?(\w+):', re.M)

#: What a docstring summary says of a deprecated method.
DEPRECATED_SUMMARY = re.compile(
    r'\bdeprecated\b|\bbackwards?[ -]compatibility\b|\bis removed\b|'
    r'\bhas been removed\b|\bno longer (supported|available)\b', re.I)


def docstring_summary(function):
    """The docstring of ``function`` before its ``:param`` fields."""
    doc = inspect.getdoc(function) or ''
    return _FIELD.split(doc, maxsplit=1)[0].strip()


def first_paragraph(text):
    return text.split('\n\n', 1)[0].replace('\n', ' ').strip()


def only_raises(function):
    """Whether the body of ``function`` (after its docstring) starts with a
    ``raise``: the client library's way of saying "not supported"."""
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


def signature_of(function):
    """The signature of an unbound method, without ``self``."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    parameters = list(signature.parameters.values())
    if parameters and parameters[0].name == 'self':
        parameters = parameters[1:]
    return signature.replace(parameters=parameters)


def public_methods(manager):
    """``[(name, function)]`` of the public methods of ``manager``'s class,
    read without touching the manager object (no property runs), and
    ``[name]`` of its other public attributes."""
    methods, others = [], []
    for attr in dir(type(manager)):
        if attr.startswith('_'):
            continue
        member = inspect.getattr_static(manager, attr)
        if isinstance(member, (staticmethod, classmethod)):
            others.append(attr)
        elif callable(member) and not isinstance(member, type):
            methods.append((attr, member))
        else:
            others.append(attr)
    return methods, others


def owner_of(manager, attr):
    """The class of ``manager``'s MRO that defines ``attr``."""
    return next((cls for cls in type(manager).__mro__
                 if attr in vars(cls)), None)


def discover(managers, exclusion_reason, arg_descriptions=None):
    """Actions of ``managers`` (``{prefix: manager}``).

    ``exclusion_reason(prefix, manager, attr, function)`` says why a
    method is no action (a string) or None; ``arg_descriptions``
    (``{argument name: text}``) describes the arguments a method's
    docstring leaves undescribed. Returns ``(actions,
    excluded)``: ``{name: (callable, description)}`` and ``{name:
    reason}``; attributes that are not methods are skipped silently.
    """
    actions, excluded = {}, {}
    for prefix, manager in managers.items():
        methods, _others = public_methods(manager)
        for attr, function in methods:
            name = '%s.%s' % (prefix, attr)
            reason = exclusion_reason(prefix, manager, attr, function)
            if reason is not None:
                excluded[name] = reason
                continue
            actions[name] = manager_action(manager, prefix, attr, function,
                                           arg_descriptions)
    return actions, excluded


def manager_action(manager, prefix, attr, function, arg_descriptions=None):
    """``(callable, description)`` running ``manager.attr``, with the
    method's signature and docstring (completed from ``arg_descriptions``
    for undocumented arguments), its result made plain."""
    def run(*args, **kwargs):
        return plain_result(getattr(manager, attr)(*args, **kwargs))

    run.__name__ = attr
    run.__qualname__ = '%s.%s' % (prefix, attr)
    doc = inspect.getdoc(function) or ''
    signature = signature_of(function)
    if signature is not None:
        run.__signature__ = signature
        documented = documented_params(function)
        extra = ['    :param %s: %s' % (p, (arg_descriptions or {})[p])
                 for p in signature.parameters
                 if p not in documented and p in (arg_descriptions or {})]
        if extra:
            doc = '%s\n\n%s' % (doc, '\n'.join(extra))
    run.__doc__ = doc
    summary = first_paragraph(docstring_summary(function))
    return run, summary or '%s.%s of %s' % (
        prefix, attr, type(manager).__module__.split('.')[0])


def documented_params(function):
    """Names of the parameters ``function``'s docstring describes."""
    return set(_PARAM.findall(inspect.getdoc(function) or ''))


def plain_result(result):
    """What a client method returned, without its HTTP wrapping: ``None``
    for a bare response, the body of ``(response, body)``, lists for
    generators (python-glanceclient lists page lazily)."""
    wrapped = getattr(result, '__wrapped__', None)
    if type(result).__name__ == 'RequestIdProxy' and wrapped is not None:
        result = wrapped
    if (isinstance(result, tuple) and len(result) == 2
            and isinstance(result[0], requests.Response)):
        return result[1]
    if isinstance(result, requests.Response):
        return None
    if inspect.isgenerator(result):
        return [plain_result(item) for item in result]
    return result


def pairs(action, what, keys_and_values):
    """``{key: value}`` from positional ``key1, value1, key2, ...`` (as a
    policy rule passes them); InvalidActionArguments for an odd count."""
    if not keys_and_values or len(keys_and_values) % 2:
        values = {'action': action, 'what': what, 'n': len(keys_and_values)}
        raise exception.InvalidActionArguments(
            reason=_('%(action)s takes a %(what)s ID followed by pairs of '
                     'key and value; got %(n)d argument(s) after the '
                     '%(what)s ID') % values)
    return {str(keys_and_values[i]): keys_and_values[i + 1]
            for i in range(0, len(keys_and_values), 2)}


class ManagerActions(execution_driver.ExecutionDriver):
    """Execution-driver mix-in whose actions are the public methods of the
    managers in ``action_managers()``, found with :func:`discover` (no
    network I/O), plus the driver's decorated wrappers.

    Subclasses set ``EXCLUDED_MANAGERS`` (``{manager: reason}``) and may
    override :meth:`exclusion_reason`; after discovery
    ``excluded_actions`` says what was left out and why.
    """

    EXCLUDED_MANAGERS = {}

    #: ``{argument name: description}`` for undocumented arguments.
    ARG_DESCRIPTIONS = {}

    #: ``{action or "manager.*": reason}`` of what is not offered.
    excluded_actions = {}

    def exclusion_reason(self, prefix, manager, attr, function):
        """Why ``prefix.attr`` is no action (a string), or None."""
        return None

    def _discover_actions(self):
        actions, excluded = discover(self.action_managers(),
                                     self.exclusion_reason,
                                     self.ARG_DESCRIPTIONS)
        excluded.update({'%s.*' % name: reason for name, reason in
                         self.EXCLUDED_MANAGERS.items()})
        self.excluded_actions = excluded
        actions.update(self.decorated_actions())
        return actions
