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

"""The Cinder driver against a REAL Cinder: cinder-api, cinder-scheduler
and cinder-volume (cinder's fake volume driver: no data path) of the
loopback test bed (``tools/openstack-testbed.sh``), with the real Nova to
attach volumes to servers.

The driver runs as a data source on an in-process node; its tables are
compared with what python-cinderclient lists, and actions run through
``DseRuntime.execute`` are checked by the next GET from Cinder.
"""

import time
import uuid

from cinderclient import api_versions
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exceptions

from congress.cloudservices import cinder_driver
from congress.execution import status
from congress.tests.functional.fixtures import testbed
from congress.tests.functional import hosted

wait_for = hosted.wait_for

VOLUME_FIELDS = ('id', 'size', 'user_id', 'status', 'description', 'name',
                 'bootable', 'created_at', 'volume_type', 'encrypted',
                 'availability_zone', 'replication_status', 'multiattach',
                 'snapshot_id', 'source_volid', 'consistencygroup_id',
                 'migration_status', 'os-vol-tenant-attr:tenant_id')


def make_cinder(bed, who='admin'):
    return cinder_client.Client(api_versions.MAX_VERSION,
                                session=bed.session(who, timeout=60),
                                region_name=bed.region)


class RealCinderTestCase(hosted.HostedServicesTestCase):

    def setUp(self):
        super().setUp()
        self.tb = testbed.use(self)
        if not self.tb.info.get('cinder'):
            self.skipTest('the test bed runs without cinder '
                          '(CONGRESS_TESTBED_CINDER=0)')
        self.cinder = make_cinder(self.tb)
        self.prefix = 'congress-cinder-%s' % uuid.uuid4().hex[:8]
        # tenant_name, as devstack passes it
        config = dict(self.tb.credentials('admin'),
                      region_name=self.tb.region, poll_time=600)
        config['tenant_name'] = config.pop('project_name')
        self.driver = cinder_driver.CinderDriver('cinder', config)
        self.service = self.host('cinder', self.driver)
        self.assertEqual('None', self.refresh()['last_error'])

    def refresh(self, timeout=120.0):
        return self.refresh_service('cinder', timeout)

    def execute(self, action, positional=(), named=None, timeout=60.0):
        return self.execute_on('cinder', action, positional, named, timeout)

    # volumes on the bed

    def create_volume(self, cinder=None, **kwargs):
        cinder = cinder or self.cinder
        volume = cinder.volumes.create(
            1, name='%s-%s' % (self.prefix, uuid.uuid4().hex[:4]), **kwargs)
        self.addCleanup(self.delete_volume, volume.id)
        return self.wait_volume(volume.id, 'available')

    def wait_volume(self, volume_id, wanted, timeout=60):
        def check():
            volume = self.cinder.volumes.get(volume_id)
            if volume.status.startswith('error'):
                raise AssertionError('volume %s went to %s' % (
                    volume_id, volume.status))
            return volume if volume.status == wanted else None
        return wait_for(check, timeout=timeout, interval=0.2,
                        message='volume %s %s' % (volume_id, wanted))

    def delete_volume(self, volume_id):
        try:
            self.cinder.volumes.delete(volume_id, cascade=True)
        except cinder_exceptions.NotFound:
            return
        except cinder_exceptions.BadRequest:
            # still attached or busy: force it
            self.cinder.volumes.reset_state(volume_id, 'available',
                                            attach_status='detached')
            self.cinder.volumes.delete(volume_id, cascade=True)

    def row(self, volume_id):
        rows = [r for r in self.driver.state.get('volumes', ())
                if r[0] == volume_id]
        return rows[0] if rows else None

    # what Cinder says, independently of the driver's translation

    def expected(self):
        volumes = self.cinder.volumes.list(search_opts={'all_tenants': 1},
                                           limit=None)
        snapshots = self.cinder.volume_snapshots.list(
            search_opts={'all_tenants': 1})
        services = self.cinder.services.list()
        return {
            'volumes': {tuple(getattr(v, f, None) for f in VOLUME_FIELDS)
                        for v in volumes},
            'attachments': {(v.id, a.get('server_id'),
                             a.get('attachment_id'), a.get('host_name'),
                             a.get('device'))
                            for v in volumes for a in v.attachments},
            'snapshots': {(s.id, s.size, s.status, s.volume_id, s.name,
                           s.created_at,
                           getattr(s, 'os-extended-snapshot-attributes:'
                                      'project_id', None))
                          for s in snapshots},
            'services': {(s.status, s.binary, s.zone, s.state,
                          s.updated_at, s.host, s.disabled_reason)
                         for s in services},
        }

    def assert_tables_match(self, tables=('volumes', 'attachments',
                                          'snapshots', 'services')):
        # Other tests may use the same bed, and services report every
        # few seconds: compare again if the two reads saw different times.
        for attempt in range(8):
            self.assertEqual('None', self.refresh()['last_error'])
            expected = self.expected()
            state = self.driver.state
            if all(state[t] == expected[t] for t in tables):
                break
            time.sleep(0.3)
        for table in tables:
            self.assertEqual(expected[table], self.driver.state[table],
                             table)

    def test_tables_match_cinder(self):
        member = make_cinder(self.tb, 'member')
        mine = self.create_volume(description='congress test')
        theirs = self.create_volume(cinder=member)
        snapshot = self.cinder.volume_snapshots.create(
            mine.id, name='%s-snap' % self.prefix)
        self.addCleanup(self._delete_snapshot, snapshot.id)
        wait_for(lambda: self.cinder.volume_snapshots.get(
            snapshot.id).status == 'available', timeout=60,
            message='snapshot available')
        self.assert_tables_match()
        self.assertEqual(api_versions.APIVersion(api_versions.MAX_VERSION),
                         self.driver.api_version)
        row = self.row(mine.id)
        self.assertEqual((mine.id, 1, 'available', 'congress test',
                          mine.name, 'false', False, False),
                         (row[0], row[1], row[3], row[4], row[5], row[6],
                          row[9], row[12]))
        # the member's volume is there too (all_tenants), with its project
        self.assertEqual(self.tb.project_ids['demo'], self.row(theirs.id)[-1])
        self.assertEqual(self.tb.project_ids['admin'], row[-1])
        self.assertIn((snapshot.id, 1, 'available', mine.id,
                       snapshot.name),
                      {r[:5] for r in self.driver.state['snapshots']})
        self.assertEqual({'cinder-scheduler', 'cinder-volume'},
                         {r[1] for r in self.driver.state['services']})

    def _delete_snapshot(self, snapshot_id):
        try:
            self.cinder.volume_snapshots.delete(snapshot_id)
        except cinder_exceptions.NotFound:
            pass

    def test_attachment_of_a_real_server(self):
        nova = self.tb.nova('admin', timeout=60)
        server = nova.servers.create(
            name='%s-srv' % self.prefix, image=self.tb.image_id,
            flavor=self.tb.flavor_id, nics='none')
        self.addCleanup(self._delete_server, nova, server.id)
        wait_for(lambda: nova.servers.get(server.id).status == 'ACTIVE',
                 timeout=120, message='server ACTIVE')
        volume = self.create_volume()
        nova.volumes.create_server_volume(server.id, volume.id)
        self.addCleanup(self._detach, nova, server.id, volume.id)
        volume = self.wait_volume(volume.id, 'in-use')
        self.assert_tables_match(('volumes', 'attachments'))
        attachment = volume.attachments[0]
        self.assertIn((volume.id, server.id, attachment['attachment_id'],
                       self.tb.compute_host, attachment['device']),
                      self.driver.state['attachments'])
        self.assertEqual('in-use', self.row(volume.id)[3])

    def _delete_server(self, nova, server_id):
        try:
            nova.servers.delete(server_id)
        except Exception:
            pass

    def _detach(self, nova, server_id, volume_id):
        try:
            nova.volumes.delete_server_volume(server_id, volume_id)
            self.wait_volume(volume_id, 'available')
        except Exception:
            pass

    def test_set_bootable_through_execute(self):
        volume = self.create_volume()
        self.assertEqual('None', self.refresh()['last_error'])
        self.assertEqual('false', self.row(volume.id)[6])
        final = self.execute('volumes.set_bootable', [volume.id, True])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('true', self.cinder.volumes.get(volume.id).bootable)
        self.assertEqual('None', self.refresh()['last_error'])
        self.assertEqual('true', self.row(volume.id)[6])
        # a policy passes strings: "false" works as well
        final = self.execute('volumes.set_bootable', [volume.id, 'false'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('false',
                         self.cinder.volumes.get(volume.id).bootable)

    def test_metadata_wrappers(self):
        volume = self.create_volume()
        final = self.execute('volumes_set_metadata',
                             [volume.id, 'congress', 'yes', 'tier', 1])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual({'congress': 'yes', 'tier': '1'},
                         self.cinder.volumes.get(volume.id).metadata)
        final = self.execute('volumes_delete_metadata', [volume.id, 'tier'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual({'congress': 'yes'},
                         self.cinder.volumes.get(volume.id).metadata)

    def test_failed_action_carries_cinders_words(self):
        volume = self.create_volume()
        # shrinking is refused by Cinder's API
        final = self.execute('volumes.extend', [volume.id, 0])
        self.assertEqual(status.FAILED, final['status'], final)
        self.assertIn('HTTP 400', final['error'])
        self.assertEqual(1, self.cinder.volumes.get(volume.id).size)
        final = self.execute('volumes.extend', [volume.id, 2])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.wait_volume(volume.id, 'available')
        self.assertEqual(2, self.cinder.volumes.get(volume.id).size)
