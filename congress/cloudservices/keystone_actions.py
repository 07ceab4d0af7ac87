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

"""Which python-keystoneclient v3 manager methods keystonev3 offers.

Every public method of a manager the v3 ``Client`` holds directly
(``users``, ``projects``, ``roles``, ``groups``, ``domains``, ...) is an
action named ``<manager>.<method>`` (``users.update``, ``roles.grant``),
except those these rules leave out; the rules read keystoneclient's code,
so a new release needs no new list:

``base``
    ``CrudManager`` machinery rather than Keystone API calls: URL
    building (``build_url``, ``build_key_only_query``), client-side
    searches (``find``, ``findall``) and the raw ``head``/``put`` helpers
    the real methods call.
``deprecated``
    Methods wrapped by debtcollector's ``removals.remove`` (they warn on
    every call, e.g. ``roles.create_implied``, replaced by
    ``inference_rules.create``), or whose docstring summary says
    deprecated.
``unsupported``
    Methods whose body only raises (keystoneclient's way of saying the API
    has no such call, e.g. ``role_assignments.create``).
``manager``
    Whole managers left out: ``credentials``, ``ec2`` and
    ``application_credentials`` (their results carry secrets, which an
    action's result would put in the execution record) and ``auth`` (what
    the data source's own token may be rescoped to, not cloud state).
    ``users.update_password`` is left out too: it changes the password of
    the data source's own user. Objects that are not
    ``keystoneclient.base.Manager`` instances (``federation``, ``tokens``,
    ``oauth1``, ``simple_cert``) are not inspected.
"""

from keystoneclient import base as keystone_base

from congress.cloudservices import client_actions

EXCLUDED_MANAGERS = {
    'credentials': 'manager: results carry credential blobs (secrets)',
    'ec2': 'manager: results carry EC2 secret keys',
    'application_credentials': 'manager: results carry application '
                               'credential secrets',
    'auth': 'manager: lists what the data source\'s own token may be '
            'rescoped to, not cloud state',
}

#: Single methods left out, with the reason.
EXCLUDED_METHODS = {
    'users.update_password': 'self: changes the password of the data '
                             'source\'s own user (the token\'s user)',
}

_MACHINERY = frozenset(('build_url', 'build_key_only_query', 'find',
                        'findall', 'head', 'put'))


def _removed(function):
    wrapper = getattr(function, '_self_wrapper', None)
    return getattr(wrapper, '__qualname__', '').startswith('remove.')


def exclusion_reason(prefix, manager, attr, function):
    """Why ``manager.attr`` is no action, or None."""
    name = '%s.%s' % (prefix, attr)
    if name in EXCLUDED_METHODS:
        return EXCLUDED_METHODS[name]
    owner = client_actions.owner_of(manager, attr)
    if attr in _MACHINERY or (owner is not None and owner.__module__ ==
                              keystone_base.__name__):
        return 'base: %s is CrudManager machinery' % attr
    if _removed(function):
        return 'deprecated: debtcollector removals.remove'
    if client_actions.only_raises(function):
        return 'unsupported: keystoneclient only raises'
    return client_actions.deprecated_summary(function)
