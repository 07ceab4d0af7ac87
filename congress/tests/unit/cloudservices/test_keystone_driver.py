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

"""The keystonev3 driver: configuration, translation, polling, actions."""

import inspect
from unittest import mock

from keystoneauth1 import session as ks_session
import testtools

from congress.cloudservices import keystone_driver
from congress.cloudservices import keystone_tables
from congress import exception
from congress.tests.unit.cloudservices import keystone_glance_samples as s

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'project_name': 'service'}


def make_driver(fake=None, **config):
    driver = keystone_driver.KeystoneDriver('keystonev3',
                                            dict(CONFIG, **config))
    if fake is not None:
        driver.identity().get = fake.get
    return driver


def translate(objects):
    state = {}
    for table in keystone_tables.TABLES:
        table.translate(objects.get(table.name, ()), into=state)
    return state


class ConfigTestCase(testtools.TestCase):

    def test_tenant_name_stands_for_project_name(self):
        config = dict(CONFIG)
        del config['project_name']
        driver = keystone_driver.KeystoneDriver(
            'k', dict(config, tenant_name='legacy'))
        self.assertEqual('legacy', driver.session().auth.project_name)
        driver = keystone_driver.KeystoneDriver(
            'k', dict(CONFIG, tenant_name='legacy'))
        self.assertEqual('service', driver.session().auth.project_name)

    def test_required_and_unknown(self):
        for key in ('auth_url', 'username', 'password', 'project_name'):
            config = dict(CONFIG)
            del config[key]
            err = self.assertRaises(exception.BadRequest,
                                    keystone_driver.KeystoneDriver, 'k',
                                    config)
            self.assertIn(key, str(err))
        err = self.assertRaises(exception.BadRequest, make_driver,
                                api_version='3')
        self.assertIn('unknown config: api_version', str(err))

    def test_reference_keys_accepted(self):
        driver = make_driver(region='RegionOne', endpoint='x',
                             poll_time='10', lazy_tables='users',
                             user_domain_name='U', project_domain_name='P')
        self.assertEqual('RegionOne', driver.keystone().region_name)
        self.assertRaises(exception.BadRequest, make_driver,
                          lazy_tables='nope')

    def test_one_session_and_no_io_at_creation(self):
        with mock.patch.object(ks_session.Session, 'request') as request:
            driver = make_driver(interface='internal')
            driver.get_actions()
            driver.get_schema()
            self.assertIs(driver.session(), driver.keystone().session)
            self.assertEqual('internal', driver.keystone()._adapter.interface)
        request.assert_not_called()

    def test_info(self):
        info = keystone_driver.KeystoneDriver.get_info('keystonev3')
        self.assertEqual(['password'], info['secret'])
        self.assertEqual(
            ['domains', 'effective_role_assignments', 'groups',
             'project_tags', 'projects', 'role_assignments', 'roles',
             'users'], [t['table_id'] for t in info['tables']])


class SchemaTestCase(testtools.TestCase):

    def test_reference_columns_in_order_and_new_tables(self):
        columns = {t: tuple(c['name'] for c in cols) for t, cols in
                   keystone_driver.KeystoneDriver.get_schema().items()}
        self.assertEqual({
            'users': ('id', 'name', 'enabled', 'default_project_id',
                      'domain_id'),
            'roles': ('id', 'name'),
            'projects': ('enabled', 'description', 'name', 'domain_id',
                         'id'),
            'domains': ('enabled', 'description', 'name', 'id'),
            'groups': ('id', 'name', 'description', 'domain_id'),
            'project_tags': ('project_id', 'tag'),
            'role_assignments': ('role_id', 'user_id', 'group_id',
                                 'project_id', 'domain_id', 'system',
                                 'inherited'),
            'effective_role_assignments': ('role_id', 'user_id',
                                           'project_id', 'domain_id',
                                           'system'),
        }, columns)
        schema = keystone_driver.KeystoneDriver.get_schema()
        for table, cols in schema.items():
            for column in cols:
                self.assertTrue(column['description'], table)


class TranslationTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.state = translate({
            'users': s.USERS, 'roles': s.ROLES, 'projects': s.PROJECTS,
            'domains': s.DOMAINS, 'groups': s.GROUPS,
            'role_assignments': s.ROLE_ASSIGNMENTS,
            'effective_role_assignments': s.EFFECTIVE_ROLE_ASSIGNMENTS})

    def test_users_missing_default_project_is_none(self):
        self.assertEqual({
            (s.CONGRESS_USER, 'congress', True, s.SERVICE_PROJECT, 'default'),
            (s.ADMIN_USER, 'admin', True, None, 'default')},
            self.state['users'])

    def test_roles_projects_domains_groups(self):
        self.assertEqual({(s.MEMBER_ROLE, 'member'), (s.ADMIN_ROLE, 'admin')},
                         self.state['roles'])
        self.assertEqual({
            (True, '', 'service', 'default', s.SERVICE_PROJECT),
            (True, 'Bootstrap project for initializing the cloud.', 'admin',
             'default', s.ADMIN_PROJECT)}, self.state['projects'])
        self.assertEqual({(True, 'The default domain', 'Default',
                           'default')}, self.state['domains'])
        self.assertEqual({(s.GROUP, 'operators', 'the ops team', 'default')},
                         self.state['groups'])
        self.assertEqual({(s.ADMIN_PROJECT, 'prod'), (s.ADMIN_PROJECT, 'ops')},
                         self.state['project_tags'])

    def test_role_assignments(self):
        self.assertEqual({
            (s.ADMIN_ROLE, s.ADMIN_USER, None, s.ADMIN_PROJECT, None, None,
             False),
            (s.ADMIN_ROLE, s.ADMIN_USER, None, None, None, 'all', False),
            (s.MEMBER_ROLE, None, s.GROUP, None, 'default', None, True)},
            self.state['role_assignments'])
        self.assertEqual({
            (s.ADMIN_ROLE, s.ADMIN_USER, s.ADMIN_PROJECT, None, None),
            (s.ADMIN_ROLE, s.ADMIN_USER, None, None, 'all'),
            (s.MEMBER_ROLE, s.CONGRESS_USER, s.SERVICE_PROJECT, None, None)},
            self.state['effective_role_assignments'])

    def test_empty_and_sparse_objects(self):
        state = translate({'users': [{'id': 'u'}], 'projects': [{}],
                           'role_assignments': [{'role': {'id': 'r'}}],
                           'domains': []})
        self.assertEqual({('u', None, None, None, None)}, state['users'])
        self.assertEqual({(None,) * 5}, state['projects'])
        self.assertEqual(set(), state['project_tags'])
        self.assertEqual({('r', None, None, None, None, None, False)},
                         state['role_assignments'])
        self.assertEqual(set(), state['domains'])
        self.assertEqual(set(), state['roles'])

    def test_keystoneclient_resources_translate_too(self):
        from keystoneclient.v3 import users
        user = users.User(mock.Mock(), s.USERS[1], loaded=True)
        state = translate({'users': [user]})
        self.assertEqual({(s.ADMIN_USER, 'admin', True, None, 'default')},
                         state['users'])


class PollTestCase(testtools.TestCase):

    def test_poll_reads_every_collection(self):
        fake = s.FakeKeystoneHTTP()
        driver = make_driver(fake)
        state = driver.poll()
        self.assertEqual('None', driver.get_status()['last_error'])
        self.assertEqual(sorted(path for _t, path, _k in
                                keystone_driver.COLLECTIONS),
                         sorted(fake.calls))
        self.assertEqual(2, len(state['users']))
        self.assertEqual(3, len(state['role_assignments']))
        self.assertEqual(3, len(state['effective_role_assignments']))

    def test_truncated_list_fails_the_poll_and_keeps_the_state(self):
        fake = s.FakeKeystoneHTTP()
        driver = make_driver(fake)
        first = driver.poll()
        fake.bodies['/users']['truncated'] = True
        fake.bodies['/users']['users'].pop()
        self.assertIsNone(driver.poll())
        error = driver.get_status()['last_error']
        self.assertIn('/users', error)
        self.assertIn('list_limit', error)
        self.assertEqual(first, driver.state)
        del fake.bodies['/users']['truncated']
        self.assertIsNotNone(driver.poll())
        self.assertEqual('None', driver.get_status()['last_error'])

    def test_failure_is_reported(self):
        driver = make_driver(s.FakeKeystoneHTTP())
        with mock.patch.object(driver.identity(), 'get',
                               side_effect=RuntimeError('HTTP 503 down')):
            self.assertIsNone(driver.poll())
        self.assertIn('HTTP 503', driver.get_status()['last_error'])


class ActionsTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.actions = {a['name']: a for a in self.driver.get_actions()}

    def test_manager_methods_with_docstring_arguments(self):
        update = self.actions['users.update']
        self.assertEqual('Update a user.', update['description'])
        args = {a['name']: a['description'] for a in update['args']}
        self.assertEqual('whether the user is enabled.', args['enabled'])
        self.assertEqual(['user', 'name', 'domain', 'project', 'password',
                          'email', 'description', 'enabled',
                          'default_project', '**kwargs'],
                         [a['name'] for a in update['args']])
        for name in ('projects.update', 'roles.grant', 'roles.revoke',
                     'groups.create', 'users.add_to_group', 'domains.update',
                     'role_assignments.list', 'inference_rules.create',
                     'projects.add_tag', 'trusts.create'):
            self.assertIn(name, self.actions)
        self.assertEqual(['role', 'user', 'group', 'system', 'domain',
                          'project', 'os_inherit_extension_inherited',
                          '**kwargs'],
                         [a['name'] for a in
                          self.actions['roles.grant']['args']])

    def test_wrappers(self):
        for name, args in (('users_disable', ['user_id']),
                           ('users_enable', ['user_id']),
                           ('projects_disable', ['project_id']),
                           ('projects_enable', ['project_id']),
                           ('roles_grant_on_project',
                            ['role_id', 'user_id', 'project_id']),
                           ('roles_revoke_on_project',
                            ['role_id', 'user_id', 'project_id'])):
            self.assertEqual(args, [a['name'] for a in
                                    self.actions[name]['args']])
            self.assertTrue(all(a['description'] for a in
                                self.actions[name]['args']))

    def test_exclusions_with_reasons(self):
        excluded = self.driver.excluded_actions
        for name, reason in (('users.find', 'base'), ('users.put', 'base'),
                             ('users.build_url', 'base'),
                             ('roles.create_implied', 'deprecated'),
                             ('role_assignments.create', 'unsupported'),
                             ('trusts.update', 'unsupported'),
                             ('credentials.*', 'manager'),
                             ('ec2.*', 'manager'),
                             ('application_credentials.*', 'manager'),
                             ('auth.*', 'manager'),
                             ('users.update_password', 'self')):
            self.assertTrue(excluded[name].startswith(reason), name)
            self.assertNotIn(name, self.actions)
        for name in ('credentials.create', 'ec2.list', 'keystone', 'fetch',
                     'tokens.validate', 'federation.mappings.list'):
            self.assertNotIn(name, self.actions)
            self.assertRaises(exception.ActionNotFound,
                              self.driver.resolve_action, name)

    def test_every_action_is_described(self):
        for name, action in self.actions.items():
            self.assertTrue(action['description'], name)


class ExecuteTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.client = self.driver.keystone()

    def test_manager_method_runs_with_named_args(self):
        with mock.patch.object(self.client.users, 'update',
                               return_value={'id': 'u', 'enabled': False}
                               ) as update:
            result = self.driver.execute('users.update', ['u'],
                                         {'enabled': False})
        update.assert_called_once_with('u', enabled=False)
        self.assertEqual({'id': 'u', 'enabled': False}, result)

    def test_wrappers_call_the_managers(self):
        with mock.patch.object(self.client.users, 'update',
                               return_value=None) as update:
            self.driver.execute('users_disable', ['u'], {})
            self.driver.execute('users_enable', ['u'], {})
        self.assertEqual([mock.call('u', enabled=False),
                          mock.call('u', enabled=True)],
                         update.call_args_list)
        with mock.patch.object(self.client.projects, 'update',
                               return_value=None) as update:
            self.driver.execute('projects_disable', ['p'], {})
        update.assert_called_once_with('p', enabled=False)
        with mock.patch.object(self.client.roles, 'grant',
                               return_value=None) as grant, \
                mock.patch.object(self.client.roles, 'revoke',
                                  return_value=None) as revoke:
            self.driver.execute('roles_grant_on_project', ['r', 'u', 'p'],
                                {})
            self.driver.execute('roles_revoke_on_project', ['r', 'u', 'p'],
                                {})
        grant.assert_called_once_with('r', user='u', project='p')
        revoke.assert_called_once_with('r', user='u', project='p')


class ExclusionRuleTestCase(testtools.TestCase):
    """The rules on methods keystoneclient marks in each of its ways."""

    def test_rules(self):
        from debtcollector import removals
        from keystoneclient import base as keystone_base

        from congress.cloudservices import keystone_actions

        class Manager(keystone_base.CrudManager):
            key = 'thing'
            collection_key = 'things'

            def plain(self, thing):
                """Do a thing.

                :param thing: The thing.
                """

            @removals.remove(message='use plain')
            def old(self, thing):
                """Do an old thing."""

            @removals.removed_kwarg('colour')
            def recoloured(self, thing, colour=None):
                """Still works; only colour is going away."""

            def refused(self, **kwargs):
                raise NotImplementedError('not supported by the API')

            def aliased(self):
                """Deprecated: use plain()."""

        manager = Manager(mock.Mock())

        def reason(attr):
            function = inspect.getattr_static(manager, attr)
            return keystone_actions.exclusion_reason('things', manager, attr,
                                                     function)

        self.assertIsNone(reason('plain'))
        self.assertIsNone(reason('recoloured'))
        self.assertTrue(reason('old').startswith('deprecated'))
        self.assertTrue(reason('aliased').startswith('deprecated'))
        self.assertTrue(reason('refused').startswith('unsupported'))
        for attr in ('find', 'build_url', 'put', 'head'):
            self.assertTrue(reason(attr).startswith('base'), attr)
        # a regions.create-like method (removed_kwarg) stays an action
        self.assertIn('regions.create', make_driver().action_names())
