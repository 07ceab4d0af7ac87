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

"""The neutronv2 and neutronv2_qos drivers against the REAL Neutron of the
test bed (tools/openstack-testbed.sh: ML2 with vxlan project networks, vlan
and flat provider networks, the router and QoS plugins, no agents).

One topology per test is made through the API: two networks (one of them
a vlan provider network), IPv4 and IPv6 subnets with allocation pools, DNS
servers and host routes, a security group with rules (CIDR and remote
group), ports with fixed IPs, security groups and allowed address pairs, a
router with an external gateway on "public" and an interface, a floating
IP, and a QoS policy with bandwidth-limit, DSCP and minimum-bandwidth
rules bound to a port.  Then every table of both data sources must equal
what the Neutron API lists, row for row and column for column, for the
objects of the test (other tests share the bed): after the first poll, and
after a change and a request-refresh.
"""

import collections

from congress.tests.functional.neutron import base

# The reference's column order (reference-schemas.md, sections 3 and 4):
# the driver's tables start with these columns, in this order.
REFERENCE = {
    'neutronv2': {
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
        'external_gateway_infos': ('router_id', 'network_id',
                                   'enable_snat'),
        'external_fixed_ips': ('router_id', 'subnet_id', 'ip_address'),
        'security_groups': ('id', 'tenant_id', 'name', 'description'),
        'security_group_rules': ('security_group_id', 'id', 'tenant_id',
                                 'remote_group_id', 'direction',
                                 'ethertype', 'protocol', 'port_range_min',
                                 'port_range_max', 'remote_ip_prefix'),
        'floating_ips': ('id', 'router_id', 'tenant_id',
                         'floating_network_id', 'fixed_ip_address',
                         'floating_ip_address', 'port_id', 'status'),
    },
    'neutronv2_qos': {
        'ports': ('id',),
        'qos_policy_port_bindings': ('port_id', 'qos_policy_id'),
        'policies': ('id', 'tenant_id', 'name', 'description', 'shared'),
        'rules': ('qos_policy_id', 'id', 'min_kbps', 'direction', 'type',
                  'dscp_mark', 'max_burst_kbps', 'max_kbps'),
    },
}


# The reference's enum column types: a status outside the list is OTHER
# (unbound ports say "N/A").
NEUTRON_STATUS = ('ACTIVE', 'DOWN', 'BUILD', 'ERROR')
FLOATING_IP_STATUS = ('ACTIVE', 'DOWN', 'ERROR')
ENUMS = {('networks', 'status'): NEUTRON_STATUS,
         ('ports', 'status'): NEUTRON_STATUS,
         ('routers', 'status'): NEUTRON_STATUS,
         ('floating_ips', 'status'): FLOATING_IP_STATUS}


def _value(table, column, value):
    known = ENUMS.get((table, column))
    if known is not None and value not in known:
        return 'OTHER'
    return value


def _rows(table, objects, columns, parent=None, link=None):
    """Rows of ``columns`` from API dicts: a column is the field of the
    same name, but the first one is ``link`` of the parent (sub-tables)."""
    rows = set()
    for obj in objects:
        values = [_value(table, c, obj.get(c)) for c in columns]
        if parent is not None:
            values[0] = parent[link]
        rows.add(tuple(values))
    return rows


