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

"""The Neutron drivers: configuration, schema, translation, paging."""

import copy
from unittest import mock
import urllib.parse

from keystoneauth1 import session as ks_session
from openstack import exceptions as sdk_exceptions
from openstack.network.v2 import port as sdk_port
import testtools

from congress.cloudservices import neutron_driver
from congress.cloudservices import neutron_tables
from congress import exception
from congress.tests.unit.cloudservices import neutron_samples as samples

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'project_name': 'admin'}

PROJECT = 'a3d4e11416f84ffcb846c0cbc712d5d9'
PRIVATE_NET = 'd14b4182-d384-47bf-bebf-f67000763851'
PUBLIC_NET = 'ef991429-3666-440f-8b88-63295aea5089'
PRIVATE_SUBNET = '1257c79a-a089-408f-b179-1bb8e8b8833e'
PUBLIC_SUBNET = '154f4db4-7942-40eb-bf41-49a6e112992a'
V6_SUBNET = '24f48d33-0d6d-4e54-912f-cbec641ccf57'
WEB_PORT = '1f8bc2f9-0291-430e-95dc-d4f0c2c989f6'
BARE_PORT = 'a15f2ed5-2e83-45fd-8e58-8a0c87b23bf9'
ROUTER_1 = '4879bc5f-720c-4d33-8b3c-1c702d33c40d'
ROUTER_2 = '00ca0b17-2c17-4574-a13a-f74a239903f3'
WEB_SG = 'ef51d192-f648-41a9-bab0-46167b798187'
DEFAULT_SG = 'f847ec0a-7ce9-4c02-ae15-9c949efe9402'
SSH_RULE = '0ff29185-ce19-4108-95f0-d8c2d391070a'

#: The reference's column lists (reference-schemas.md sections 3 and 4).
NEUTRON_COLUMNS = {
    'networks': ('id', 'tenant_id', 'name', 'status', 'admin_state_up',
                 'shared'),
    'ports': ('id', 'tenant_id', 'name', 'network_id', 'mac_address',
              'admin_state_up', 'status', 'device_id', 'device_owner'),
    'fixed_ips': ('port_id', 'ip_address', 'subnet_id'),
    'security_group_port_bindings': ('port_id', 'security_group_id'),
    'subnets': ('id', 'tenant_id', 'name', 'network_id', 'ip_version',
                'cidr', 'gateway_ip', 'enable_dhcp', 'ipv6_ra_mode',
                'ipv6_address_mode'),
    'allocation_pools': ('subnet_id', 'start', 'end'),
    'dns_nameservers': ('subnet_id', 'dns_nameserver'),
    'host_routes': ('subnet_id', 'destination', 'nexthop'),
    'routers': ('id', 'tenant_id', 'status', 'admin_state_up', 'name',
                'distributed'),
    'external_gateway_infos': ('router_id', 'network_id', 'enable_snat'),
    'external_fixed_ips': ('router_id', 'subnet_id', 'ip_address'),
    'security_groups': ('id', 'tenant_id', 'name', 'description'),
    'security_group_rules': ('security_group_id', 'id', 'tenant_id',
                             'remote_group_id', 'direction', 'ethertype',
                             'protocol', 'port_range_min', 'port_range_max',
                             'remote_ip_prefix'),
    'floating_ips': ('id', 'router_id', 'tenant_id', 'floating_network_id',
                     'fixed_ip_address', 'floating_ip_address', 'port_id',
                     'status'),
}
QOS_COLUMNS = {
    'ports': ('id',),
    'qos_policy_port_bindings': ('port_id', 'qos_policy_id'),
    'policies': ('id', 'tenant_id', 'name', 'description', 'shared'),
    'rules': ('qos_policy_id', 'id', 'min_kbps', 'direction', 'type',
              'dscp_mark', 'max_burst_kbps', 'max_kbps'),
}


def make_driver(cls=neutron_driver.NeutronV2Driver, **config):
    return cls('neutronv2', dict(CONFIG, **config))


def translate(table_declarations, objects):
    state = {}
    for table in table_declarations:
        table.translate(objects.get(table.name, ()), into=state)
    return state


def recorded():
    return copy.deepcopy({'networks': samples.NETWORKS,
                          'ports': samples.PORTS,
                          'subnets': samples.SUBNETS,
                          'routers': samples.ROUTERS,
                          'security_groups': samples.SECURITY_GROUPS,
                          'floating_ips': samples.FLOATING_IPS})


