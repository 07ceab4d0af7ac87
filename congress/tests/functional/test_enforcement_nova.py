"""Reactive enforcement end to end: separate congress-server processes over
RabbitMQ and MariaDB, the nova data source on the real Nova test bed, and a
policy whose execute[...] rule pauses exactly the servers it should."""

import os
import time
import uuid

from oslo_messaging import conffixture as messaging_fixture

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import migration
from congress.db import policies as policies_db
from congress.dse import rpc
from congress.execution import status
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import testbed as testbed_mod
from congress.tests.functional import processes

CONF = conf.CONF
TESTBED_SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                              'tools', 'openstack-testbed.sh')


class NovaEnforcementTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        if not os.path.exists(TESTBED_SCRIPT):
            self.skipTest('tools/openstack-testbed.sh is missing')
        self.testbed = self.useFixture(testbed_mod.OpenStackTestbed())
        self.nova = self.testbed.nova('admin')
        self.db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        conf_path, values = processes.write_config(self.state_dir,
                                                   self.db_url)
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = processes.RABBIT_URL
        self.addCleanup(rpc.cleanup)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        admin = self.testbed.credentials('admin')
        datasources_db.create(
            'nova', 'nova',
            {'auth_url': self.testbed.auth_url,
             'username': admin['username'], 'password': admin['password'],
             'project_name': admin['project_name'],
             'user_domain_name': 'Default',
             'project_domain_name': 'Default',
             'region_name': self.testbed.region, 'poll_time': '2'},
            secret_names=('password',))
        for node_id, role in (('engine', 'policy-engine'),
                              ('worker', 'datasources')):
            self.useFixture(processes.CongressServer(
                conf_path, node_id, [role], self.state_dir))
        self.prefix = 'e2e-%s' % uuid.uuid4().hex[:8]

    def boot(self, name):
        server = self.nova.servers.create(
            name, self.testbed.image_id, self.testbed.flavor_id,
            nics='none')
        self.addCleanup(self._delete, server.id)
        return server.id

    def _delete(self, server_id):
        try:
            self.nova.servers.delete(server_id)
        except Exception:
            pass

    def nova_status(self, server_id):
        return self.nova.servers.get(server_id).status

    def test_rule_pauses_exactly_the_matching_servers_once(self):
        targets = [self.boot('%s-pause-%d' % (self.prefix, i))
                   for i in range(2)]
        bystander = self.boot('%s-keep' % self.prefix)
        for server_id in targets + [bystander]:
            base.wait_for(lambda s=server_id: self.nova_status(s) ==
                          'ACTIVE', timeout=120, message='server ACTIVE')
        policy = policies_db.create_policy('ops')
        rule = policies_db.create_rule(
            policy['id'],
            'execute[nova:servers.pause(id)] :- '
            'nova:servers(id=id, name=n, status="ACTIVE", flavor_id=f), '
            'nova:flavors(id=f, ram=r), builtin:lteq(r, 64), '
            'builtin:startswith(n, "%s-pause")' % self.prefix)
        for server_id in targets:
            base.wait_for(lambda s=server_id: self.nova_status(s) ==
                          'PAUSED', timeout=120, message='server PAUSED')

        def fired():
            return executions_db.list_records(service='nova', policy='ops',
                                              limit=100)

        def two_succeeded():
            records = fired()
            if len(records) == 2 and all(
                    r['status'] == status.SUCCEEDED for r in records):
                return records
        records = base.wait_for(two_succeeded, timeout=60,
                                message='two succeeded records')
        self.assertEqual(sorted(targets),
                         sorted(r['args']['positional'][0] for r in records))
        for record in records:
            self.assertEqual(('servers.pause', rule['id'],
                              status.ORIGIN_POLICY),
                             (record['action'], record['rule_id'],
                              record['origin']))
            self.assertIn('nova:servers', str(record['why']))
        # three more polls see the paused servers: nothing fires again
        time.sleep(6)
        self.assertEqual(2, len(fired()))
        self.assertEqual('ACTIVE', self.nova_status(bystander))
