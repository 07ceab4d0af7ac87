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

"""Reactive enforcement end to end: separate congress-server processes over
RabbitMQ and MariaDB, the nova data source on the real Nova test bed, and a
policy whose execute[...] rule pauses exactly the servers it should."""

import time
import uuid

from congress.db import executions as executions_db
from congress.db import policies as policies_db
from congress.execution import status
from congress.tests import base
from congress.tests.functional import bed_deployment


class NovaEnforcementTestCase(bed_deployment.BedDeploymentTestCase):

    def setUp(self):
        super().setUp()
        self.prefix = 'e2e-%s' % uuid.uuid4().hex[:8]

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