class ConfigTestCase(testtools.TestCase):

    def test_required_options(self):
        for key in ('auth_url', 'username', 'password', 'project_name'):
            config = dict(CONFIG)
            del config[key]
            err = self.assertRaises(exception.BadRequest,
                                    neutron_driver.NeutronV2Driver,
                                    'neutronv2', config)
            self.assertIn(key, str(err))

    def test_tenant_name_stands_for_project_name(self):
        config = dict(CONFIG)
        del config['project_name']
        for cls in (neutron_driver.NeutronV2Driver,
                    neutron_driver.NeutronV2QosDriver):
            driver = cls('n', dict(config, tenant_name='demo'))
            self.assertEqual('demo', driver.session().auth.project_name)
        driver = make_driver(tenant_name='demo')
        self.assertEqual('admin', driver.session().auth.project_name)

    def test_reference_keys_are_accepted(self):
        driver = make_driver(region='RegionTwo', endpoint='x', poll_time=5,
                             lazy_tables=['ports', 'routers'],
                             user_domain_name='Users',
                             project_domain_name='Projects')
        self.assertEqual('RegionTwo', driver.region_name)
        err = self.assertRaises(exception.BadRequest, make_driver,
                                lazy_tables=['fixed_ips'])
        self.assertIn('fixed_ips', str(err))

    def test_page_size(self):
        self.assertEqual(neutron_driver.DEFAULT_PAGE_SIZE,
                         make_driver().page_size)
        self.assertEqual(50, make_driver(page_size='50').page_size)
        for bad in ('0', -1, 'many', True):
            err = self.assertRaises(exception.BadRequest, make_driver,
                                    page_size=bad)
            self.assertIn('page_size', str(err))

    def test_unknown_option(self):
        err = self.assertRaises(exception.BadRequest, make_driver,
                                tenant='x')
        self.assertIn('unknown config: tenant', str(err))

    def test_connection_uses_the_session_and_endpoint_options(self):
        driver = make_driver(interface='internalURL',
                             region_name='RegionOne',
                             endpoint_override='http://127.0.0.1:1/',
                             timeout=3)
        conn = driver.connection()
        self.assertIs(driver.session(), conn.session)
        self.assertIs(conn, driver.connection())
        self.assertEqual('internal', conn.config.get_interface('network'))
        self.assertEqual('RegionOne', conn.config.get_region_name('network'))
        self.assertEqual('http://127.0.0.1:1/',
                         conn.config.get_endpoint('network'))
        self.assertEqual(3.0, driver.session().timeout)

    def test_creating_the_driver_does_no_io(self):
        with mock.patch.object(ks_session.Session, 'request') as request:
            driver = make_driver()
            driver.connection()
            driver.get_actions()
            driver.get_schema()
            make_driver(neutron_driver.NeutronV2QosDriver).get_schema()
        request.assert_not_called()

    def test_get_info(self):
        info = neutron_driver.NeutronV2Driver.get_info('neutronv2')
        self.assertEqual(['password'], info['secret'])
        self.assertIn('tenant_name', info['config'])
        self.assertEqual(sorted(NEUTRON_COLUMNS),
                         [t['table_id'] for t in info['tables']])
        info = neutron_driver.NeutronV2QosDriver.get_info('neutronv2_qos')
        self.assertEqual(sorted(QOS_COLUMNS),
                         [t['table_id'] for t in info['tables']])


class SchemaTestCase(testtools.TestCase):

    def _check(self, cls, expected):
        schema = cls.get_schema()
        self.assertEqual(expected,
                         {table: tuple(c['name'] for c in columns)
                          for table, columns in schema.items()})
        for table, columns in schema.items():
            for column in columns:
                self.assertTrue(column['description'],
                                '%s.%s' % (table, column['name']))

    def test_neutronv2_columns_in_reference_order(self):
        self._check(neutron_driver.NeutronV2Driver, NEUTRON_COLUMNS)

    def test_neutronv2_qos_columns_in_reference_order(self):
        self._check(neutron_driver.NeutronV2QosDriver, QOS_COLUMNS)

    def test_root_tables(self):
        self.assertEqual(
            ['networks', 'ports', 'subnets', 'routers', 'security_groups',
             'floating_ips'],
            [t.name for t in neutron_driver.NeutronV2Driver.TABLES])
        self.assertEqual(
            ['ports', 'policies'],
            [t.name for t in neutron_driver.NeutronV2QosDriver.TABLES])


