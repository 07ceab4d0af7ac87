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

from novaclient import api_versions
from novaclient import base as nova_base

from congress.cloudservices import manager_actions

#: Managers never offered, with the reason.
EXCLUDED_MANAGERS = {
    'agents': 'manager: the os-agents API was removed from Nova (22.0.0)',
    'glance': 'manager: client-side image look-up in Glance, not Nova',
    'neutron': 'manager: client-side network look-up in Neutron, not Nova',
}


def variant_at(function, version):
    """The function novaclient runs for ``function`` at ``version``; for a
    method that is not microversioned, the function itself; None when no
    variant covers ``version``."""
    name = getattr(function, '__id__', None)
    if name is None or not getattr(function, 'versioned', True):
        return function
    methods = api_versions.get_substitutions(name, version)
    return methods[-1].func if methods else None


def exclusion_reason(manager, attr, version):
    """Why ``manager.attr`` is no action at ``version``, or None."""
    owner = manager_actions.defined_in(manager, attr, (nova_base.__name__,))
    if owner is not None:
        return 'base: %s.%s is manager machinery' % (owner.__name__, attr)
    member = getattr(manager, attr, None)
    function = getattr(member, '__func__', member)
    if any(name.startswith('deprecated_after.')
           for name in manager_actions.code_names(function)):
        return 'deprecated: api_versions.deprecated_after'
    variant = variant_at(function, version)
    if variant is None:
        return 'unavailable: no variant at microversion %s' % (
            version.get_string())
    if manager_actions.only_raises(variant):
        return 'removed: only raises at microversion %s' % (
            version.get_string())
    return manager_actions.deprecated_summary(variant)
