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

"""The Nova driver: configuration, translation, negotiation, actions."""

from unittest import mock

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
import novaclient
from novaclient import api_versions
from novaclient import base as nova_base
from novaclient import exceptions as nova_exceptions
from novaclient.v2 import flavors as nova_flavors
from novaclient.v2 import servers as nova_servers
import testtools

from congress.cloudservices import datasource_driver
from congress.cloudservices import nova_actions
from congress.cloudservices import nova_driver
from congress.cloudservices import nova_tables
from congress.cloudservices import openstack_driver
from congress import exception
from congress.tests.unit.cloudservices import nova_samples as samples

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'project_name': 'admin'}

SERVER_COLUMNS = ('id', 'name', 'host_id', 'status', 'tenant_id',
                  'user_id', 'image_id', 'flavor_id', 'zone', 'host_name',
                  'created_at')


def make_driver(fake=None, **config):
    driver = nova_driver.NovaDriver('nova', dict(CONFIG, **config))
    if fake is not None:
        driver._client_without_io().client = fake
    return driver


class ConfigTestCase(testtools.TestCase):

    def test_required_options(self):
        for key in ('auth_url', 'username', 'password', 'project_name'):
            config = dict(CONFIG)
            del config[key]
            err = self.assertRaises(exception.BadRequest,
                                    nova_driver.NovaDriver, 'nova', config)
            self.assertIn(key, str(err))

    def test_unknown_option(self):
        err = self.assertRaises(exception.BadRequest, make_driver,
                                tenant='x')
        self.assertIn('unknown config: tenant', str(err))

    def test_bad_values(self):
        for key, value in (('timeout', 'soon'), ('timeout', 0),
                           ('poll_time', -1), ('interface', 'private'),
                           ('endpoint_type', 'x'), ('api_version', 'abc'),
                           ('api_version', '2.latest'),
                           ('api_version', '3.0'),
                           ('api_version', '2.999'), ('username', '')):
            err = self.assertRaises(exception.BadRequest, make_driver,
                                    **{key: value})
            self.assertIn(key, str(err))

    def test_good_values(self):
        driver = make_driver(timeout='2.5', interface='internal',
                             api_version='2.53', region_name='RegionOne',
                             user_domain_name='Users',
                             project_domain_name='Projects',
                             endpoint_override='http://127.0.0.1:1/v2.1',
                             poll_time=5)
        self.assertEqual(2.5, driver.timeout)
        self.assertEqual('internal', driver.interface)
        self.assertEqual(api_versions.APIVersion('2.53'),
                         driver.requested_version)
        client = driver._client_without_io()
        self.assertEqual('internal', client.client.interface)
        self.assertEqual('RegionOne', client.client.region_name)
        self.assertEqual('http://127.0.0.1:1/v2.1',
                         client.client.endpoint_override)
        self.assertEqual(2.5, client.client.session.timeout)
        auth = client.client.session.auth
        self.assertEqual('Users', auth.auth_methods[0].user_domain_name)
        self.assertEqual('Projects', auth.project_domain_name)

    def test_defaults(self):
        driver = make_driver()
        self.assertEqual(openstack_driver.DEFAULT_TIMEOUT, driver.timeout)
        self.assertEqual('public', driver.interface)
        self.assertIsNone(driver.requested_version)
        auth = driver._client_without_io().client.session.auth
        self.assertEqual('Default', auth.auth_methods[0].user_domain_name)
        self.assertEqual('Default', auth.project_domain_name)

    def test_get_info_follows_the_base_class(self):
        info = nova_driver.NovaDriver.get_info('nova')
        self.assertEqual('nova', info['id'])
        self.assertEqual(['password'], info['secret'])
        self.assertEqual(datasource_driver.REQUIRED,
                         info['config']['password'])
        self.assertEqual(datasource_driver.OPTIONAL,
                         info['config']['api_version'])
        self.assertEqual(
            sorted(['servers', 'servers.addresses', 'tags', 'flavors',
                    'hypervisors', 'services', 'availability_zones']),
            [t['table_id'] for t in info['tables']])

    def test_creating_the_driver_does_no_io(self):
        with mock.patch.object(ks_session.Session, 'request') as request:
            driver = make_driver()
            driver.get_actions()
            driver.get_schema()
        request.assert_not_called()


