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

"""The keystonev3 driver: Keystone's users, roles, projects, domains,
groups and role assignments as tables; python-keystoneclient's v3 manager
methods as actions.

Talking to Keystone
    The data source's keystoneauth1 session (one per data source, see
    :mod:`congress.cloudservices.openstack_driver`) carries a
    python-keystoneclient v3 ``Client``, built on first use; creating the
    driver does no network I/O.

Polling
    One ``GET`` per collection (``/v3/users``, ``/roles``, ``/projects``,
    ``/domains``, ``/groups``, ``/role_assignments`` and
    ``/role_assignments?effective``), read as JSON through keystoneclient's
    HTTP client. Keystone does not page: it answers a list whole, unless
    its ``[DEFAULT] list_limit`` (or a per-section ``list_limit``) cuts it,
    in which case the body says ``"truncated": true``. A truncated list
    fails the poll (the last complete state stays, the error names the
    collection and the limit is to be raised): half a user list would make
    a rule such as "users without a project role" wrong in both
    directions. A failed poll is reported in ``get_status()`` and the next
    poll tries again.

Actions
    See :mod:`congress.cloudservices.keystone_actions` for which manager
    methods are offered. For policy rules, which pass positional arguments
    only, the driver adds ``users_disable(user_id)``,
    ``users_enable(user_id)``, ``projects_disable(project_id)``,
    ``projects_enable(project_id)``,
    ``roles_grant_on_project(role_id, user_id, project_id)`` and
    ``roles_revoke_on_project(role_id, user_id, project_id)``. A failed
    action raises keystoneclient's exception, which carries Keystone's
    message and HTTP code.

Tables: see :mod:`congress.cloudservices.keystone_tables`.
"""

import threading

from keystoneauth1 import adapter as ks_adapter
from keystoneclient import base as keystone_base
from keystoneclient.v3 import client as keystone_client

from congress.cloudservices import client_actions
from congress.cloudservices import execution_driver
from congress.cloudservices import keystone_actions
from congress.cloudservices import keystone_tables
from congress.cloudservices import openstack_driver
from congress.i18n import _

#: ``(table, path, key in the body)`` of each poll request.
COLLECTIONS = (
    (keystone_tables.USERS, '/users', 'users'),
    (keystone_tables.ROLES, '/roles', 'roles'),
    (keystone_tables.PROJECTS, '/projects', 'projects'),
    (keystone_tables.DOMAINS, '/domains', 'domains'),
    (keystone_tables.GROUPS, '/groups', 'groups'),
    (keystone_tables.ROLE_ASSIGNMENTS, '/role_assignments',
     'role_assignments'),
    (keystone_tables.EFFECTIVE_ROLE_ASSIGNMENTS,
     '/role_assignments?effective', 'role_assignments'),
)


class TruncatedList(Exception):
    """Keystone cut a list at its ``list_limit``."""


class KeystoneDriver(openstack_driver.OpenStackDriver,
                     client_actions.ClassManagerActions):
    """Keystone (OpenStack Identity v3) as tables, and its API as actions.
    """

    DESCRIPTION = ('OpenStack Identity (Keystone v3): users, roles, '
                   'projects (and their tags), domains, groups, role '
                   'assignments as stored and as effectively held; actions '
                   'are the python-keystoneclient v3 manager methods '
                   '(users.update, projects.update, roles.grant, ...) and '
                   'positional wrappers such as users_disable(user_id).')
    TABLES = keystone_tables.TABLES
    EXCLUDED_MANAGERS = keystone_actions.EXCLUDED_MANAGERS

    def __init__(self, name, config):
        super().__init__(name, config)
        self._client = None
        self._identity = None
        self._client_lock = threading.Lock()

    def keystone(self):
        """The keystoneclient v3 client on the data source's session (built
        once, without network I/O)."""
        with self._client_lock:
            if self._client is None:
                self._client = keystone_client.Client(
                    session=self.session(), interface=self.interface,
                    region_name=self.region_name,
                    endpoint_override=self.config.get('endpoint_override'))
            return self._client

    def identity(self):
        """A keystoneauth1 adapter for the identity v3 API on the data
        source's session (built once, without network I/O): the polls'
        raw JSON reads."""
        with self._client_lock:
            if self._identity is None:
                self._identity = ks_adapter.Adapter(
                    session=self.session(), version=(3, 0),
                    **self.endpoint_filter('identity'))
            return self._identity

    # polling

    def _list(self, path, key):
        body = self.identity().get(path).json() or {}
        if body.get('truncated'):
            raise TruncatedList(
                _('Keystone truncated the list %(path)s at %(n)d entries '
                  '(its list_limit); the poll is not used. Raise '
                  'list_limit in keystone.conf to at least the number of '
                  'entries.') % {'path': path, 'n': len(body.get(key) or ())})
        return body.get(key) or []

    def fetch(self):
        return {table: self._list(path, key)
                for table, path, key in COLLECTIONS}

    # actions

    def action_managers(self):
        client = self.keystone()
        return {name: manager for name, manager in vars(client).items()
                if isinstance(manager, keystone_base.Manager)
                and name not in self.EXCLUDED_MANAGERS}

    def exclusion_reason(self, prefix, manager, attr, function):
        return keystone_actions.exclusion_reason(prefix, manager, attr,
                                                 function)

    def _run(self, result):
        return client_actions.plain_result(result)

    @execution_driver.action('Disable a user (enabled=False): the user can '
                             'no longer log in. Positional argument: '
                             'user_id')
    def users_disable(self, user_id):
        """Disable a user.

        :param user_id: ID of the user.
        """
        return self._run(self.keystone().users.update(user_id,
                                                      enabled=False))

    @execution_driver.action('Enable a user (enabled=True). Positional '
                             'argument: user_id')
    def users_enable(self, user_id):
        """Enable a user.

        :param user_id: ID of the user.
        """
        return self._run(self.keystone().users.update(user_id,
                                                      enabled=True))

    @execution_driver.action('Disable a project (enabled=False): its '
                             'tokens stop working. Positional argument: '
                             'project_id')
    def projects_disable(self, project_id):
        """Disable a project.

        :param project_id: ID of the project.
        """
        return self._run(self.keystone().projects.update(project_id,
                                                         enabled=False))

    @execution_driver.action('Enable a project (enabled=True). Positional '
                             'argument: project_id')
    def projects_enable(self, project_id):
        """Enable a project.

        :param project_id: ID of the project.
        """
        return self._run(self.keystone().projects.update(project_id,
                                                         enabled=True))

    @execution_driver.action('Grant a role to a user on a project. '
                             'Positional arguments: role_id, user_id, '
                             'project_id')
    def roles_grant_on_project(self, role_id, user_id, project_id):
        """Grant a role to a user on a project.

        :param role_id: ID of the role.
        :param user_id: ID of the user.
        :param project_id: ID of the project.
        """
        return self._run(self.keystone().roles.grant(
            role_id, user=user_id, project=project_id))

    @execution_driver.action('Revoke a role of a user on a project. '
                             'Positional arguments: role_id, user_id, '
                             'project_id')
    def roles_revoke_on_project(self, role_id, user_id, project_id):
        """Revoke a role of a user on a project.

        :param role_id: ID of the role.
        :param user_id: ID of the user.
        :param project_id: ID of the project.
        """
        return self._run(self.keystone().roles.revoke(
            role_id, user=user_id, project=project_id))
