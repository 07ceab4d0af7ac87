"""Which python-novaclient manager methods the Nova driver offers as actions.

Every public method of a novaclient v2 manager is an action
(``servers.pause`` is ``ServerManager.pause``), except those these rules
leave out. The rules read novaclient's own code, so a new novaclient release
needs no new list:

``base``
    Manager machinery from ``novaclient.base`` rather than Nova API calls:
    ``find``, ``findall``, ``convert_into_with_meta``,
    ``alternate_service_type``, ``completion_cache``,
    ``write_to_completion_cache``, ``add_hook``, ``run_hooks``.
``deprecated``
    Methods wrapped by ``novaclient.api_versions.deprecated_after`` (they
    warn with DeprecationWarning on every call), or whose docstring summary
    (the text before the ``:param`` fields) calls them deprecated, removed,
    or kept only for backwards compatibility (e.g. ``hypervisors.statistics``,
    an alias of ``hypervisor_stats.statistics``).
``unavailable``
    Microversioned methods (``api_versions.wraps``) with no variant at the
    microversion actions are declared for: the API is gone or not yet there.
``removed``
    Methods whose variant at that microversion does nothing but raise
    (novaclient's way of saying "removed in 2.x", e.g.
    ``hypervisor_stats.statistics`` from 2.88).
``manager``
    Whole managers that are not Nova API actions: ``agents`` (the os-agents
    API was removed from Nova in 22.0.0; novaclient keeps the bindings only
    for openstackclient), ``glance`` and ``neutron`` (client-side look-ups
    in other services' APIs).

Actions are declared for the configured ``api_version`` or, when none is
configured, for ``novaclient.API_MAX_VERSION``, without asking Nova (the
driver does no I/O until it polls or runs an action). Should the negotiated
microversion be older, a method missing at that version fails when run with
novaclient's "API version ... is not supported on ... method" error.
"""

import ast
import inspect
import re
import textwrap

from novaclient import api_versions
from novaclient import base as nova_base

from congress.cloudservices import execution_driver

#: Managers never offered, with the reason.
EXCLUDED_MANAGERS = {
    'agents': 'manager: the os-agents API was removed from Nova (22.0.0)',
    'glance': 'manager: client-side image look-up in Glance, not Nova',
    'neutron': 'manager: client-side network look-up in Neutron, not Nova',
}

_DEPRECATED_SUMMARY = re.compile(
    r'\bdeprecated\b|\bbackwards?[ -]compatibility\b|\bis removed\b|'
    r'\bhas been removed\b|\bno longer (supported|available)\b', re.I)


def _code_names(fn):
    """``co_qualname`` of ``fn`` and of everything it wraps."""
    seen = set()
    while fn is not None and id(fn) not in seen:
        seen.add(id(fn))
        code = getattr(fn, '__code__', None)
        if code is not None:
            yield getattr(code, 'co_qualname', code.co_name)
        fn = getattr(fn, '__wrapped__', None)


def variant_at(function, version):
    """The function novaclient runs for ``function`` at ``version``; for a
    method that is not microversioned, the function itself; None when no
    variant covers ``version``."""
    name = getattr(function, '__id__', None)
    if name is None or not getattr(function, 'versioned', True):
        return function
    methods = api_versions.get_substitutions(name, version)
    return methods[-1].func if methods else None


def _only_raises(function):
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


def exclusion_reason(manager, attr, version):
    """Why ``manager.attr`` is no action at ``version``, or None."""
    owner = next((cls for cls in type(manager).__mro__
                  if attr in vars(cls)), None)
    if owner is not None and owner.__module__ == nova_base.__name__:
        return 'base: %s.%s is manager machinery' % (owner.__name__, attr)
    member = getattr(manager, attr, None)
    function = getattr(member, '__func__', member)
    if any(name.startswith('deprecated_after.')
           for name in _code_names(function)):
        return 'deprecated: api_versions.deprecated_after'
    variant = variant_at(function, version)
    if variant is None:
        return 'unavailable: no variant at microversion %s' % (
            version.get_string())
    if _only_raises(variant):
        return 'removed: only raises at microversion %s' % (
            version.get_string())
    summary = docstring_summary(variant)
    if _DEPRECATED_SUMMARY.search(summary):
        return 'deprecated: docstring says "%s"' % ' '.join(summary.split())
    return None


docstring_summary = execution_driver.docstring_summary
signature_of = execution_driver.unbound_signature
first_paragraph = execution_driver.first_paragraph
