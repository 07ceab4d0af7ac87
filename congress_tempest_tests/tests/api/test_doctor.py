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

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base

CONF = config.CONF

COLUMNS = ('time', 'type', 'hostname', 'status', 'monitor',
           'monitor_event_id')


def _event(hostname, status, event_id):
    return {'time': '2026-12-01T12:00:00Z', 'type': 'compute.host.down',
            'details': {'hostname': hostname, 'status': status,
                        'monitor': 'tempest', 'monitor_event_id': event_id}}


class DoctorPushTest(base.BaseCongressTest):
    """The doctor push driver: rows PUT through the API read back."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.congress_feature_enabled.doctor_driver:
            raise cls.skipException('the doctor driver is not enabled')

    def create_doctor(self):
        datasource = self.admin.datasources.create_datasource(
            name=data_utils.rand_name('tempest-doctor'), driver='doctor',
            config={'persist_data': 'false'})
        self.addCleanup(self._delete_quietly,
                        self.admin.datasources.delete_datasource,
                        datasource['id'])
        self.wait_for_service(datasource['name'])
        return datasource['name']

    def rows(self, name):
        return sorted(r['data'] for r in
                      self.member.datasources.list_datasource_rows(
                          name, 'events')['results'])

    @decorators.idempotent_id('8f0e6d2a-4c1b-4a57-9d1e-3b2f6c7d5e01')
    def test_put_rows_and_read_them_back(self):
        name = self.create_doctor()
        spec = self.member.datasources.show_datasource_table_schema(
            name, 'events')
        self.assertEqual(list(COLUMNS), [c['name'] for c in spec['columns']])
        ds = self.admin.datasources
        answer = ds.update_datasource_rows(
            name, 'events', [_event('compute-1', 'down', '1'),
                             _event('compute-2', 'up', '2')])
        self.assertEqual(200, answer.response.status)
        self.assertEqual(
            [['2026-12-01T12:00:00Z', 'compute.host.down', 'compute-1',
              'down', 'tempest', '1'],
             ['2026-12-01T12:00:00Z', 'compute.host.down', 'compute-2',
              'up', 'tempest', '2']], self.rows(name))
        # the next PUT replaces the table; [] empties it
        ds.update_datasource_rows(name, 'events',
                                  [_event('compute-3', 'down', '3')])
        self.assertEqual(['compute-3'], [r[2] for r in self.rows(name)])
        ds.update_datasource_rows(name, 'events', [])
        self.assertEqual([], self.rows(name))

    @decorators.idempotent_id('8f0e6d2a-4c1b-4a57-9d1e-3b2f6c7d5e02')
    def test_bad_body_is_400_and_changes_nothing(self):
        name = self.create_doctor()
        ds = self.admin.datasources
        ds.update_datasource_rows(name, 'events',
                                  [_event('compute-1', 'down', '1')])
        error = self.assert_error(
            lib_exc.BadRequest, ds.update_datasource_rows, name, 'events',
            [_event('compute-2', 'down', '2'), {'time': 'no details'}])
        self.assertIn('details', error['message'])
        self.assertEqual(['compute-1'], [r[2] for r in self.rows(name)])
        # a member may read but not push
        self.assert_error(lib_exc.Forbidden,
                          self.member.datasources.update_datasource_rows,
                          name, 'events', [])
