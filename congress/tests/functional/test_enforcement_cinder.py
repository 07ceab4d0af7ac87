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

"""Reactive enforcement over the real Cinder of the test bed: separate
congress-server processes (engine, data sources) over RabbitMQ and MariaDB,
the cinder and nova data sources on the real bed, and policies whose
execute[...] rules change Cinder and Nova; each execution record carries
the rule and the why."""

import os
import uuid

from cinderclient import api_versions
from cinderclient import client as cinder_client

from congress.api import library_store
from congress.db import executions as executions_db
from congress.db import policies as policies_db
from congress.execution import status
from congress.tests import base
from congress.tests.functional import bed_deployment

LIBRARY = bed_deployment.LIBRARY


class CinderEnforcementTestCase(bed_deployment.BedDeploymentTestCase):

    DATASOURCES = ('cinder', 'nova')

    def setUp(self):
        super().setUp()
        if not self.testbed.info.get('cinder'):
            self.skipTest('the test bed runs without cinder')
        self.cinder = cinder_client.Client(
            api_versions.MAX_VERSION,
            session=self.testbed.session('admin', timeout=60),
            region_name=self.testbed.region)
        self.prefix = 'e2e-cinder-%s' % uuid.uuid4().hex[:8]

    # the bed

    def create_volume(self, name):
        volume = self.cinder.volumes.create(1, name=name)
        self.addCleanup(self._delete_volume, volume.id)
        base.wait_for(lambda: self.cinder.volumes.get(volume.id).status ==
                      'available', timeout=60, message='volume available')
        return volume.id

    def _delete_volume(self, volume_id):
        try:
            self.cinder.volumes.reset_state(volume_id, 'available',
                                            attach_status='detached')
            self.cinder.volumes.delete(volume_id)
        except Exception:
            pass

    def boot(self, name):
        server = self.nova.servers.create(
            name, self.testbed.image_id, self.testbed.flavor_id,
            nics='none')
        self.addCleanup(self._delete_server, server.id)
        base.wait_for(lambda: self.nova.servers.get(server.id).status ==
                      'ACTIVE', timeout=120, message='server ACTIVE')
        return server.id

    def _delete_server(self, server_id):
        try:
            self.nova.servers.delete(server_id)
        except Exception:
            pass

    def records(self, service, policy):
        return executions_db.list_records(service=service, policy=policy,
                                          limit=100)

    def wait_succeeded(self, service, policy, count):
        def done():
            records = self.records(service, policy)
            if len(records) >= count and all(
                    r['status'] == status.SUCCEEDED for r in records):
                return records
        return base.wait_for(done, timeout=90,
                             message='%d succeeded records' % count)

    # the tests

    def test_rule_makes_exactly_the_matching_volumes_bootable(self):
        targets = [self.create_volume('%s-boot-%d' % (self.prefix, i))
                   for i in range(2)]
        bystander = self.create_volume('%s-keep' % self.prefix)
        policy = policies_db.create_policy('storage')
        rule = policies_db.create_rule(
            policy['id'],
            'execute[cinder:volumes.set_bootable(id, "true")] :- '
            'cinder:volumes(id=id, name=n, bootable="false"), '
            'builtin:startswith(n, "%s-boot")' % self.prefix)
        for volume_id in targets:
            base.wait_for(lambda v=volume_id: self.cinder.volumes.get(
                v).bootable == 'true', timeout=90, message='bootable')
        records = self.wait_succeeded('cinder', 'storage', 2)
        self.assertEqual(2, len(records))
        self.assertEqual(sorted(targets),
                         sorted(r['args']['positional'][0] for r in records))
        for record in records:
            self.assertEqual(('volumes.set_bootable', rule['id'],
                              status.ORIGIN_POLICY, 'true'),
                             (record['action'], record['rule_id'],
                              record['origin'],
                              record['args']['positional'][1]))
            self.assertIn('cinder:volumes', str(record['why']))
            self.assertIn(record['args']['positional'][0],
                          str(record['why']))
        self.assertEqual('false',
                         self.cinder.volumes.get(bystander).bootable)

    def test_library_pauses_servers_with_unencrypted_volumes(self):
        attached = self.boot('%s-attached' % self.prefix)
        bystander = self.boot('%s-bare' % self.prefix)
        volume_id = self.create_volume('%s-data' % self.prefix)
        self.nova.volumes.create_server_volume(attached, volume_id)
        base.wait_for(lambda: self.cinder.volumes.get(volume_id).status ==
                      'in-use', timeout=60, message='volume in-use')
        self.assertFalse(self.cinder.volumes.get(volume_id).encrypted)
        documents = {d['name']: d for d in _library_documents(LIBRARY)}
        # activated as POST /v1/policies?library_policy= does: the policy
        # and its rules from the library document, dependency first
        for name in ('cinder_servers_unencrypted_volume',
                     'cinder_pause_servers_unencrypted_volume'):
            document = documents[name]
            policy = policies_db.create_policy(
                name, kind=document['kind'],
                description=document['description'])
            for rule in document['rules']:
                policies_db.create_rule(policy['id'], rule['rule'],
                                        comment=rule.get('comment'))
        base.wait_for(lambda: self.nova.servers.get(attached).status ==
                      'PAUSED', timeout=120, message='server PAUSED')
        records = [r for r in self.wait_succeeded(
            'nova', 'cinder_pause_servers_unencrypted_volume', 1)
            if r['args']['positional'] == [attached]]
        self.assertEqual(1, len(records), records)
        record = records[0]
        self.assertEqual(('servers.pause', status.ORIGIN_POLICY),
                         (record['action'], record['origin']))
        why = str(record['why'])
        # the derived row of cinder_servers_unencrypted_volume, with names
        self.assertIn('server_unencrypted_volume', why)
        self.assertIn(volume_id, why)
        self.assertIn('%s-data' % self.prefix, why)
        self.assertEqual('ACTIVE', self.nova.servers.get(bystander).status)
        self.assertFalse([r for r in self.records(
            'nova', 'cinder_pause_servers_unencrypted_volume')
            if r['args']['positional'] == [bystander]])


def _library_documents(library_path):
    return [library_store.read_file(os.path.join(library_path, name))
            for name in library_store.library_files(library_path)]