class RealNeutronTablesTestCase(base.NeutronTestCase):

    def build_topology(self):
        """The objects of this test; their ids in ``self.mine``."""
        qos = self.qos_policy()
        self.net.create_qos_bandwidth_limit_rule(
            qos, max_kbps=10000, max_burst_kbps=800, direction='egress')
        self.net.create_qos_dscp_marking_rule(qos, dscp_mark=26)
        self.net.create_qos_minimum_bandwidth_rule(
            qos, min_kbps=1000, direction='egress')
        net = self.network('net')
        vlan = self.network('vlan', project_id=self.project_ids['admin'],
                            provider_network_type='vlan',
                            provider_physical_network='physnet1')
        subnet = self.subnet(
            net, '10.61.0.0/24', gateway_ip='10.61.0.1',
            allocation_pools=[{'start': '10.61.0.10', 'end': '10.61.0.99'},
                              {'start': '10.61.0.150',
                               'end': '10.61.0.199'}],
            dns_nameservers=['192.0.2.53', '198.51.100.53'],
            host_routes=[{'destination': '10.62.0.0/16',
                          'nexthop': '10.61.0.254'}])
        subnet6 = self.subnet(net, 'fd00:61::/64', what='subnet6',
                              ip_version=6, ipv6_ra_mode='slaac',
                              ipv6_address_mode='slaac')
        vlan_subnet = self.subnet(vlan, '10.63.0.0/24', what='vlan-subnet',
                                  enable_dhcp=False)
        web = self.security_group('web')
        db = self.security_group('db')
        self.security_group_rule(web, protocol='tcp', port_range_min=22,
                                 port_range_max=22,
                                 remote_ip_prefix='0.0.0.0/0')
        self.security_group_rule(db, protocol='tcp', port_range_min=5432,
                                 port_range_max=5432, remote_group_id=web.id)
        port = self.port(
            net, 'port-a',
            fixed_ips=[{'subnet_id': subnet.id, 'ip_address': '10.61.0.20'},
                       {'subnet_id': subnet6.id}],
            security_group_ids=[web.id, db.id], qos_policy_id=qos.id,
            allowed_address_pairs=[{'ip_address': '10.61.0.200'}])
        bare = self.port(vlan, 'port-b', admin_state_up=False,
                         port_security_enabled=False,
                         security_group_ids=[],
                         device_id='some-device', device_owner='compute:nova')
        router = self.router(external_gateway_info={
            'network_id': self.bed['public_network_id']})
        self.router_interface(router, subnet)
        fip = self.floating_ip(port)
        self.mine = {
            'networks': {net.id, vlan.id},
            'subnets': {subnet.id, subnet6.id, vlan_subnet.id},
            'security_groups': {web.id, db.id},
            'routers': {router.id},
            'floating_ips': {fip.id},
            'policies': {qos.id},
        }
        self.port_ids = {port.id, bare.id}
        return port

    def my_ports(self):
        """Ports of the test's networks, router and floating IP: its own,
        the router's interface and gateway and the floating IP's."""
        devices = self.mine['routers'] | self.mine['floating_ips']
        return [p for p in self.api_list('ports', 'ports')
                if p['network_id'] in self.mine['networks']
                or p['device_id'] in devices]

    def expected(self):
        """``{(data source, table): rows}`` from the raw API."""
        mine = self.mine
        ports = self.my_ports()
        out = collections.defaultdict(set)

        def add(ds, table, objects, parent=None, link='id'):
            out[ds, table] |= _rows(table, objects, self.columns(ds, table),
                                    parent, link)

        def own(path, key, ids):
            return [o for o in self.api_list(path, key) if o['id'] in ids]

        add('neutronv2', 'networks', own('networks', 'networks',
                                         mine['networks']))
        add('neutronv2', 'ports', ports)
        add('neutronv2_qos', 'ports', ports)
        for p in ports:
            add('neutronv2', 'fixed_ips', p['fixed_ips'], p)
            out['neutronv2', 'security_group_port_bindings'] |= {
                (p['id'], g) for g in p['security_groups']}
            if p.get('qos_policy_id'):
                out['neutronv2_qos', 'qos_policy_port_bindings'].add(
                    (p['id'], p['qos_policy_id']))
        for s in own('subnets', 'subnets', mine['subnets']):
            add('neutronv2', 'subnets', [s])
            add('neutronv2', 'allocation_pools', s['allocation_pools'], s)
            out['neutronv2', 'dns_nameservers'] |= {
                (s['id'], d) for d in s['dns_nameservers']}
            add('neutronv2', 'host_routes', s['host_routes'], s)
        for r in own('routers', 'routers', mine['routers']):
            add('neutronv2', 'routers', [r])
            gw = r['external_gateway_info']
            if gw:
                add('neutronv2', 'external_gateway_infos', [gw], r)
                add('neutronv2', 'external_fixed_ips',
                    gw['external_fixed_ips'], r)
        for g in own('security-groups', 'security_groups',
                     mine['security_groups']):
            add('neutronv2', 'security_groups', [g])
            add('neutronv2', 'security_group_rules',
                g['security_group_rules'], g)
        add('neutronv2', 'floating_ips', own('floatingips', 'floatingips',
                                             mine['floating_ips']))
        for q in own('qos/policies', 'policies', mine['policies']):
            add('neutronv2_qos', 'policies', [q])
            add('neutronv2_qos', 'rules', q['rules'], q)
        return out

    def columns(self, ds, table):
        return [c['name'] for c in
                self.services[ds].driver.get_schema()[table]]

    def key_ids(self, ds, table):
        """The ids that make a row of ``table`` one of the test's."""
        port_ids = {p['id'] for p in self.my_ports()}
        parents = {
            'networks': 'networks', 'subnets': 'subnets',
            'allocation_pools': 'subnets', 'dns_nameservers': 'subnets',
            'host_routes': 'subnets', 'routers': 'routers',
            'external_gateway_infos': 'routers',
            'external_fixed_ips': 'routers',
            'security_groups': 'security_groups',
            'security_group_rules': 'security_groups',
            'floating_ips': 'floating_ips', 'policies': 'policies',
            'rules': 'policies'}
        if table in parents:
            return self.mine[parents[table]]
        return port_ids

    def actual(self, ds, table):
        ids = self.key_ids(ds, table)
        return {row for row in self.services[ds].driver.state.get(table, ())
                if row[0] in ids}

    def assert_tables_match(self):
        expected = self.expected()
        for ds, tables in sorted(REFERENCE.items()):
            schema = self.services[ds].driver.get_schema()
            for table in tables:
                self.assertEqual(expected[ds, table], self.actual(ds, table),
                                 '%s:%s' % (ds, table))
            # no table outside the reference goes unchecked
            self.assertEqual(set(tables), set(schema), ds)
        return expected

    def test_schema_keeps_the_reference_columns(self):
        self.start_neutron()
        for ds, tables in REFERENCE.items():
            schema = self.services[ds].driver.get_schema()
            for table, columns in tables.items():
                self.assertEqual(columns, tuple(
                    self.columns(ds, table)[:len(columns)]),
                    '%s:%s' % (ds, table))
            self.assertLessEqual(set(tables), set(schema))

    def test_every_table_equals_the_api(self):
        port = self.build_topology()
        # the first poll, run when the service starts (the next one would
        # come in 600 s: only request-refresh polls again)
        self.start_neutron()
        for ds in base.DATASOURCES:
            driver = self.services[ds].driver
            base.wait_for(lambda d=driver: d.initialized, timeout=120,
                          message='%s initialized' % ds)
            self.assertEqual('None', driver.get_status()['last_error'])
        expected = self.assert_tables_match()
        # every kind of object is really there (a vacuous match proves
        # nothing)
        for (ds, table), rows in expected.items():
            self.assertTrue(rows, '%s:%s has none of the test' % (ds, table))
        self.assertIn((port.id, '10.61.0.20', port.fixed_ips[0]['subnet_id']),
                      self.actual('neutronv2', 'fixed_ips'))

        # a change, then request-refresh: the tables follow
        self.net.update_port(port, name=self.name('renamed'),
                             security_group_ids=[])
        extra = self.security_group('extra')
        self.security_group_rule(extra, protocol='udp', port_range_min=53,
                                 port_range_max=53,
                                 remote_ip_prefix='10.0.0.0/8')
        self.mine['security_groups'].add(extra.id)
        for ds in base.DATASOURCES:
            self.assertEqual('None', self.refresh_service(ds)['last_error'])
        self.assert_tables_match()
        self.assertFalse({r for r in self.actual(
            'neutronv2', 'security_group_port_bindings') if r[0] == port.id})


class RealNeutronActionsTestCase(base.NeutronTestCase):

    def test_attach_and_detach_through_dseruntime(self):
        """DseRuntime.execute of the reference's port wrappers: Neutron
        shows the port's groups changed on the next GET; a second attach
        is a no-op."""
        net = self.network()
        web = self.security_group('web')
        db = self.security_group('db')
        port = self.port(net, security_group_ids=[db.id])
        self.start_neutron(names=('neutronv2',))

        def groups():
            return set(self.api_get('ports/' + port.id, 'port')[
                'security_groups'])

        for positional, wanted in (
                ([port.id, web.id], {web.id, db.id}),
                ([port.id, web.id], {web.id, db.id}),
                ([port.id, db.id], {web.id})):
            action = ('detach_port_security_group' if len(wanted) == 1
                      else 'attach_port_security_group')
            final = self.execute_on('neutronv2', action, positional)
            self.assertEqual(('succeeded', action),
                             (final['status'], final['action']), final)
            self.assertEqual(wanted, groups())
        self.assertEqual('None', self.refresh_service('neutronv2')[
            'last_error'])
        self.assertEqual({(port.id, web.id)}, {
            r for r in self.services['neutronv2'].driver.state[
                'security_group_port_bindings'] if r[0] == port.id})
