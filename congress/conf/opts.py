"""Option discovery for oslo-config-generator.

Every module of this package that defines ``list_opts()`` is picked up, so
a new option group needs no change here.
"""

import collections
import importlib
import pkgutil

from oslo_middleware import cors

import congress.conf

_SKIP = ('opts',)


def _conf_modules():
    for info in pkgutil.iter_modules(congress.conf.__path__):
        if info.name not in _SKIP:
            yield importlib.import_module('congress.conf.' + info.name)


def list_opts():
    """The (group, options) pairs of Congress' own option groups."""
    grouped = collections.defaultdict(list)
    for module in _conf_modules():
        for group, opts in module.list_opts().items():
            name = group if isinstance(group, str) else group.name
            grouped[name].extend(opts)
    return sorted(grouped.items())


def set_config_defaults():
    """Defaults Congress sets on library options."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-OpenStack-Request-ID',
                       'X-Identity-Status', 'X-Roles', 'X-User-Id',
                       'X-Project-Id'],
        expose_headers=['X-OpenStack-Request-ID', 'Location'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
