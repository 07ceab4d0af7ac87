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

"""Which python-cinderclient manager methods the Cinder driver offers as
actions.

Every public method of a manager of cinderclient's volume API v3 client is
an action (``volumes.set_bootable`` is ``VolumeManager.set_bootable``),
except those these rules leave out. The rules read cinderclient's own code,
so a new cinderclient release needs no new list:

``base``
    Manager machinery from ``cinderclient.base`` and
    ``cinderclient.apiclient.base`` rather than Cinder API calls: ``find``,
    ``findall``, ``completion_cache``, ``write_to_completion_cache``,
    ``add_hook``, ``run_hooks``.
``deprecated``
    Methods whose docstring summary (the text before the ``:param``
    fields) calls them deprecated, removed, or kept only for backwards
    compatibility.
``unavailable``
    Microversioned methods (``api_versions.wraps``) with no variant at the
    microversion actions are declared for (e.g. ``volumes.summary`` below
    3.12, ``attachments.*`` below 3.27).
``removed``
    Methods whose variant at that microversion does nothing but raise.

No whole manager is left out. Actions are declared for the configured
``api_version`` or, when none is configured, for cinderclient's
``MAX_VERSION``, without asking Cinder; a method missing at an older
negotiated microversion fails when run with cinderclient's "API version
... is not supported on ... method" error. The reference (volume API v2)
also listed ``client.authenticate``, which is no Cinder API call.
"""

from cinderclient import api_versions
from cinderclient.apiclient import base as apiclient_base
from cinderclient import base as cinder_base
from cinderclient import utils as cinder_utils

from congress.cloudservices import manager_actions

#: Managers never offered, with the reason.
EXCLUDED_MANAGERS = {}

_BASE_MODULES = (cinder_base.__name__, apiclient_base.__name__)


def variant_at(function, version):
    """The function cinderclient runs for ``function`` at ``version``; for
    a method that is not microversioned, the function itself; None when no
    variant covers ``version``."""
    wrapped = getattr(function, '__wrapped__', None)
    if wrapped is None or not getattr(function, 'versioned', False):
        return function
    methods = api_versions.get_substitutions(
        cinder_utils.get_function_name(wrapped), version)
    if not methods:
        return None
    return max(methods, key=lambda m: m.start_version).func


def exclusion_reason(manager, attr, version):
    """Why ``manager.attr`` is no action at ``version``, or None."""
    owner = manager_actions.defined_in(manager, attr, _BASE_MODULES)
    if owner is not None:
        return 'base: %s.%s is manager machinery' % (owner.__name__, attr)
    member = getattr(manager, attr, None)
    function = getattr(member, '__func__', member)
    variant = variant_at(function, version)
    if variant is None:
        return 'unavailable: no variant at microversion %s' % (
            version.get_string())
    if manager_actions.only_raises(variant):
        return 'removed: only raises at microversion %s' % (
            version.get_string())
    return manager_actions.deprecated_summary(variant)
