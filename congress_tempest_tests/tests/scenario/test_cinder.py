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

"""The cinder data source against the deployment's Cinder: its tables are
compared field by field with what tempest's own volume clients show, and
an action run through the Congress API is checked on Cinder itself.

Needs: Congress with a data source of driver ``cinder``
(``[congress] cinder_datasource``) over the Cinder that
``[service_available] cinder`` names, with a backend on which volumes
become ``available``.
"""

from tempest.common import waiters
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from congress_tempest_tests.tests import base

CONF = config.CONF

#: The reference's volume columns, then the project column the driver adds.
VOLUME_FIELDS = ('id', 'size', 'user_id', 'status', 'description', 'name',
                 'bootable', 'created_at', 'volume_type', 'encrypted',
                 'availability_zone', 'replication_status', 'multiattach',
                 'snapshot_id', 'source_volid', 'consistencygroup_id',
                 'migration_status', 'os-vol-tenant-attr:tenant_id')
SNAPSHOT_FIELDS = ('id', 'size', 'status', 'volume_id', 'name',
                   'created_at', 'os-extended-snapshot-attributes:project_id')
SERVICE_FIELDS = ('status', 'binary', 'zone', 'state', 'updated_at', 'host',
                  'disabled_reason')


def congress_value(value):
    """A value as policies and the rows API see it (booleans and null as
    strings)."""
    if value is None or isinstance(value, bool):
        return str(value)
    return value


def congress_row(values):
    return [congress_value(v) for v in values]


class CinderDataSourceTest(base.BaseCongressTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.cinder:
            raise cls.skipException('Cinder is not available')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.volumes = cls.os_admin.volumes_client_latest
        cls.snapshots = cls.os_admin.snapshots_client_latest
        cls.volume_services = cls.os_admin.volume_services_client_latest

    def setUp(self):
        super().setUp()
        self.cinder = CONF.congress.cinder_datasource
        self.wait_for_service(self.cinder)

    def create_volume(self):
        volume = self.volumes.create_volume(
            size=CONF.volume.volume_size,
            name=data_utils.rand_name('ctt-volume'),
            description='congress tempest')['volume']
        self.addCleanup(self.volumes.wait_for_resource_deletion,
                        volume['id'])
        self.addCleanup(self._delete_quietly, self.volumes.delete_volume,
                        volume['id'])
        waiters.wait_for_volume_resource_status(self.volumes, volume['id'],
                                                'available')
        return self.volumes.show_volume(volume['id'])['volume']

    def rows(self, table):
        return self.admin.datasources.list_datasource_rows(
            self.cinder, table)['results']

    def wait_for_row(self, table, key, position=0, check=None):
        """The row of ``table`` whose column ``position`` is ``key``, once
        the data source polled it (and ``check(row)`` holds)."""
        def polled():
            self.admin.datasources.request_refresh(self.cinder)
            for row in self.rows(table):
                data = row['data']
                if data[position] == key and (check is None or check(data)):
                    return data
            return None
        return self.wait_for('%s of %s in %s:%s' % (key, position,
                                                    self.cinder, table),
                             polled)

    @decorators.idempotent_id('4f0c3b1a-6a0e-4f7e-9a51-0c3a5d1e7b01')
    def test_volume_row_equals_the_volume_api(self):
        volume = self.create_volume()
        row = self.wait_for_row('volumes', volume['id'])
        self.assertEqual(
            congress_row(volume.get(f) for f in VOLUME_FIELDS),
            congress_row(row))
        # no attachments of a fresh volume
        self.assertFalse([r for r in self.rows('attachments')
                          if r['data'][0] == volume['id']])

    @decorators.idempotent_id('4f0c3b1a-6a0e-4f7e-9a51-0c3a5d1e7b02')
    def test_snapshot_row_equals_the_snapshot_api(self):
        volume = self.create_volume()
        snapshot = self.snapshots.create_snapshot(
            volume_id=volume['id'],
            name=data_utils.rand_name('ctt-snapshot'))['snapshot']
        self.addCleanup(self.snapshots.wait_for_resource_deletion,
                        snapshot['id'])
        self.addCleanup(self._delete_quietly, self.snapshots.delete_snapshot,
                        snapshot['id'])
        waiters.wait_for_volume_resource_status(self.snapshots,
                                                snapshot['id'], 'available')
        snapshot = self.snapshots.show_snapshot(snapshot['id'])['snapshot']
        row = self.wait_for_row('snapshots', snapshot['id'],
                                check=lambda r: r[2] == 'available')
        self.assertEqual(
            congress_row(snapshot.get(f) for f in SNAPSHOT_FIELDS),
            congress_row(row))

    @decorators.idempotent_id('4f0c3b1a-6a0e-4f7e-9a51-0c3a5d1e7b03')
    def test_services_equal_the_services_api(self):
        def same():
            self.admin.datasources.request_refresh(self.cinder)
            services = self.volume_services.list_services()['services']
            # updated_at moves every report: compare the rest, then that
            # each service's row has a report time the API also gave
            expected = sorted(congress_row(s.get(f) for f in SERVICE_FIELDS
                                           if f != 'updated_at')
                              for s in services)
            actual = sorted(congress_row(v for i, v in enumerate(r['data'])
                                         if i != 4)
                            for r in self.rows('services'))
            return (expected, actual) if expected == actual else None
        expected, actual = self.wait_for('cinder services', same)
        self.assertIn('cinder-volume', [r[1] for r in actual])
        for row in self.rows('services'):
            self.assertTrue(row['data'][4])

    @decorators.attr(type='slow')
    @decorators.idempotent_id('4f0c3b1a-6a0e-4f7e-9a51-0c3a5d1e7b04')
    def test_execute_set_bootable_changes_cinder(self):
        if not CONF.congress_feature_enabled.execution:
            raise self.skipException('execution is disabled')
        volume = self.create_volume()
        self.assertEqual('false', volume['bootable'])
        record = self.admin.datasources.execute_datasource_action(
            self.cinder, 'volumes.set_bootable',
            positional=[volume['id'], 'true'])
        self.assertEqual(202, record.response.status)
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.assertEqual(
            'true', self.volumes.show_volume(volume['id'])['volume'][
                'bootable'])
        self.wait_for_row('volumes', volume['id'],
                          check=lambda r: r[6] == 'true')