class TranslationTestCase(testtools.TestCase):
    """Rows from objects recorded from the test bed's Neutron."""

    def setUp(self):
        super().setUp()
        self.state = translate(neutron_tables.TABLES, recorded())

    def test_every_table_is_filled(self):
        self.assertEqual(set(NEUTRON_COLUMNS), set(self.state))
        for table, rows in self.state.items():
            self.assertTrue(rows, table)
            for row in rows:
                self.assertEqual(len(NEUTRON_COLUMNS[table]), len(row))

    def test_networks(self):
        self.assertEqual(
            {(PRIVATE_NET, PROJECT, 'private', 'ACTIVE', True, False),
             (PUBLIC_NET, PROJECT, 'public', 'ACTIVE', True, False)},
            self.state['networks'])

    def test_ports(self):
        ports = {row[0]: row for row in self.state['ports']}
        self.assertEqual(6, len(ports))
        self.assertEqual(
            (WEB_PORT, PROJECT, 'web-port', PRIVATE_NET, 'fa:16:3e:b3:6a:b3',
             True, 'DOWN', '11111111-2222-3333-4444-555555555555',
             'compute:nova'), ports[WEB_PORT])
        self.assertEqual(
            (BARE_PORT, PROJECT, 'bare-port', PRIVATE_NET,
             'fa:16:3e:e8:77:13', True, 'DOWN', '', ''), ports[BARE_PORT])
        # a floating IP's port: no owner (""), status "N/A" -> OTHER
        fip_port = ports['2613b60f-1f5e-446f-86d1-8bf995098ae4']
        self.assertEqual(('', '', 'OTHER', 'network:floatingip'),
                         (fip_port[1], fip_port[2], fip_port[6],
                          fip_port[8]))

    def test_fixed_ips_and_security_group_bindings(self):
        fixed = {row for row in self.state['fixed_ips']
                 if row[0] in (WEB_PORT, BARE_PORT)}
        self.assertEqual(
            {(WEB_PORT, '10.0.0.37', PRIVATE_SUBNET),
             (WEB_PORT, 'fd00::1:f816:3eff:feb3:6ab3', V6_SUBNET),
             (BARE_PORT, '10.0.0.16', PRIVATE_SUBNET),
             (BARE_PORT, 'fd00::1:f816:3eff:fee8:7713', V6_SUBNET)}, fixed)
        self.assertEqual(8, len(self.state['fixed_ips']))
        # the bare port's empty security_groups list gives no row
        self.assertEqual({(WEB_PORT, WEB_SG)},
                         self.state['security_group_port_bindings'])

    def test_subnets_and_their_children(self):
        subnets = {row[0]: row for row in self.state['subnets']}
        self.assertEqual(
            (PRIVATE_SUBNET, PROJECT, 'private-sub', PRIVATE_NET, 4,
             '10.0.0.0/24', '10.0.0.1', True, None, None),
            subnets[PRIVATE_SUBNET])
        self.assertEqual(
            (V6_SUBNET, PROJECT, 'private-v6', PRIVATE_NET, 6,
             'fd00:0:0:1::/64', 'fd00:0:0:1::', True, 'slaac', 'slaac'),
            subnets[V6_SUBNET])
        self.assertEqual(
            {(PRIVATE_SUBNET, '10.0.0.10', '10.0.0.100'),
             (PRIVATE_SUBNET, '10.0.0.150', '10.0.0.200'),
             (PUBLIC_SUBNET, '172.24.4.2', '172.24.4.254'),
             (V6_SUBNET, 'fd00:0:0:1::1', 'fd00::1:ffff:ffff:ffff:ffff')},
            self.state['allocation_pools'])
        self.assertEqual({(PRIVATE_SUBNET, '8.8.8.8'),
                          (PRIVATE_SUBNET, '1.1.1.1')},
                         self.state['dns_nameservers'])
        self.assertEqual({(PRIVATE_SUBNET, '192.168.0.0/24', '10.0.0.254')},
                         self.state['host_routes'])

    def test_routers_and_gateways(self):
        self.assertEqual(
            {(ROUTER_1, PROJECT, 'ACTIVE', True, 'r1', False),
             (ROUTER_2, PROJECT, 'ACTIVE', True, 'r2', False)},
            self.state['routers'])
        # r2's external_gateway_info is null: no rows
        self.assertEqual({(ROUTER_1, PUBLIC_NET, True)},
                         self.state['external_gateway_infos'])
        self.assertEqual({(ROUTER_1, PUBLIC_SUBNET, '172.24.4.125')},
                         self.state['external_fixed_ips'])

    def test_security_groups_and_rules(self):
        self.assertEqual(
            {(WEB_SG, PROJECT, 'web', 'web servers'),
             (DEFAULT_SG, PROJECT, 'default', 'Default security group')},
            self.state['security_groups'])
        self.assertEqual(
            {(WEB_SG, SSH_RULE, PROJECT, None, 'ingress', 'IPv4', 'tcp', 22,
              22, '0.0.0.0/0')},
            self.state['security_group_rules'])

    def test_floating_ips(self):
        self.assertEqual(
            {('1bafd1b9-30d8-4688-807f-779420b1fa35', None, PROJECT,
              PUBLIC_NET, None, '172.24.4.129', None, 'DOWN'),
             ('520b78b6-d275-43a3-9b30-080ed7253c63', ROUTER_1, PROJECT,
              PUBLIC_NET, '10.0.0.37', '172.24.4.69', WEB_PORT, 'DOWN')},
            self.state['floating_ips'])

    def test_empty_lists_give_empty_tables(self):
        state = translate(neutron_tables.TABLES, {})
        self.assertEqual(set(NEUTRON_COLUMNS), set(state))
        self.assertFalse(any(state.values()))

    def test_missing_fields_are_none(self):
        state = translate(neutron_tables.TABLES, {
            'ports': [{'id': 'p'}], 'routers': [{'id': 'r'}],
            'subnets': [{'id': 's', 'dns_nameservers': None}],
            'security_groups': [{'id': 'g', 'security_group_rules': [{}]}],
            'networks': [{'id': 'n'}], 'floating_ips': [{'id': 'f'}]})
        self.assertEqual({('p',) + (None,) * 8}, state['ports'])
        self.assertEqual({('r',) + (None,) * 5}, state['routers'])
        self.assertEqual({('s',) + (None,) * 9}, state['subnets'])
        self.assertEqual({('n',) + (None,) * 5}, state['networks'])
        self.assertEqual({('f',) + (None,) * 7}, state['floating_ips'])
        self.assertEqual({('g',) + (None,) * 9},
                         state['security_group_rules'])
        for table in ('fixed_ips', 'security_group_port_bindings',
                      'allocation_pools', 'dns_nameservers', 'host_routes',
                      'external_gateway_infos', 'external_fixed_ips'):
            self.assertEqual(set(), state[table], table)

    def test_gateway_without_fixed_ips(self):
        state = translate(neutron_tables.TABLES, {'routers': [
            {'id': 'r', 'external_gateway_info': {'network_id': 'n'}}]})
        self.assertEqual({('r', 'n', None)}, state['external_gateway_infos'])
        self.assertEqual(set(), state['external_fixed_ips'])

    def test_status_catch_alls(self):
        objects = {
            'networks': [{'id': s, 'status': s} for s in
                         ('ACTIVE', 'DOWN', 'BUILD', 'ERROR', 'N/A',
                          'active', 'PENDING')],
            'floating_ips': [{'id': s, 'status': s} for s in
                             ('ACTIVE', 'DOWN', 'ERROR', 'BUILD', 'N/A')]}
        state = translate(neutron_tables.TABLES, objects)
        self.assertEqual(
            {'ACTIVE': 'ACTIVE', 'DOWN': 'DOWN', 'BUILD': 'BUILD',
             'ERROR': 'ERROR', 'N/A': 'OTHER', 'active': 'OTHER',
             'PENDING': 'OTHER'},
            {row[0]: row[3] for row in state['networks']})
        self.assertEqual(
            {'ACTIVE': 'ACTIVE', 'DOWN': 'DOWN', 'ERROR': 'ERROR',
             'BUILD': 'OTHER', 'N/A': 'OTHER'},
            {row[0]: row[7] for row in state['floating_ips']})

    def test_ip_addresses_are_normalised(self):
        for given, expected in (
                ('10.0.0.1', '10.0.0.1'),
                ('::ffff:10.0.0.1', '10.0.0.1'),
                ('2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'),
                ('FD00::1', 'fd00::1'),
                ('not:an:address', 'not:an:address'),
                (None, None)):
            state = translate(neutron_tables.TABLES, {'ports': [
                {'id': 'p', 'fixed_ips': [{'ip_address': given}]}]})
            self.assertEqual({('p', expected, None)}, state['fixed_ips'],
                             given)

    def test_tenant_id_falls_back_to_project_id(self):
        state = translate(neutron_tables.TABLES, {'networks': [
            {'id': 'a', 'tenant_id': 't', 'project_id': 'p'},
            {'id': 'b', 'project_id': 'p'},
            {'id': 'c', 'tenant_id': '', 'project_id': 'p'}]})
        self.assertEqual({'a': 't', 'b': 'p', 'c': ''},
                         {row[0]: row[1] for row in state['networks']})

    def test_sdk_resources_translate_too(self):
        port = sdk_port.Port(**samples.PORTS[0])
        state = translate(neutron_tables.TABLES, {'ports': [port]})
        self.assertEqual({row for row in self.state['ports']
                          if row[0] == WEB_PORT}, state['ports'])


class QosTranslationTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.state = translate(neutron_tables.QOS_TABLES, {
            'ports': copy.deepcopy(samples.QOS_PORTS),
            'policies': copy.deepcopy(samples.QOS_POLICIES)})

    def test_ports_and_bindings(self):
        self.assertEqual({(p['id'],) for p in samples.QOS_PORTS},
                         self.state['ports'])
        third = samples.QOS_PORTS[2]['id']
        self.assertEqual(
            {(WEB_PORT, samples.QOS_POLICY_ID),
             (third, samples.QOS_POLICY_ID),
             (third, samples.QOS_POLICY_2_ID)},
            self.state['qos_policy_port_bindings'])

    def test_policies(self):
        owner = '8d4c70a21fed4aeba121a1a429ba0d04'
        self.assertEqual(
            {(samples.QOS_POLICY_ID, owner, '10Mbit',
              'This policy limits the ports to 10Mbit max.', False),
             (samples.QOS_POLICY_2_ID, owner, 'empty', '', True)},
            self.state['policies'])

    def test_rules_union_of_the_types(self):
        policy = samples.QOS_POLICY_ID
        self.assertEqual(
            {(policy, '5f126d84-551a-4dcf-bb01-0e9c0df0c793', None,
              'egress', 'bandwidth_limit', None, 0, 10000),
             (policy, '8eb8c1e2-3e8f-4a8b-9f0b-1f0d3c2a7b11', None, None,
              'dscp_marking', 26, None, None),
             (policy, '1eddf7af-0b4c-42c5-8ae1-390b32f1de08', 1000,
              'egress', 'minimum_bandwidth', None, None, None)},
            self.state['rules'])


