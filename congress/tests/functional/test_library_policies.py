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

"""The shipped policy library over the real test bed: a congress-server
(every role, MariaDB, RabbitMQ) loads etc/congress/library at start, each
nova and neutron library policy is activated through the API with
``POST /v1/policies?library_policy=<id>`` over servers, ports, networks and
security group rules made through the real APIs, and the rows it derives
(and, for the acting ones, the change on the next GET) are checked.

Also: several ``congress-db-manage load-library`` processes at once on
MariaDB store the library once.

While the bed's Neutron keeps its database in SQLite, run the neutron tests
with ``--serial``: concurrent writes there fail with "database is locked".
"""

import importlib.metadata
import subprocess
import sys
import uuid

import requests

from congress.api import library_store
from congress.cloudservices import loader
from congress.db import api as db_api
from congress.db import library_policies as library_db
from congress.db import migration
from congress.tests import base
from congress.tests.functional import bed_deployment
from congress.tests.functional import databases
from congress.tests.functional import processes

LIBRARY = bed_deployment.LIBRARY
NETWORK = {'service_type': 'network', 'interface': 'public'}


def driver_installed(name):
    return name in {ep.name for ep in importlib.metadata.entry_points(
        group=loader.NAMESPACE)}


class _LibraryOnTheBed(bed_deployment.BedDeploymentTestCase):
    """One congress-server with every role on the shipped library, and the
    data sources ``DATASOURCES`` on the bed's admin."""

    PROCESSES = (('all', []),)
    API = True
    CONFIG = {'policy_engine': {'policy_library_path': LIBRARY}}

    def setUp(self):
        for driver in self.DATASOURCES:
            if not driver_installed(driver):
                self.skipTest('the %s driver is not installed: its library '
                              'policies cannot be tried' % driver)
        super().setUp()
        self.v1_url = self.api_url + '/v1'
        self.session = self.testbed.session('admin')
        self.prefix = 'lib-%s' % uuid.uuid4().hex[:8]
        self.admin_project = self.session.get_project_id()
        self.demo_project = self.testbed.session('member').get_project_id()

    # congress

    def activate(self, name):
        """Create the policy of the library policy ``name``, the way an
        operator does; returns the library policy's id."""
        found = requests.get(self.v1_url + '/librarypolicies',
                             params={'name': name}, timeout=10).json()
        self.assertEqual(1, len(found['results']), found)
        library_id = found['results'][0]['id']
        response = requests.post(self.v1_url + '/policies',
                                 params={'library_policy': library_id},
                                 timeout=60)
        self.assertEqual(201, response.status_code, response.text)
        self.assertEqual(name, response.json()['name'])
        return library_id

    def add_rule(self, policy, rule):
        response = requests.post(
            '%s/policies/%s/rules' % (self.v1_url, policy),
            json={'rule': rule}, timeout=60)
        self.assertEqual(201, response.status_code, response.text)

    def rows(self, policy, table):
        response = requests.get('%s/policies/%s/tables/%s/rows' % (
            self.v1_url, policy, table), timeout=30)
        self.assertEqual(200, response.status_code, response.text)
        return sorted(tuple(r['data']) for r in response.json()['results'])

    def wait_rows(self, policy, table, expected, keep=lambda row: True):
        """Wait until the rows of ``table`` that ``keep`` keeps are
        ``expected``; a longer wait for them shows the wrong rows."""
        expected = sorted(tuple(row) for row in expected)
        try:
            base.wait_for(lambda: [r for r in self.rows(policy, table)
                                   if keep(r)] == expected, timeout=90,
                          message='%s:%s rows' % (policy, table))
        except AssertionError:
            self.assertEqual(expected, [r for r in self.rows(policy, table)
                                        if keep(r)])

    # nova

    def boot(self, name, flavor=None):
        server = self.nova.servers.create(
            '%s-%s' % (self.prefix, name), self.testbed.image_id,
            flavor or self.testbed.flavor_id, nics='none')
        self.addCleanup(self._quietly, self.nova.servers.delete, server.id)
        return server

    def wait_status(self, server, status):
        base.wait_for(lambda: self.nova.servers.get(server.id).status ==
                      status, timeout=120, message='%s %s' % (server.name,
                                                              status))

    @staticmethod
    def _quietly(call, *args):
        try:
            call(*args)
        except Exception:
            pass

    # neutron, through its REST API

    def neutron(self, method, path, body=None, expect=(200, 201, 204)):
        response = self.session.request(
            '/v2.0/' + path, method, json=body, endpoint_filter=NETWORK,
            raise_exc=False)
        self.assertIn(response.status_code, expect, response.text)
        return response.json() if response.content else None

    def create(self, resource, **fields):
        """Create a neutron ``resource`` (deleted at cleanup)."""
        plural = resource + 's'
        made = self.neutron('POST', plural, {resource: fields})[resource]
        self.addCleanup(self._quietly, self.neutron, 'DELETE',
                        '%s/%s' % (plural, made['id']), None, (204, 404))
        return made

    def network(self, name, project_id, shared=False):
        # a project network (vxlan, from the bed's ML2 VNI range)
        return self.create(
            'network', name='%s-%s' % (self.prefix, name),
            project_id=project_id, shared=shared)

    def server_port(self, server, network, **fields):
        """A port of ``network`` that belongs to ``server``."""
        return self.create('port', network_id=network['id'],
                           project_id=network['project_id'],
                           device_id=server.id, device_owner='compute:nova',
                           **fields)

    def mine(self, row):
        return any(isinstance(v, str) and v.startswith(self.prefix)
                   for v in row)


