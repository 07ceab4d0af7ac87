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

"""Neutron actions and a cross-service policy end to end: congress-server
processes (API without auth, policy engine, datasources worker) over
RabbitMQ and MariaDB, data sources ``nova`` and ``neutronv2`` on the real
test bed, policies made through the API.  Every change is checked on the
next GET of the real service.
"""

import time

import requests

from congress.db import executions as executions_db
from congress.execution import status
from congress.tests.functional import bed_deployment
from congress.tests.functional.neutron import base

POLL_TIME = '2'


class NeutronEnforcementTestCase(base.NeutronTestCase):

    def setUp(self):
        super().setUp()
        bed_deployment.deploy(
            self, {name: self.driver_config(poll_time=POLL_TIME)
                   for name in ('nova', 'neutronv2')},
            (('api', ['api']), ('engine', ['policy-engine']),
             ('worker', ['datasources'])), api=True)

    # the API

    def api(self, method, path, expect=(200, 201, 202), **kwargs):
        response = requests.request(method, self.api_url + path, timeout=30,
                                    **kwargs)
        self.assertIn(response.status_code, expect,
                      '%s %s: %s' % (method, path, response.text))
        return response.json() if response.content else None

    def policy(self, name, *rules):
        self.api('POST', '/v1/policies', json={'name': name})
        return [self.api('POST', '/v1/policies/%s/rules' % name,
                         json={'rule': rule}) for rule in rules]

    def policy_rows(self, policy, table):
        answer = self.api('GET', '/v1/policies/%s/tables/%s/rows' % (
            policy, table), expect=(200, 404))
        if not answer or 'results' not in answer:
            return None
        return {tuple(r['data']) for r in answer['results']}

    def wait_polled(self, ds, table, check, timeout=120):
        """Wait until the rows of ``ds:table`` (through the API) satisfy
        ``check``."""
        def rows():
            # 404 before the data source is stored, 503 before its worker
            # is on the bus
            answer = self.api('GET', '/v1/data-sources/%s/tables/%s/rows' % (
                ds, table), expect=(200, 404, 503))
            if answer and 'results' in answer:
                found = {tuple(r['data']) for r in answer['results']}
                return found if check(found) else None
        return base.wait_for(rows, timeout=timeout, interval=0.5,
                             message='%s:%s' % (ds, table))

    def records(self, policy):
        return executions_db.list_records(policy=policy, limit=100)

    def wait_records(self, policy, count, timeout=90):
        def done():
            records = self.records(policy)
            if len(records) >= count and all(
                    r['status'] in status.TERMINAL for r in records):
                return records
        return base.wait_for(done, timeout=timeout, interval=0.5,
                             message='%d records of %s' % (count, policy))

    def port_groups(self, port_id):
        return set(self.api_get('ports/' + port_id, 'port')[
            'security_groups'])

    # nova

    def nova(self):
        return self.tb.nova('admin', timeout=60)

    def boot(self, name, who='admin'):
        nova = self.tb.nova(who, timeout=60)
        server = nova.servers.create(name, self.bed['image_id'],
                                     self.bed['flavor_id'], nics='none')
        self.addCleanup(_quietly, self.nova().servers.delete, server.id)
        return server.id

    def nova_status(self, server_id):
        return self.nova().servers.get(server_id).status

    def wait_status(self, server_id, wanted, timeout=120):
        return base.wait_for(
            lambda: self.nova_status(server_id) == wanted, timeout=timeout,
            interval=0.3, message='server %s %s' % (server_id, wanted))

    # actions on ports' security groups

    def test_execute_through_the_api_changes_the_port(self):
        net = self.network()
        web = self.security_group('web')
        port = self.port(net, security_group_ids=[])
        self.wait_polled('neutronv2', 'ports',
                         lambda rows: port.id in {r[0] for r in rows})
        record = self.api(
            'POST', '/v1/data-sources/neutronv2?action=execute',
            expect=(202,), json={'name': 'attach_port_security_group',
                                 'args': {'positional': [port.id, web.id]}})
        self.assertEqual((status.ACCEPTED, status.ORIGIN_API),
                         (record['status'], record['origin']))
        final = base.wait_for(
            lambda: executions_db.get(record['id'])
            if executions_db.get(record['id'])['status'] in status.TERMINAL
            else None, timeout=60, message='the execution')
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual({web.id}, self.port_groups(port.id))
        record = self.api(
            'POST', '/v1/data-sources/neutronv2?action=execute',
            expect=(202,), json={'name': 'detach_port_security_group',
                                 'args': {'positional': [port.id, web.id]}})
        base.wait_for(
            lambda: executions_db.get(record['id'])['status']
            == status.SUCCEEDED, timeout=60, message='the detach')
        self.assertEqual(set(), self.port_groups(port.id))

    def test_rule_attaches_a_security_group_to_bare_ports(self):
        """``execute[neutronv2:attach_port_security_group(p, g)]`` for the
        test's ports with no security group: exactly those get it."""
        net = self.network()
        quarantine = self.security_group('quarantine')
        other = self.security_group('other')
        bare = [self.port(net, 'bare-%d' % i, security_group_ids=[])
                for i in range(2)]
        covered = self.port(net, 'covered', security_group_ids=[other.id])
        rules = self.policy(
            'sgpolicy',
            'has_group(p) :- neutronv2:security_group_port_bindings(p, g)',
            'execute[neutronv2:attach_port_security_group(p, g)] :- '
            'neutronv2:ports(id=p, name=n), '
            'builtin:startswith(n, "%s-bare"), not has_group(p), '
            'neutronv2:security_groups(id=g, name="%s")'
            % (self.prefix, quarantine.name))
        records = self.wait_records('sgpolicy', 2)
        for port in bare:
            base.wait_for(lambda p=port.id: self.port_groups(p) ==
                          {quarantine.id}, timeout=60,
                          message='port %s in quarantine' % port.id)
        self.assertEqual({other.id}, self.port_groups(covered.id))
        self.assertEqual(
            {(p.id, quarantine.id) for p in bare},
            {tuple(r['args']['positional']) for r in records})
        for record in records:
            self.assertEqual(
                (status.SUCCEEDED, 'attach_port_security_group',
                 rules[1]['id'], status.ORIGIN_POLICY, 'sgpolicy'),
                (record['status'], record['action'], record['rule_id'],
                 record['origin'], record['policy']), record)
            self.assertIn('neutronv2:ports', str(record['why']))
        # the ports now have a group: the rule does not fire again
        self.wait_polled('neutronv2', 'security_group_port_bindings',
                         lambda rows: all((p.id, quarantine.id) in rows
                                          for p in bare))
        time.sleep(3 * float(POLL_TIME))
        self.assertEqual(2, len(self.records('sgpolicy')))

    def test_rule_deletes_ssh_open_to_the_world(self):
        group = self.security_group('exposed')
        world_ssh = self.security_group_rule(
            group, protocol='tcp', port_range_min=22, port_range_max=22,
            remote_ip_prefix='0.0.0.0/0')
        lan_ssh = self.security_group_rule(
            group, protocol='tcp', port_range_min=22, port_range_max=22,
            remote_ip_prefix='10.0.0.0/8')
        world_web = self.security_group_rule(
            group, protocol='tcp', port_range_min=80, port_range_max=80,
            remote_ip_prefix='0.0.0.0/0')
        rules = self.policy(
            'ssh',
            'execute[neutronv2:delete_security_group_rule(r)] :- '
            'neutronv2:security_groups(id=g, name="%s"), '
            'neutronv2:security_group_rules(security_group_id=g, id=r, '
            'direction="ingress", remote_ip_prefix="0.0.0.0/0", '
            'port_range_min=lo, port_range_max=hi), '
            'builtin:lteq(lo, 22), builtin:lteq(22, hi)' % group.name)
        records = self.wait_records('ssh', 1)
        self.assertEqual(1, len(records), records)
        record = records[0]
        self.assertEqual(
            (status.SUCCEEDED, 'delete_security_group_rule', [world_ssh.id],
             rules[0]['id'], status.ORIGIN_POLICY),
            (record['status'], record['action'],
             record['args']['positional'], record['rule_id'],
             record['origin']), record)
        self.assertIn('neutronv2:security_group_rules', str(record['why']))
        left = {r['id'] for r in self.api_get(
            'security-groups/' + group.id, 'security_group')[
                'security_group_rules']}
        self.assertNotIn(world_ssh.id, left)
        self.assertLessEqual({lan_ssh.id, world_web.id}, left)

    # a cross-service policy

    def test_servers_on_another_projects_network_are_paused(self):
        """Servers with a port on a network of another project, minus an
        exemption table: the derived rows are what nova and neutron say,
        and exactly those servers are paused.

        The ports are made through the Neutron API with the server's id as
        device_id and device_owner compute:nova: booting with a network
        would need a mechanism driver to bind the port, and no agent runs
        on the bed (the port binding fails, and so would the boot).
        """
        admin_net = self.network('admin-net',
                                 project_id=self.project_ids['admin'])
        demo_net = self.network('demo-net')
        servers = {
            'crossing': self.boot(self.name('crossing'), 'member'),
            'exempt': self.boot(self.name('exempt'), 'member'),
            'home': self.boot(self.name('home'), 'member'),
            'admin-crossing': self.boot(self.name('admin-crossing')),
        }
        networks = {'crossing': admin_net, 'exempt': admin_net,
                    'home': demo_net, 'admin-crossing': demo_net}
        nova = self.nova()
        for key, server_id in servers.items():
            self.wait_status(server_id, 'ACTIVE')
            self.port(networks[key], 'port-' + key, device_id=server_id,
                      device_owner='compute:nova',
                      project_id=nova.servers.get(server_id).tenant_id)
        rules = self.policy(
            'xproject',
            'exempt("%s")' % servers['exempt'],
            'foreign(s, net) :- nova:servers(id=s, tenant_id=st, name=n), '
            'builtin:startswith(n, "%s"), '
            'neutronv2:ports(device_id=s, network_id=net), '
            'neutronv2:networks(id=net, tenant_id=nt), '
            'builtin:not_equal(st, nt), not exempt(s)' % self.prefix,
            'execute[nova:servers.pause(s)] :- foreign(s, net), '
            'nova:servers(id=s, status="ACTIVE")')

        # what the APIs say, independently of congress
        mine = {s.id: s for s in nova.servers.list(
            search_opts={'all_tenants': True}) if s.id in servers.values()}
        nets = {n['id']: n for n in self.api_list('networks', 'networks')}
        expected = {
            (p['device_id'], p['network_id'])
            for p in self.api_list('ports', 'ports')
            if p['device_id'] in mine and p['device_id'] != servers['exempt']
            and nets[p['network_id']]['tenant_id'] !=
            mine[p['device_id']].tenant_id}
        self.assertEqual({(servers['crossing'], admin_net.id),
                          (servers['admin-crossing'], demo_net.id)},
                         expected)

        for key in ('crossing', 'admin-crossing'):
            self.wait_status(servers[key], 'PAUSED')
        records = self.wait_records('xproject', 2)
        self.assertEqual(
            {servers['crossing'], servers['admin-crossing']},
            {r['args']['positional'][0] for r in records})
        for record in records:
            self.assertEqual((status.SUCCEEDED, 'servers.pause',
                              rules[2]['id']),
                             (record['status'], record['action'],
                              record['rule_id']), record)
            self.assertIn('foreign', str(record['why']))
        self.assertEqual(expected, self.policy_rows('xproject', 'foreign'))
        for key in ('exempt', 'home'):
            self.assertEqual('ACTIVE', self.nova_status(servers[key]))
        time.sleep(3 * float(POLL_TIME))
        self.assertEqual(2, len(self.records('xproject')))


def _quietly(call, *args):
    try:
        call(*args)
    except Exception:
        pass