class FakeResponse(object):

    def __init__(self, body, status_code=200):
        self.body = body
        self.status_code = status_code

    def json(self):
        return copy.deepcopy(self.body)


class FakeNetwork(object):
    """Serves collections the way Neutron pages them: ``limit`` objects
    sorted by id after ``marker``, with a ``next`` link on a full page."""

    def __init__(self, collections, links=True, ignore_marker=False):
        self.collections = collections
        self.links = links
        self.ignore_marker = ignore_marker
        self.requests = []
        self.fail = None

    def get(self, path, params=None):
        params = dict(params or {})
        self.requests.append((path, params))
        if self.fail is not None:
            raise self.fail
        key, items = self.collections[path]
        items = sorted(items, key=lambda item: item['id'])
        limit = int(params.get('limit', len(items)))
        start = 0
        if 'marker' in params and not self.ignore_marker:
            start = 1 + [i['id'] for i in items].index(params['marker'])
        page = items[start:start + limit]
        body = {key: page}
        if self.links and len(page) == limit:
            query = urllib.parse.urlencode({'limit': limit,
                                            'marker': page[-1]['id']})
            body[key + '_links'] = [
                {'rel': 'previous', 'href': 'http://n/v2.0%s?marker=x&'
                 'page_reverse=True' % path},
                {'rel': 'next', 'href': 'http://n/v2.0%s?%s' % (path,
                                                                query)}]
        return FakeResponse(body)


def fake_neutron(n_ports=0, **kwargs):
    objects = recorded()
    ports = objects['ports'] + [
        {'id': 'port-%05d' % i, 'fixed_ips': [], 'security_groups': []}
        for i in range(n_ports)]
    return FakeNetwork({
        '/networks': ('networks', objects['networks']),
        '/ports': ('ports', ports),
        '/subnets': ('subnets', objects['subnets']),
        '/routers': ('routers', objects['routers']),
        '/security-groups': ('security_groups',
                             objects['security_groups']),
        '/floatingips': ('floatingips', objects['floating_ips']),
        '/qos/policies': ('policies', samples.QOS_POLICIES)}, **kwargs)


