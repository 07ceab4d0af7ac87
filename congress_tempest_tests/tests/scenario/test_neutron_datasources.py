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

"""The neutronv2 and neutronv2_qos data sources read the real Neutron:
objects are made through tempest's own network clients (admin), and each
table's rows in Congress are checked field by field against what the
Neutron API shows for them; the security-group actions change the port
that Neutron shows next.

Needs: Congress with data sources of drivers ``neutronv2`` and
``neutronv2_qos`` (``[congress] neutronv2_datasource`` and
``neutronv2_qos_datasource``) over the Neutron that
``[service_available] neutron`` names, with project networks, the router
and QoS extensions, and ``[network] public_network_id`` an external
network for router gateways and floating IPs.  No server is booted.
"""

import functools

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from congress_tempest_tests.tests import base

CONF = config.CONF

#: The reference's tables and their first columns (in this order).
TABLES = {
    'neutronv2': {
        'networks': ['id', 'tenant_id', 'name', 'status', 'admin_state_up',
                     'shared'],
        'ports': ['id', 'tenant_id', 'name', 'network_id', 'mac_address',
                  'admin_state_up', 'status', 'device_id', 'device_owner'],
        'fixed_ips': ['port_id', 'ip_address', 'subnet_id'],
        'security_group_port_bindings': ['port_id', 'security_group_id'],
        'subnets': ['id', 'tenant_id', 'name', 'network_id', 'ip_version',
                    'cidr', 'gateway_ip', 'enable_dhcp', 'ipv6_ra_mode',
                    'ipv6_address_mode'],
        'allocation_pools': ['subnet_id', 'start', 'end'],
        'dns_nameservers': ['subnet_id', 'dns_nameserver'],
        'host_routes': ['subnet_id', 'destination', 'nexthop'],
        'routers': ['id', 'tenant_id', 'status', 'admin_state_up', 'name',
                    'distributed'],
        'external_gateway_infos': ['router_id', 'network_id',
                                   'enable_snat'],
        'external_fixed_ips': ['router_id', 'subnet_id', 'ip_address'],
        'security_groups': ['id', 'tenant_id', 'name', 'description'],
        'security_group_rules': ['security_group_id', 'id', 'tenant_id',
                                 'remote_group_id', 'direction',
                                 'ethertype', 'protocol', 'port_range_min',
                                 'port_range_max', 'remote_ip_prefix'],
        'floating_ips': ['id', 'router_id', 'tenant_id',
                         'floating_network_id', 'fixed_ip_address',
                         'floating_ip_address', 'port_id', 'status'],
    },
    'neutronv2_qos': {
        'ports': ['id'],
        'qos_policy_port_bindings': ['port_id', 'qos_policy_id'],
        'policies': ['id', 'tenant_id', 'name', 'description', 'shared'],
        'rules': ['qos_policy_id', 'id', 'min_kbps', 'direction', 'type',
                  'dscp_mark', 'max_burst_kbps', 'max_kbps'],
    },
}


#: The reference's enum columns: a status outside the list reads OTHER
#: (an unbound port's status is "N/A").
ENUMS = {
    ('networks', 'status'): ('ACTIVE', 'DOWN', 'BUILD', 'ERROR'),
    ('ports', 'status'): ('ACTIVE', 'DOWN', 'BUILD', 'ERROR'),
    ('routers', 'status'): ('ACTIVE', 'DOWN', 'BUILD', 'ERROR'),
    ('floating_ips', 'status'): ('ACTIVE', 'DOWN', 'ERROR'),
}


def row_value(table, column, value):
    """A field as a data source's row carries it: as Neutron gives it
    (booleans, numbers, strings, None), enum columns mapped."""
    known = ENUMS.get((table, column))
    if known is not None and value not in known:
        return 'OTHER'
    return value