class SchemaTestCase(testtools.TestCase):

    def test_tables_and_columns(self):
        schema = nova_driver.NovaDriver.get_schema()
        columns = {table: tuple(c['name'] for c in cols)
                   for table, cols in schema.items()}
        self.assertEqual({
            'servers': SERVER_COLUMNS,
            'servers.addresses': ('server_id', 'network_name', 'address',
                                  'version', 'mac_address', 'address_type'),
            'tags': ('server_id', 'tag'),
            'flavors': ('id', 'name', 'vcpus', 'ram', 'disk', 'ephemeral',
                        'rxtx_factor'),
            'hypervisors': ('hypervisor_hostname', 'id', 'state', 'status'),
            'services': ('service_id', 'binary', 'host', 'zone', 'status',
                         'state', 'updated_at', 'disabled_reason'),
            'availability_zones': ('zone', 'state'),
        }, columns)
        for table, cols in schema.items():
            for column in cols:
                self.assertTrue(column['description'],
                                '%s.%s' % (table, column['name']))


def translate(objects):
    state = {}
    for table in nova_tables.TABLES:
        table.translate(objects.get(table.name, ()), into=state)
    return state


class TranslationTestCase(testtools.TestCase):

    def test_server_at_2_96(self):
        server = samples.server('s1', name='web-1', tags=('web', 'prod'))
        nova_driver.resolve_flavor_ids([server], samples.FLAVORS)
        state = translate({'servers': [server]})
        self.assertEqual({(
            's1', 'web-1',
            'c7a2f0e6d4b7c3b0e1b0e65d4bd3e7c2f3e3b6a9b1c7a0e0c3d2b1a0',
            'ACTIVE', samples.PROJECT, samples.USER, samples.IMAGE,
            samples.TINY, 'nova', 'compute-1', '2026-11-26T10:00:00Z')},
            state['servers'])
        self.assertEqual({('s1', 'web'), ('s1', 'prod')}, state['tags'])
        self.assertEqual(
            {('s1', 'private', '10.0.0.5', 4, 'fa:16:3e:00:00:01',
              'fixed')}, state['servers.addresses'])

    def test_positional_column_order(self):
        server = samples.server('s1', name='web-1')
        nova_driver.resolve_flavor_ids([server], samples.FLAVORS)
        row = next(iter(translate({'servers': [server]})['servers']))
        self.assertEqual(('s1', 'web-1'), row[:2])
        self.assertEqual('ACTIVE', row[3])
        self.assertEqual(samples.TINY, row[7])
        self.assertEqual('compute-1', row[9])

    def test_several_addresses_and_networks(self):
        server = samples.server('s1', addresses={
            'private': [
                {'version': 4, 'addr': '10.0.0.5',
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
                {'version': 4, 'addr': '172.24.4.10',
                 'OS-EXT-IPS:type': 'floating',
                 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}],
            'v6net': [
                {'version': 6, 'addr': 'fd00::5',
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:02'}],
            'empty': []})
        state = translate({'servers': [server]})
        self.assertEqual({
            ('s1', 'private', '10.0.0.5', 4, 'fa:16:3e:00:00:01', 'fixed'),
            ('s1', 'private', '172.24.4.10', 4, 'fa:16:3e:00:00:01',
             'floating'),
            ('s1', 'v6net', 'fd00::5', 6, 'fa:16:3e:00:00:02', 'fixed')},
            state['servers.addresses'])

    def test_server_without_addresses_or_tags(self):
        server = samples.server('s1', addresses={}, tags=())
        state = translate({'servers': [server]})
        self.assertEqual(set(), state['servers.addresses'])
        self.assertEqual(set(), state['tags'])
        self.assertEqual(1, len(state['servers']))

    def test_boot_from_volume_has_empty_image(self):
        server = samples.server('s1', image='')
        row = next(iter(translate({'servers': [server]})['servers']))
        self.assertEqual('', row[SERVER_COLUMNS.index('image_id')])

    def test_flavor_name_resolved_to_id(self):
        servers = [samples.server('s1', flavor_name='m1.small'),
                   samples.server('s2', flavor_name='gone.flavor')]
        nova_driver.resolve_flavor_ids(servers, samples.FLAVORS)
        flavor_ids = {row[0]: row[7] for row in
                      translate({'servers': servers})['servers']}
        self.assertEqual({'s1': samples.SMALL, 's2': 'gone.flavor'},
                         flavor_ids)

    def test_server_at_2_1(self):
        server = samples.server_v2_1('s1', flavor_id=samples.SMALL)
        nova_driver.resolve_flavor_ids([server], samples.FLAVORS)
        state = translate({'servers': [server]})
        row = next(iter(state['servers']))
        self.assertEqual(samples.SMALL, row[7])
        self.assertEqual(set(), state['tags'])
        self.assertEqual(1, len(state['servers.addresses']))

    def test_novaclient_resources_translate_too(self):
        manager = mock.Mock(api_version=novaclient.API_MAX_VERSION)
        body = samples.server('s1', name='web-1', tags=('a',))
        body['flavor']['id'] = samples.TINY
        server = nova_servers.Server(manager, body, loaded=True)
        flavor = nova_flavors.Flavor(manager, samples.FLAVORS[1],
                                     loaded=True)
        state = translate({'servers': [server], 'flavors': [flavor]})
        row = next(iter(state['servers']))
        self.assertEqual(('s1', 'web-1'), row[:2])
        self.assertEqual(samples.TINY, row[7])
        self.assertEqual('nova', row[8])
        self.assertEqual({('s1', 'a')}, state['tags'])
        self.assertEqual({(samples.SMALL, 'm1.small', 1, 2048, 20, 5, 2.0)},
                         state['flavors'])

    def test_fast_path_matches_the_declarations(self):
        odd = samples.server('s5', name='odd')
        odd['status'] = {'unexpected': 'shape'}
        del odd['OS-EXT-SRV-ATTR:hypervisor_hostname']
        servers = [samples.server('s1'),
                   samples.server('s2', image='', tags=(),
                                  addresses={}, flavor_name='m1.small'),
                   samples.server('s3', flavor_name='gone', addresses={
                       'a': [{'version': 6, 'addr': 'fd00::1',
                              'OS-EXT-IPS:type': 'fixed',
                              'OS-EXT-IPS-MAC:mac_addr': 'm'}],
                       'b': None}),
                   samples.server_v2_1('s4', flavor_id=samples.SMALL),
                   odd]
        nova_driver.resolve_flavor_ids(servers, samples.FLAVORS)
        fast = nova_tables.SERVERS_TABLE.translate(servers)
        generic = nova_tables.SERVERS_TABLE.translate_generic(servers)
        self.assertEqual(generic, fast)
        self.assertEqual(5, len(fast['servers']))
        self.assertIn("{'unexpected': 'shape'}",
                      {r[3] for r in fast['servers']})

    def test_other_tables(self):
        state = translate({'flavors': samples.FLAVORS,
                           'hypervisors': samples.HYPERVISORS,
                           'services': samples.SERVICES,
                           'availability_zones': samples.ZONES})
        self.assertEqual({(samples.TINY, 'm1.tiny', 1, 512, 1, 0, 1.0),
                          (samples.SMALL, 'm1.small', 1, 2048, 20, 5, 2.0)},
                         state['flavors'])
        self.assertEqual(
            {('compute-1', 'b1e43b5f-eec1-44e0-9f10-7b4945c0226d', 'up',
              'enabled'),
             ('compute-2', 'c2e43b5f-eec1-44e0-9f10-7b4945c0226e', 'down',
              'disabled')}, state['hypervisors'])
        self.assertIn(('0a4f0a3d-6a8b-4c3a-8a3e-2d6b1f8f3e11',
                       'nova-compute', 'compute-2', 'nova', 'disabled',
                       'down', '2026-11-26T09:00:00.000000', 'maintenance'),
                      state['services'])
        self.assertEqual(3, len(state['services']))
        self.assertEqual({('internal', 'available'), ('nova', 'available'),
                          ('broken', 'not available')},
                         state['availability_zones'])


class PollTestCase(testtools.TestCase):

    def test_poll_reads_every_table(self):
        fake = samples.FakeNovaHTTP(servers=[
            samples.server('s1', tags=('x',)),
            samples.server('s2', project=samples.OTHER_PROJECT)])
        driver = make_driver(fake)
        state = driver.poll()
        self.assertIsNotNone(state)
        self.assertEqual({'s1', 's2'}, {r[0] for r in state['servers']})
        self.assertEqual({samples.TINY}, {r[7] for r in state['servers']})
        self.assertEqual({('s1', 'x'), ('s2', 'web')}, state['tags'])
        self.assertEqual(2, len(state['flavors']))
        self.assertEqual(2, len(state['hypervisors']))
        self.assertEqual(3, len(state['services']))
        self.assertEqual(3, len(state['availability_zones']))
        status = driver.get_status()
        self.assertEqual('None', status['last_error'])
        self.assertEqual('True', status['initialized'])
        self.assertEqual('1', status['number_of_updates'])
        servers_call = next(c for c in fake.calls
                            if c[1] == '/servers/detail')
        self.assertEqual('1', servers_call[2]['all_tenants'])
        flavors_call = next(c for c in fake.calls
                            if c[1] == '/flavors/detail')
        self.assertEqual('None', flavors_call[2]['is_public'])

    def test_paging_returns_every_server(self):
        servers = [samples.server('s%05d' % i) for i in range(2500)]
        fake = samples.FakeNovaHTTP(servers=servers, page_size=1000)
        state = make_driver(fake).poll()
        self.assertEqual(2500, len(state['servers']))
        pages = [c for c in fake.calls if c[1] == '/servers/detail']
        self.assertEqual([None, 's00999', 's01999', 's02499'],
                         [c[2].get('marker') for c in pages])

    def test_paging_stops_if_nova_ignores_the_marker(self):
        fake = samples.FakeNovaHTTP(
            servers=[samples.server('s%d' % i) for i in range(3)])
        fake._page = lambda items, query: items
        state = make_driver(fake).poll()
        self.assertEqual(3, len(state['servers']))
        self.assertEqual(2, fake.count('GET', '/servers/detail'))

    def test_negotiates_the_newest_common_microversion_once(self):
        fake = samples.FakeNovaHTTP(max_version='2.79')
        driver = make_driver(fake)
        driver.poll()
        driver.poll()
        self.assertEqual(api_versions.APIVersion('2.79'), driver.api_version)
        self.assertEqual(api_versions.APIVersion('2.79'), fake.api_version)
        self.assertEqual(1, fake.count('GET', '/v2.1'))

    def test_newer_server_gets_novaclient_max(self):
        fake = samples.FakeNovaHTTP(max_version='2.200')
        driver = make_driver(fake)
        driver.poll()
        self.assertEqual(novaclient.API_MAX_VERSION, driver.api_version)
        self.assertNotEqual('2.latest', driver.api_version.get_string())

    def test_configured_version_is_used(self):
        fake = samples.FakeNovaHTTP()
        fake.servers = [samples.server_v2_1('s1')]
        driver = make_driver(fake, api_version='2.1')
        state = driver.poll()
        self.assertEqual(api_versions.APIVersion('2.1'), fake.api_version)
        self.assertEqual({samples.TINY}, {r[7] for r in state['servers']})
        self.assertEqual(1, fake.count('GET', '/os-hypervisors'))

    def test_configured_version_nova_lacks_fails_the_poll(self):
        fake = samples.FakeNovaHTTP(max_version='2.60')
        driver = make_driver(fake, api_version='2.90')
        self.assertIsNone(driver.poll())
        self.assertIn('2.90', driver.get_status()['last_error'])
        self.assertIsNone(driver.api_version)

    def test_failing_fetch_sets_last_error_and_keeps_state(self):
        fake = samples.FakeNovaHTTP(servers=[samples.server('s1')])
        driver = make_driver(fake)
        first = driver.poll()
        fake.fail('GET', r'^/servers/detail$', 500, 'Unexpected API Error.')
        self.assertIsNone(driver.poll())
        status = driver.get_status()
        self.assertIn('Unexpected API Error.', status['last_error'])
        self.assertIn('HTTP 500', status['last_error'])
        self.assertEqual('1', status['number_of_updates'])
        self.assertEqual(first, driver.state)
        # the next poll tries again
        self.assertIsNotNone(driver.poll())
        self.assertEqual('None', driver.get_status()['last_error'])
        self.assertEqual('2', driver.get_status()['number_of_updates'])

    def test_nova_down_at_negotiation_is_retried(self):
        fake = samples.FakeNovaHTTP()
        driver = make_driver(fake)
        fake.fail('GET', r'^/v2.1$', 503, 'Service Unavailable')
        self.assertIsNone(driver.poll())
        self.assertIn('HTTP 503', driver.get_status()['last_error'])
        self.assertIsNotNone(driver.poll())
        self.assertEqual(novaclient.API_MAX_VERSION, driver.api_version)

    def test_timeout_sets_last_error(self):
        fake = samples.FakeNovaHTTP()
        driver = make_driver(fake)
        driver.poll()
        with mock.patch.object(fake, 'get', side_effect=(
                ks_exceptions.ConnectTimeout('Request to '
                                             'http://nova.test timed out'))):
            self.assertIsNone(driver.poll())
        self.assertIn('timed out', driver.get_status()['last_error'])


class ActionDiscoveryTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.actions = {a['name']: a for a in self.driver.get_actions()}

    def test_manager_methods_are_actions(self):
        pause = self.actions['servers.pause']
        self.assertEqual(['server'], [a['name'] for a in pause['args']])
        self.assertEqual('Pause the server.', pause['description'])
        self.assertTrue(pause['args'][0]['description'])
        for name in ('servers.set_meta', 'servers.stop', 'servers.start',
                     'servers.unpause', 'servers.delete_meta',
                     'flavors.create', 'servers.create', 'servers.list',
                     'aggregates.create', 'services.disable',
                     'server_groups.create', 'keypairs.create'):
            self.assertIn(name, self.actions)
        self.assertEqual(['server', 'metadata'],
                         [a['name'] for a in
                          self.actions['servers.set_meta']['args']])

    def test_versioned_methods_described_at_the_declared_version(self):
        # 2.68+ evacuate has no "force" argument; 2.29-2.67 had one
        evacuate = self.actions['servers.evacuate']
        self.assertEqual(['server', 'host', 'password'],
                         [a['name'] for a in evacuate['args']])
        driver = make_driver(api_version='2.30')
        actions = {a['name']: a for a in driver.get_actions()}
        self.assertEqual(['server', 'host', 'password', 'force'],
                         [a['name'] for a in
                          actions['servers.evacuate']['args']])
        # tags came with 2.26
        self.assertIn('servers.add_tag', actions)
        self.assertIn('servers.add_tag', self.actions)
        driver = make_driver(api_version='2.25')
        self.assertNotIn('servers.add_tag', driver.action_names())
        self.assertTrue(driver.excluded_actions['servers.add_tag'].startswith(
            'unavailable'))

    def test_wrappers_are_actions(self):
        wrapper = self.actions['servers_set_meta']
        self.assertEqual(['server_id', '*keys_and_values'],
                         [a['name'] for a in wrapper['args']])
        self.assertIn('key1, value1', wrapper['description'])
        for name in ('servers_delete_meta', 'servers_set_tags',
                     'flavors_set_keys'):
            self.assertIn(name, self.actions)

    def test_private_helpers_and_deprecated_are_not_actions(self):
        for name in ('servers._action', 'servers._boot', 'servers.find',
                     'servers.findall', 'servers.convert_into_with_meta',
                     'servers.alternate_service_type', 'servers.api',
                     'servers.api_version', 'servers.completion_cache',
                     'servers.write_to_completion_cache',
                     'servers.add_hook', 'servers.run_hooks',
                     'servers.resource_class', 'hypervisors.statistics',
                     'hypervisor_stats.statistics', 'agents.list',
                     'agents.create', 'glance.find_image',
                     'neutron.find_network', 'nova', 'poll', 'fetch',
                     'execute', 'action_managers'):
            self.assertNotIn(name, self.actions)
        excluded = self.driver.excluded_actions
        self.assertTrue(excluded['hypervisors.statistics'].startswith(
            'deprecated'))
        self.assertTrue(excluded['hypervisor_stats.statistics'].startswith(
            'removed'))
        self.assertTrue(excluded['agents.*'].startswith('manager'))
        self.assertTrue(excluded['servers.find'].startswith('base'))

    def test_every_action_has_a_description(self):
        for name, action in self.actions.items():
            self.assertTrue(action['description'], name)

    def test_refused_names(self):
        for name in ('servers._action', 'servers.find', 'agents.list',
                     'servers.api.client.get', 'servers', 'nova', 'fetch',
                     'hypervisors.statistics', None):
            self.assertRaises(exception.ActionNotFound,
                              self.driver.resolve_action, name)


class ExclusionRuleTestCase(testtools.TestCase):
    """The rules on methods novaclient marks in each of its ways."""

    class Manager(nova_base.Manager):

        def plain(self, thing):
            """Do a thing.

            :param thing: The thing.
            """

        @api_versions.deprecated_after('2.5')
        def old(self, thing):
            """Do an old thing."""

        def aliased(self):
            """Do it.

            Kept for backwards compatibility, call other() instead.
            """

        def shunned(self, thing):
            """DEPRECATED: use plain().

            :param thing: The thing.
            """

        def mentions(self, files=None):
            """Do it with files.

            :param files: Files (deprecated starting with 2.57).
            """

        @api_versions.wraps('2.0', '2.10')
        def gone(self):
            """Only in old microversions."""

        @api_versions.wraps('2.0', '2.10')
        def refused(self):
            """Works early."""

        @api_versions.wraps('2.11')  # noqa: F811
        def refused(self):  # noqa: F811
            """Refused later."""
            raise nova_exceptions.UnsupportedVersion('removed in 2.11')

    def test_rules(self):
        manager = self.Manager(mock.Mock())
        version = api_versions.APIVersion('2.50')

        def reason(attr):
            return nova_actions.exclusion_reason(manager, attr, version)

        self.assertIsNone(reason('plain'))
        self.assertIsNone(reason('mentions'))
        self.assertTrue(reason('old').startswith('deprecated'))
        self.assertTrue(reason('aliased').startswith('deprecated'))
        self.assertTrue(reason('shunned').startswith('deprecated'))
        self.assertTrue(reason('gone').startswith('unavailable'))
        self.assertTrue(reason('refused').startswith('removed'))
        self.assertIsNone(nova_actions.exclusion_reason(
            manager, 'refused', api_versions.APIVersion('2.3')))
        self.assertTrue(reason('convert_into_with_meta').startswith('base'))


class ExecuteTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.fake = samples.FakeNovaHTTP(servers=[samples.server('s1')])
        self.driver = make_driver(self.fake)

    def test_pause_takes_a_server_id(self):
        result = self.driver.execute('servers.pause', ['s1'], {})
        self.assertIsNone(result)
        self.assertIn(('POST', '/servers/s1/action', {}, {'pause': None}),
                      self.fake.calls)
        self.assertEqual('2.96', self.fake.api_version.get_string())

    def test_named_arguments(self):
        result = self.driver.execute(
            'servers.set_meta', [], {'server': 's1', 'metadata': {'a': 'b'}})
        self.assertEqual({'a': 'b'}, result)

    def test_set_meta_wrapper(self):
        result = self.driver.execute('servers_set_meta',
                                     ['s1', 'k1', 'v1', 'k2', 2], {})
        self.assertEqual({'k1': 'v1', 'k2': '2'}, result)
        self.assertIn(('POST', '/servers/s1/metadata', {},
                       {'metadata': {'k1': 'v1', 'k2': '2'}}),
                      self.fake.calls)

    def test_set_meta_wrapper_odd_count(self):
        for args in (['s1', 'k1'], ['s1'], ['s1', 'a', 'b', 'c']):
            err = self.assertRaises(exception.InvalidActionArguments,
                                    self.driver.execute, 'servers_set_meta',
                                    args, {})
            self.assertIn('pairs of key and value', str(err))
        self.assertEqual([], [c for c in self.fake.calls if c[0] == 'POST'])

    def test_delete_meta_wrapper(self):
        self.driver.execute('servers_set_meta', ['s1', 'a', '1', 'b', '2'],
                            {})
        self.driver.execute('servers_delete_meta', ['s1', 'a', 'b'], {})
        self.assertEqual(2, self.fake.count('DELETE', '/servers/s1/metadata/a')
                         + self.fake.count('DELETE',
                                           '/servers/s1/metadata/b'))

    def test_failure_carries_novas_message(self):
        self.fake.fail('POST', r'/action$', 409,
                       "Cannot 'pause' instance s1 while it is in vm_state "
                       "paused")
        err = self.assertRaises(nova_exceptions.Conflict,
                                self.driver.execute, 'servers.pause', ['s1'],
                                {})
        self.assertIn("Cannot 'pause' instance s1", str(err))
        self.assertIn('HTTP 409', str(err))
        self.assertIn('Request-ID: req-fault-', str(err))

    def test_unknown_server(self):
        err = self.assertRaises(nova_exceptions.NotFound,
                                self.driver.execute, 'servers.pause',
                                ['nope'], {})
        self.assertIn('Instance nope could not be found', str(err))

    def test_unknown_action_makes_no_call(self):
        for name in ('servers.nope', 'servers._action', 'servers.find'):
            self.assertRaises(exception.ActionNotFound, self.driver.execute,
                              name, ['s1'], {})
        self.assertEqual([], self.fake.calls)

    def test_negotiation_failure_fails_the_action(self):
        self.fake.fail('GET', r'^/v2.1$', 500, 'boom')
        err = self.assertRaises(nova_exceptions.ClientException,
                                self.driver.execute, 'servers.pause', ['s1'],
                                {})
        self.assertIn('boom', str(err))
        self.driver.execute('servers.pause', ['s1'], {})
        self.assertEqual('PAUSED', self.fake.servers[0]['status'])
