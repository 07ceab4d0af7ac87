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

"""The keystonev3 and glancev2 data sources against the cloud's own APIs:
each test creates objects with tempest's identity and image clients, then
compares the data source's tables with what those APIs list, field by
field, for every object.

Needs: data sources of drivers ``keystonev3`` and ``glancev2``
(``[congress] keystone_datasource`` / ``glance_datasource``) reading as an
admin, over the Keystone and Glance tempest uses.
"""

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from congress_tempest_tests.tests import base

CONF = config.CONF

IMAGE_FIELDS = ('id', 'status', 'name', 'container_format', 'created_at',
                'updated_at', 'disk_format', 'owner', 'protected',
                'min_ram', 'min_disk', 'checksum', 'size', 'file',
                'kernel_id', 'ramdisk_id', 'schema', 'visibility')


def plain(value):
    """A value as rows carry it, whichever way the API spells booleans
    and nulls (JSON or the engine's 'True'/'False'/'None' strings)."""
    if value is None or isinstance(value, bool):
        return str(value)
    return value


def row(values):
    return tuple(plain(v) for v in values)


class TablesTestBase(base.BaseCongressTest):

    DATASOURCE_OPTION = None

    def setUp(self):
        super().setUp()
        self.ds = getattr(CONF.congress, self.DATASOURCE_OPTION)
        self.wait_for_service(self.ds)

    def table(self, name):
        return {row(r['data']) for r in
                self.admin.datasources.list_datasource_rows(
                    self.ds, name)['results']}

    def assert_table(self, name, expected_fn, must_contain=()):
        """Refresh until the table equals ``expected_fn()`` (computed from
        the service API again each time: other tests change the cloud too)
        and holds ``must_contain``."""
        state = {}

        def equal():
            self.admin.datasources.request_refresh(self.ds)
            state['expected'] = expected_fn()
            state['actual'] = self.table(name)
            return (state['actual'] == state['expected']
                    and set(must_contain) <= state['actual'])
        try:
            self.wait_for('%s:%s equal to the API' % (self.ds, name), equal)
        except Exception:
            self.assertEqual(state.get('expected'), state.get('actual'))
            raise
        return state['actual']


class KeystoneTablesTest(TablesTestBase):

    DATASOURCE_OPTION = 'keystone_datasource'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.congress_feature_enabled.keystone_driver:
            raise cls.skipException('Congress has no keystonev3 data source')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.users = cls.os_admin.users_v3_client
        cls.projects = cls.os_admin.projects_client
        cls.roles = cls.os_admin.roles_v3_client
        cls.domains = cls.os_admin.domains_client

    def _users(self):
        return {row((u['id'], u['name'], u['enabled'],
                     u.get('default_project_id'), u['domain_id']))
                for u in self.users.list_users()['users']}

    def _projects(self):
        return {row((p['enabled'], p.get('description'), p['name'],
                     p['domain_id'], p['id']))
                for p in self.projects.list_projects()['projects']}

    @decorators.idempotent_id('c1a52c07-7f0e-4c8b-9e55-0f4c4b6a1001')
    def test_users_and_projects_match_keystone(self):
        project = self.projects.create_project(
            data_utils.rand_name('ctt-project'), description='tempest',
            domain_id='default')['project']
        self.addCleanup(self._delete_quietly, self.projects.delete_project,
                        project['id'])
        user = self.users.create_user(
            name=data_utils.rand_name('ctt-user'),
            default_project_id=project['id'], domain_id='default',
            enabled=False)['user']
        self.addCleanup(self._delete_quietly, self.users.delete_user,
                        user['id'])
        self.assert_table('users', self._users, [row(
            (user['id'], user['name'], False, project['id'], 'default'))])
        self.assert_table('projects', self._projects, [row(
            (True, 'tempest', project['name'], 'default', project['id']))])

    @decorators.idempotent_id('c1a52c07-7f0e-4c8b-9e55-0f4c4b6a1002')
    def test_roles_and_domains_match_keystone(self):
        self.assert_table('roles', lambda: {
            row((r['id'], r['name']))
            for r in self.roles.list_roles()['roles']})
        self.assert_table('domains', lambda: {
            row((d['enabled'], d.get('description'), d['name'], d['id']))
            for d in self.domains.list_domains()['domains']})


class GlanceTablesTest(TablesTestBase):

    DATASOURCE_OPTION = 'glance_datasource'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.glance:
            raise cls.skipException('Glance is not available')
        if not CONF.congress_feature_enabled.glance_driver:
            raise cls.skipException('Congress has no glancev2 data source')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.images = cls.os_admin.image_client_v2

    def _all_images(self):
        images = []
        for hidden in (False, True):
            marker = None
            while True:
                params = {'visibility': 'all', 'limit': 100}
                if hidden:
                    params['os_hidden'] = 'true'
                if marker:
                    params['marker'] = marker
                page = self.images.list_images(params=params)['images']
                images += page
                if len(page) < 100:
                    break
                marker = page[-1]['id']
        return images

    @decorators.idempotent_id('c1a52c07-7f0e-4c8b-9e55-0f4c4b6a1003')
    def test_images_and_tags_match_glance(self):
        image = self.images.create_image(
            name=data_utils.rand_name('ctt-image'), container_format='bare',
            disk_format='raw', visibility='private', min_ram=64,
            tags=['ctt', 'congress'])
        self.addCleanup(self._delete_quietly, self.images.delete_image,
                        image['id'])

        def expected_images():
            return {row(i.get(f) for f in IMAGE_FIELDS)
                    for i in self._all_images()}
        self.assert_table('images', expected_images, [row(
            image.get(f) for f in IMAGE_FIELDS)])
        self.assert_table('tags', lambda: {
            (i['id'], t) for i in self._all_images() for t in i['tags']},
            [(image['id'], 'ctt'), (image['id'], 'congress')])