class NeutronDatasourcesTest(base.BaseCongressTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.neutron:
            raise cls.skipException('Neutron is not available')
        if not CONF.congress_feature_enabled.neutronv2_driver:
            raise cls.skipException('Congress has no neutronv2 data source')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        admin = cls.os_admin
        cls.networks = admin.networks_client
        cls.subnets = admin.subnets_client
        cls.ports = admin.ports_client
        cls.routers = admin.routers_client
        cls.groups = admin.security_groups_client
        cls.group_rules = admin.security_group_rules_client
        cls.floating_ips = admin.floating_ips_client
        cls.qos = admin.qos_client
        cls.qos_limit = admin.qos_limit_bw_client
        cls.qos_min = admin.qos_min_bw_client

    def setUp(self):
        super().setUp()
        self.ds = CONF.congress.neutronv2_datasource
        self.qos_ds = CONF.congress.neutronv2_qos_datasource
        self.wait_for_service(self.ds)
        self.columns = {}

    # ------------------------------------------------------------ neutron

    def _made(self, obj, delete, *args):
        self.addCleanup(self._delete_quietly, delete, *args)
        return obj

    def name(self, what):
        return data_utils.rand_name('ctt-%s' % what)

    def network(self):
        net = self.networks.create_network(name=self.name('net'))['network']
        return self._made(net, self.networks.delete_network, net['id'])

    def subnet(self, net, cidr, **attrs):
        attrs.setdefault('ip_version', 4)
        subnet = self.subnets.create_subnet(
            network_id=net['id'], cidr=cidr, name=self.name('subnet'),
            **attrs)['subnet']
        return self._made(subnet, self.subnets.delete_subnet, subnet['id'])

    def group(self):
        group = self.groups.create_security_group(
            name=self.name('sg'), description='tempest')['security_group']
        return self._made(group, self.groups.delete_security_group,
                          group['id'])

    def port(self, net, **attrs):
        port = self.ports.create_port(network_id=net['id'],
                                      name=self.name('port'),
                                      **attrs)['port']
        return self._made(port, self.ports.delete_port, port['id'])

    def public_network(self):
        public = CONF.network.public_network_id
        if not public:
            raise self.skipException('[network] public_network_id is unset')
        return public

    # ----------------------------------------------------------- congress

    def table_columns(self, ds, table):
        if (ds, table) not in self.columns:
            spec = self.admin.datasources.show_datasource_table_schema(
                ds, table)
            self.columns[ds, table] = [c['name'] for c in spec['columns']]
        return self.columns[ds, table]

    def expected_rows(self, ds, table, objects, parent=None):
        """Rows of API dicts, by column name; the first column of a
        sub-table is the parent's id."""
        rows = []
        for obj in objects:
            row = [row_value(table, c, obj.get(c))
                   for c in self.table_columns(ds, table)]
            if parent is not None:
                row[0] = parent['id']
            rows.append(row)
        return rows

    def rows_of(self, ds, table, key_ids):
        return [r['data'] for r in self.admin.datasources.list_datasource_rows(
            ds, table)['results'] if r['data'][0] in key_ids]

    def bindings(self, port_id):
        """The port's security_group_port_bindings rows after a refresh.
        """
        self.admin.datasources.request_refresh(self.ds)
        return self.rows_of(self.ds, 'security_group_port_bindings',
                            {port_id})

    def assert_rows(self, ds, table, expected, key_ids):
        """After a refresh, the rows of ``ds:table`` whose first column is
        one of ``key_ids`` are exactly ``expected``, field by field."""
        expected = sorted(expected, key=repr)
        self.assertTrue(expected, 'nothing to compare in %s' % table)

        def current():
            self.admin.datasources.request_refresh(ds)
            rows = sorted(self.rows_of(ds, table, key_ids), key=repr)
            return rows if rows == expected else None
        try:
            self.wait_for('%s:%s' % (ds, table), current)
        except Exception:
            rows = sorted(self.rows_of(ds, table, key_ids), key=repr)
            columns = self.table_columns(ds, table)
            for want, have in zip(expected, rows):
                for name, w, h in zip(columns, want, have):
                    self.assertEqual(w, h, '%s:%s column %s' % (
                        ds, table, name))
            self.assertEqual(expected, rows)
            raise

    # -------------------------------------------------------------- tests

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9001')
    def test_status_and_tables(self):
        for ds in (self.ds, self.qos_ds):
            if ds == self.qos_ds and not (
                    CONF.congress_feature_enabled.neutronv2_qos_driver):
                continue
            status = self.wait_for_service(ds)
            self.assertEqual('True', status['initialized'])
            self.assertEqual('None', status['last_error'])
            driver = self.admin.datasources.show_datasource(ds)['driver']
            tables = {t['id'] for t in
                      self.admin.datasources.list_datasource_tables(
                          ds)['results']}
            self.assertLessEqual(set(TABLES[driver]), tables)
            for table, columns in TABLES[driver].items():
                self.assertEqual(columns, self.table_columns(
                    ds, table)[:len(columns)], table)

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9002')
    def test_networks(self):
        nets = [self.network(), self.network()]
        self.networks.update_network(nets[1]['id'], admin_state_up=False)
        shown = [self.networks.show_network(n['id'])['network']
                 for n in nets]
        self.assert_rows(self.ds, 'networks',
                         self.expected_rows(self.ds, 'networks', shown),
                         {n['id'] for n in nets})

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9003')
    def test_subnets_pools_dns_routes(self):
        net = self.network()
        made = [
            self.subnet(net, '10.71.0.0/24', gateway_ip='10.71.0.1',
                        allocation_pools=[
                            {'start': '10.71.0.10', 'end': '10.71.0.20'},
                            {'start': '10.71.0.100', 'end': '10.71.0.120'}],
                        dns_nameservers=['192.0.2.1', '192.0.2.2'],
                        host_routes=[{'destination': '10.72.0.0/16',
                                      'nexthop': '10.71.0.254'}]),
            self.subnet(net, 'fd00:71::/64', ip_version=6,
                        ipv6_ra_mode='slaac', ipv6_address_mode='slaac')]
        shown = [self.subnets.show_subnet(s['id'])['subnet'] for s in made]
        ids = {s['id'] for s in shown}
        self.assert_rows(self.ds, 'subnets',
                         self.expected_rows(self.ds, 'subnets', shown), ids)
        pools, routes, dns = [], [], []
        for s in shown:
            pools += self.expected_rows(self.ds, 'allocation_pools',
                                        s['allocation_pools'], s)
            routes += self.expected_rows(self.ds, 'host_routes',
                                         s['host_routes'], s)
            dns += [[s['id'], d] for d in s['dns_nameservers']]
        self.assert_rows(self.ds, 'allocation_pools', pools, ids)
        self.assert_rows(self.ds, 'host_routes', routes, ids)
        self.assert_rows(self.ds, 'dns_nameservers', dns, ids)

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9004')
    def test_ports_fixed_ips_security_groups(self):
        net = self.network()
        subnet = self.subnet(net, '10.73.0.0/24')
        groups = [self.group(), self.group()]
        made = [
            self.port(net, fixed_ips=[{'subnet_id': subnet['id'],
                                       'ip_address': '10.73.0.5'},
                                      {'subnet_id': subnet['id']}],
                      security_groups=[g['id'] for g in groups]),
            self.port(net, admin_state_up=False, security_groups=[],
                      port_security_enabled=False, device_id='ctt-device',
                      device_owner='compute:nova')]
        shown = [self.ports.show_port(p['id'])['port'] for p in made]
        ids = {p['id'] for p in shown}
        self.assert_rows(self.ds, 'ports',
                         self.expected_rows(self.ds, 'ports', shown), ids)
        fixed = []
        for p in shown:
            fixed += self.expected_rows(self.ds, 'fixed_ips',
                                        p['fixed_ips'], p)
        # two asked for on the first port, one given to the second
        self.assertEqual(3, len(fixed))
        self.assertIn('10.73.0.5', [f['ip_address']
                                    for f in shown[0]['fixed_ips']])
        self.assert_rows(self.ds, 'fixed_ips', fixed, ids)
        self.assert_rows(self.ds, 'security_group_port_bindings',
                         [[p['id'], g] for p in shown
                          for g in p['security_groups']], ids)

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9005')
    def test_security_groups_and_rules(self):
        web, db = self.group(), self.group()
        self.group_rules.create_security_group_rule(
            security_group_id=web['id'], direction='ingress',
            ethertype='IPv4', protocol='tcp', port_range_min=22,
            port_range_max=22, remote_ip_prefix='0.0.0.0/0')
        self.group_rules.create_security_group_rule(
            security_group_id=db['id'], direction='ingress',
            ethertype='IPv4', protocol='tcp', port_range_min=5432,
            port_range_max=5432, remote_group_id=web['id'])
        shown = [self.groups.show_security_group(g['id'])['security_group']
                 for g in (web, db)]
        ids = {g['id'] for g in shown}
        self.assert_rows(self.ds, 'security_groups',
                         self.expected_rows(self.ds, 'security_groups',
                                            shown), ids)
        rules = []
        for g in shown:
            rules += self.expected_rows(self.ds, 'security_group_rules',
                                        g['security_group_rules'], g)
        self.assert_rows(self.ds, 'security_group_rules', rules, ids)

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9006')
    def test_routers_gateways_floating_ips(self):
        public = self.public_network()
        net = self.network()
        subnet = self.subnet(net, '10.74.0.0/24')
        router = self.routers.create_router(
            name=self.name('router'),
            external_gateway_info={'network_id': public})['router']
        self._made(router, self.routers.delete_router, router['id'])
        self.routers.add_router_interface(router['id'],
                                          subnet_id=subnet['id'])
        self.addCleanup(self._delete_quietly, functools.partial(
            self.routers.remove_router_interface, subnet_id=subnet['id']),
            router['id'])
        port = self.port(net)
        fip = self.floating_ips.create_floatingip(
            floating_network_id=public, port_id=port['id'])['floatingip']
        self._made(fip, self.floating_ips.delete_floatingip, fip['id'])

        shown = self.routers.show_router(router['id'])['router']
        gateway = shown['external_gateway_info']
        self.assertEqual(public, gateway['network_id'])
        ids = {router['id']}
        self.assert_rows(self.ds, 'routers',
                         self.expected_rows(self.ds, 'routers', [shown]),
                         ids)
        self.assert_rows(self.ds, 'external_gateway_infos',
                         self.expected_rows(self.ds, 'external_gateway_infos',
                                            [gateway], shown), ids)
        self.assert_rows(self.ds, 'external_fixed_ips',
                         self.expected_rows(self.ds, 'external_fixed_ips',
                                            gateway['external_fixed_ips'],
                                            shown), ids)
        fip = self.floating_ips.show_floatingip(fip['id'])['floatingip']
        self.assertEqual(router['id'], fip['router_id'])
        self.assert_rows(self.ds, 'floating_ips',
                         self.expected_rows(self.ds, 'floating_ips', [fip]),
                         {fip['id']})

    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9007')
    def test_qos_policies_rules_and_port_bindings(self):
        if not CONF.congress_feature_enabled.neutronv2_qos_driver:
            raise self.skipException('Congress has no neutronv2_qos source')
        self.wait_for_service(self.qos_ds)
        policy = self.qos.create_qos_policy(
            name=self.name('qos'), description='tempest',
            shared=False)['policy']
        self._made(policy, self.qos.delete_qos_policy, policy['id'])
        self.qos_limit.create_limit_bandwidth_rule(
            policy['id'], max_kbps=2000, max_burst_kbps=200,
            direction='egress')
        self.qos_min.create_minimum_bandwidth_rule(
            policy['id'], min_kbps=100, direction='egress')
        net = self.network()
        port = self.port(net, qos_policy_id=policy['id'])
        shown = self.qos.show_qos_policy(policy['id'])['policy']
        self.assertEqual(2, len(shown['rules']))
        ids = {policy['id']}
        self.assert_rows(self.qos_ds, 'policies',
                         self.expected_rows(self.qos_ds, 'policies',
                                            [shown]), ids)
        self.assert_rows(self.qos_ds, 'rules',
                         self.expected_rows(self.qos_ds, 'rules',
                                            shown['rules'], shown), ids)
        port = self.ports.show_port(port['id'])['port']
        self.assert_rows(self.qos_ds, 'ports',
                         self.expected_rows(self.qos_ds, 'ports', [port]),
                         {port['id']})
        self.assert_rows(self.qos_ds, 'qos_policy_port_bindings',
                         [[port['id'], port['qos_policy_id']]],
                         {port['id']})

    @decorators.attr(type='slow')
    @decorators.idempotent_id('5e0c1b52-1b1a-4d40-9a57-6d0f0c2a9008')
    def test_security_group_actions(self):
        if not CONF.congress_feature_enabled.execution:
            raise self.skipException('execution is disabled')
        net = self.network()
        group = self.group()
        port = self.port(net, security_groups=[])
        client = self.admin.datasources

        def groups():
            return self.ports.show_port(port['id'])['port'][
                'security_groups']

        for action, wanted in (('attach_port_security_group', [group['id']]),
                               ('detach_port_security_group', [])):
            record = client.execute_datasource_action(
                self.ds, action, positional=[port['id'], group['id']])
            self.assertEqual(202, record.response.status)
            final = self.wait_for_execution(record['id'])
            self.assertEqual('succeeded', final['status'], final)
            self.assertEqual((action, 'api'),
                             (final['action'], final['origin']))
            self.assertEqual(wanted, groups())
            # and the data source follows
            self.wait_for('bindings of port %s: %s' % (port['id'], wanted),
                          lambda w=wanted: self.bindings(port['id']) == [
                              [port['id'], g] for g in w])