class NovaLibraryTest(_LibraryOnTheBed):

    def test_disallowed_flavor_is_reported_and_paused(self):
        flavor = self.nova.flavors.create('%s-big' % self.prefix, ram=64,
                                          vcpus=1, disk=0)
        self.addCleanup(self._quietly, self.nova.flavors.delete, flavor.id)
        bad = self.boot('bad', flavor=flavor.id)
        good = self.boot('good')
        for server in (bad, good):
            self.wait_status(server, 'ACTIVE')
        self.activate('nova_disallowed_flavors')
        # nothing is disallowed until the operator says so
        self.assertEqual([], self.rows('nova_disallowed_flavors',
                                       'server_on_disallowed_flavor'))
        self.add_rule('nova_disallowed_flavors',
                      'disallowed_flavor("%s")' % flavor.name)
        self.wait_rows('nova_disallowed_flavors',
                       'server_on_disallowed_flavor',
                       [(bad.id, bad.name, flavor.name, self.admin_project)],
                       keep=self.mine)
        self.activate('nova_pause_disallowed_flavors')
        self.wait_status(bad, 'PAUSED')
        self.assertEqual('ACTIVE', self.nova.servers.get(good.id).status)


class NeutronLibraryTest(_LibraryOnTheBed):

    DATASOURCES = ('nova', 'neutronv2')

    def test_server_on_another_project_s_network(self):
        server = self.boot('vm')
        foreign = self.network('foreign', self.demo_project)
        own = self.network('own', self.admin_project)
        shared = self.network('shared', self.demo_project, shared=True)
        port = self.server_port(server, foreign)
        self.server_port(server, own)
        self.server_port(server, shared)
        self.activate('neutron_cross_project_network')
        self.wait_rows('neutron_cross_project_network',
                       'server_on_foreign_network',
                       [(server.id, server.name, self.admin_project,
                         port['id'], foreign['id'], self.demo_project)],
                       keep=self.mine)

    def test_shared_networks(self):
        shared = self.network('shared', self.demo_project, shared=True)
        self.network('private', self.demo_project)
        self.activate('neutron_shared_networks')
        self.wait_rows('neutron_shared_networks', 'shared_network',
                       [(shared['id'], shared['name'], self.demo_project)],
                       keep=self.mine)

    def test_server_port_without_security_groups(self):
        server = self.boot('vm')
        network = self.network('net', self.admin_project)
        bare = self.server_port(server, network, security_groups=[])
        self.server_port(server, network)      # in the default group
        self.activate('neutron_servers_without_security_groups')
        self.wait_rows('neutron_servers_without_security_groups',
                       'unprotected_server_port',
                       [(server.id, server.name, bare['id'])],
                       keep=self.mine)

    def test_open_rules_are_reported_and_removed(self):
        group = self.create('security_group', name='%s-web' % self.prefix)
        exempt = self.create('security_group', name='%s-lb' % self.prefix)

        def rule(group, **fields):
            return self.create('security_group_rule',
                               security_group_id=group['id'],
                               direction='ingress', ethertype='IPv4',
                               **fields)['id']
        ssh = rule(group, protocol='tcp', port_range_min=22,
                   port_range_max=22, remote_ip_prefix='0.0.0.0/0')
        anything = rule(group)          # no prefix, no group: open
        ipv6 = self.create('security_group_rule',
                           security_group_id=group['id'],
                           direction='ingress', ethertype='IPv6',
                           protocol='udp', remote_ip_prefix='::/0')['id']
        inner = rule(group, protocol='tcp', remote_ip_prefix='10.0.0.0/8')
        peers = rule(group, protocol='icmp', remote_group_id=group['id'])
        egress = self.create('security_group_rule',
                             security_group_id=group['id'],
                             direction='egress', ethertype='IPv4',
                             remote_ip_prefix='0.0.0.0/0')['id']
        trusted = rule(exempt, protocol='tcp', port_range_min=443,
                       port_range_max=443, remote_ip_prefix='0.0.0.0/0')
        self.activate('neutron_open_security_group_rules')
        self.add_rule('neutron_open_security_group_rules',
                      'exempt_security_group("%s")' % exempt['id'])
        self.wait_rows(
            'neutron_open_security_group_rules', 'open_ingress_rule',
            [(ssh, group['id'], group['name'], self.admin_project,
              'tcp', 22, 22),
             (anything, group['id'], group['name'], self.admin_project,
              'None', 'None', 'None'),
             (ipv6, group['id'], group['name'], self.admin_project,
              'udp', 'None', 'None')],
            keep=self.mine)
        self.activate('neutron_remove_open_security_group_rules')

        def rule_ids():
            listed = self.neutron('GET', 'security-group-rules?'
                                  'security_group_id=%s' % group['id'])
            return {r['id'] for r in listed['security_group_rules']}
        base.wait_for(lambda: not rule_ids() & {ssh, anything, ipv6},
                      timeout=90, message='open rules deleted')
        self.assertLessEqual({inner, peers, egress}, rule_ids())
        self.assertEqual(
            [trusted], [r['id'] for r in self.neutron(
                'GET', 'security-group-rules?security_group_id=%s'
                % exempt['id'])['security_group_rules']
                if r['direction'] == 'ingress'])


class ConcurrentLoadTest(base.TestCase):

    def test_several_commands_at_once_store_the_library_once(self):
        db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, db_url)
        db_api.configure(db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        conf_path, _values = processes.write_config(
            self.state_dir, db_url,
            policy_engine={'policy_library_path': LIBRARY})
        commands = [subprocess.Popen(
            [sys.executable, '-m', 'congress.cmd.db_manage', '--config-file',
             conf_path, 'load-library'], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(4)]
        outputs = [c.communicate(timeout=120)[0] for c in commands]
        self.assertEqual([0] * 4, [c.returncode for c in commands], outputs)
        files = library_store.library_files(LIBRARY)
        stored = library_db.list_all()
        self.assertEqual(len(files), len(stored))
        # each policy added by exactly one of them
        self.assertEqual(len(files), sum(
            line.startswith('added ') for output in outputs
            for line in output.splitlines()), outputs)
