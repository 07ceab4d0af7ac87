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

"""The routes of the REST API, as the pecan controllers serve them and as
the policy defaults (congress/policies) document them."""

import collections
import functools
import re

from congress.api.controllers import root
from congress import policies

#: Routes without a policy rule: the version documents, open to anyone.
OPEN_ROUTES = (('GET', '/'), ('HEAD', '/'), ('GET', '/v1'), ('HEAD', '/v1'))

#: Aliases: the same controller under another name.
ALIASES = {'/v1/cloud-services': '/v1/data-sources'}

Operation = collections.namedtuple('Operation',
                                   'method path query rule admin_only')

_PLACEHOLDER = re.compile(r'\{[^}]*\}')


def _is_controller(value):
    return (type(value).__module__.startswith(root.__package__) and
            not callable(value))


def _walk(controller, path, found):
    for name in dir(controller):
        if name.startswith('_') or isinstance(
                getattr(type(controller), name, None),
                (property, functools.cached_property)):
            # a property is a value read per request, not a route
            continue
        value = getattr(controller, name)
        config = getattr(value, '_pecan', {})
        if config.get('generic'):
            where = path if name == 'index' else '%s/%s' % (path, name)
            for method in config['generic_handlers']:
                if method != 'DEFAULT':
                    found.add((method, where or '/'))
        elif _is_controller(value):
            _walk(value, '%s/%s' % (path, name), found)
    lookup = getattr(controller, '_lookup', None)
    if lookup is not None:
        _walk(lookup('{}')[0], path + '/{}', found)
    return found


def app_routes():
    """``{(method, path)}`` the controllers answer, each path segment
    that names an item written ``{}``."""
    return _walk(root.RootController(), '', set())


def operations():
    """Every documented operation of the policy defaults, in their order:
    ``Operation(method, path, query, rule, admin_only)``."""
    found = []
    for rule in policies.list_rules():
        for operation in getattr(rule, 'operations', None) or ():
            path, _sep, query = operation['path'].partition('?')
            found.append(Operation(operation['method'], path, query,
                                   rule.name,
                                   rule.check_str == 'rule:admin_required'))
    return found


def generic(path):
    """``path`` with its placeholders written ``{}`` and aliases resolved.
    """
    for alias, name in ALIASES.items():
        if path.startswith(alias):
            path = name + path[len(alias):]
    return _PLACEHOLDER.sub('{}', path)
