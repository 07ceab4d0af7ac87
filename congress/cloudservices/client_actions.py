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

"""Offering a client library's manager methods as actions.

Used by the execution drivers whose client libraries have no
microversioned managers (keystonev3, glancev2): discovery reads each
manager's class and wraps a manager method into an action callable that
describes its arguments (the docstring and signature helpers are
:mod:`manager_actions`', which the microversioned clients use).

Managers are inspected through their classes (``inspect.getattr_static``),
never by reading attributes of the manager object: some client libraries
(python-glanceclient) have properties that fetch a schema from the service
on first access, and declaring actions must do no network I/O.
"""

import inspect
import re

import requests

from congress.cloudservices import execution_driver
from congress.cloudservices import manager_actions

_PARAM = re.compile(r'^\s*:param\s+(?:[\w\[\], ]+\s+)?(\w+):', re.M)

docstring_summary = manager_actions.docstring_summary
first_paragraph = manager_actions.first_paragraph
only_raises = manager_actions.only_raises
signature_of = manager_actions.signature_of
deprecated_summary = manager_actions.deprecated_summary


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


class ClassManagerActions(execution_driver.ExecutionDriver):
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