class PollTestCase(testtools.TestCase):

    def _driver(self, network, cls=neutron_driver.NeutronV2Driver,
                **config):
        driver = make_driver(cls, **config)
        driver._network = network
        return driver

    def test_poll_reads_every_table(self):
        network = fake_neutron()
        driver = self._driver(network)
        state = driver.poll()
        self.assertIsNotNone(state, driver.get_status())
        self.assertEqual(translate(neutron_tables.TABLES, recorded()),
                         state)
        self.assertEqual('True', driver.get_status()['initialized'])
        self.assertEqual(
            ['/networks', '/ports', '/subnets', '/routers',
             '/security-groups', '/floatingips'],
            [path for path, _params in network.requests])

    def test_paging_returns_every_port(self):
        network = fake_neutron(n_ports=2500)
        driver = self._driver(network, page_size=1000)
        state = driver.poll()
        self.assertEqual(2506, len(state['ports']))
        port_requests = [params for path, params in network.requests
                         if path == '/ports']
        self.assertEqual(3, len(port_requests))
        self.assertEqual({1000}, {p['limit'] for p in port_requests})
        self.assertNotIn('marker', port_requests[0])
        self.assertEqual('port-00993', port_requests[1]['marker'])

    def test_full_last_page_ends_with_an_empty_one(self):
        network = fake_neutron(n_ports=4)   # 10 ports in pages of 5
        driver = self._driver(network, page_size=5)
        self.assertEqual(10, len(driver.poll()['ports']))
        self.assertEqual(3, len([p for p, _ in network.requests
                                 if p == '/ports']))

    def test_no_links_means_one_page(self):
        # a Neutron with pagination off answers everything, without links
        network = fake_neutron(n_ports=20, links=False)
        driver = self._driver(network, page_size=5)
        self.assertEqual(5, len(driver.poll()['ports']))
        self.assertEqual(1, len([p for p, _ in network.requests
                                 if p == '/ports']))

    def test_repeated_marker_stops(self):
        network = fake_neutron(n_ports=20, ignore_marker=True)
        driver = self._driver(network, page_size=5)
        self.assertIsNotNone(driver.poll())
        self.assertEqual(2, len([p for p, _ in network.requests
                                 if p == '/ports']))

    def test_failed_poll_is_reported_kept_and_retried(self):
        network = fake_neutron()
        driver = self._driver(network)
        first = driver.poll()
        network.fail = sdk_exceptions.HttpException(
            message='Neutron is down', http_status=503)
        self.assertIsNone(driver.poll())
        status = driver.get_status()['typed']
        self.assertIn('Neutron is down', status['last_error'])
        self.assertEqual(first, driver.state)
        network.fail = None
        self.assertIsNotNone(driver.poll())
        self.assertIsNone(driver.get_status()['typed']['last_error'])
        self.assertEqual(2, driver.get_status()['typed'][
            'number_of_updates'])

    def test_http_error_raises_neutrons_message(self):
        network = fake_neutron()
        network.get = lambda path, params=None: mock.Mock(
            status_code=404, content=b'x', reason='Not Found',
            headers={'content-type': 'application/json'},
            json=lambda: {'NeutronError': {
                'message': 'The resource could not be found.'}})
        driver = self._driver(network)
        self.assertIsNone(driver.poll())
        self.assertIn('The resource could not be found.',
                      driver.get_status()['typed']['last_error'])

    def test_qos_poll(self):
        network = fake_neutron()
        network.collections['/ports'] = ('ports', samples.QOS_PORTS)
        driver = self._driver(network, neutron_driver.NeutronV2QosDriver)
        state = driver.poll()
        self.assertEqual(set(QOS_COLUMNS), set(state))
        self.assertEqual(3, len(state['rules']))
        self.assertEqual(3, len(state['qos_policy_port_bindings']))
        self.assertEqual(['/ports', '/qos/policies'],
                         [path for path, _params in network.requests])

    def test_network_proxy_is_built_once(self):
        driver = make_driver()
        proxy = object()
        with mock.patch('openstack.connection.Connection.network',
                        new=proxy, create=True):
            self.assertIs(proxy, driver.network())
            self.assertIs(proxy, driver.network())
