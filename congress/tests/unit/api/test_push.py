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

"""PUT .../tables/<table>/rows and POST .../webhook on push data sources,
with a policy engine on the in-process bus."""

from congress.cloudservices import doctor_driver
from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress.execution import status
from congress.policy import engine_service
from congress.tests.unit.api import base

ROWS = '/v1/data-sources/doctor/tables/events/rows'


def event(hostname, status='down'):
    return {'time': '2026-12-01T12:00:00Z', 'type': 'compute.host.down',
            'details': {'hostname': hostname, 'status': status,
                        'monitor': 'zabbix', 'monitor_event_id': '7'}}


class PushApiTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.engine = engine_service.PolicyEngineService(
            self.node, self.backends.runtime)
        self.node.add_service(self.engine)

    def create_doctor(self, name='doctor', **config):
        response = self.app.post_json(
            '/v1/data-sources', {'name': name, 'driver': 'doctor',
                                 'config': config})
        self.assertEqual(201, response.status_int)
        self.wait_on_bus(name)
        return response.json

    def rows(self, path=ROWS):
        return sorted(r['data'] for r in self.app.get(path).json['results'])

    def put(self, body, path=ROWS, **kwargs):
        return self.app.put_json(path, body, **kwargs)

    def test_put_replaces_the_rows(self):
        created = self.create_doctor()
        self.assertEqual([], self.rows())
        response = self.put([event('h1'), event('h2', 'up')])
        self.assertEqual(200, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual(
            [['2026-12-01T12:00:00Z', 'compute.host.down', 'h1', 'down',
              'zabbix', '7'],
             ['2026-12-01T12:00:00Z', 'compute.host.down', 'h2', 'up',
              'zabbix', '7']], self.rows())
        # by id, and through the alias
        self.put([event('h3')], path='/v1/cloud-services/%s/tables/events'
                 '/rows' % created['id'])
        self.assertEqual(['h3'], [r[2] for r in self.rows()])
        self.put([])
        self.assertEqual([], self.rows())
        status_answer = self.app.get('/v1/data-sources/doctor/status').json
        self.assertEqual(('3', 'True'), (status_answer['number_of_updates'],
                                         status_answer['initialized']))

    def test_rules_over_pushed_rows_derive_and_fire(self):
        self.create_fake()
        self.create_doctor()
        self.wait_on_bus('fake')
        self.app.post_json('/v1/policies', {'name': 'ops'})
        self.app.post_json('/v1/policies/ops/rules', {
            'rule': 'down(h) :- doctor:events(hostname=h, status="down")'})
        self.app.post_json('/v1/policies/ops/rules', {
            'rule': 'execute[fake:things.create(h)] :- '
                    'doctor:events(hostname=h, status="down")'})
        self.put([event('h1'), event('h2', 'up')])
        base.wait_for(lambda: self.app.get(
            '/v1/policies/ops/tables/down/rows').json['results'] ==
            [{'data': ['h1']}])
        records = base.wait_for(lambda: executions_db.list_records(
            service='fake', policy='ops'))
        self.assertEqual(1, len(records))
        self.assertEqual((['h1'], status.ORIGIN_POLICY),
                         (records[0]['args']['positional'],
                          records[0]['origin']))
        self.assertIn('doctor:events', str(records[0]['why']))
        # the row leaves with the next push
        self.put([event('h2', 'up')])
        base.wait_for(lambda: self.app.get(
            '/v1/policies/ops/tables/down/rows').json['results'] == [])

    def test_bad_bodies_are_400_and_change_nothing(self):
        self.create_doctor()
        self.put([event('kept')])
        self.config(max_push_rows=3, group='datasources')
        bodies = [
            {'details': {'hostname': 'x'}},
            'events',
            7,
            None,
            [event('x'), 'not an object'],
            [event('x'), {'time': 't', 'type': 'compute.host.down'}],
            [event('x'), {'details': 'compute-1'}],
            [event('x'), {'details': None}],
            [event('x'), {'details': {'hostname': {'name': 'x'}}}],
            [event('x'), {'time': ['t'], 'details': {}}],
            [event('a'), event('b'), event('c'), event('d')],
        ]
        for body in bodies:
            response = self.put(body, expect_errors=True)
            self.error(response, 400, 1001)
        for raw in (b'', b'[{"details": ', b'[1, 2'):
            response = self.app.put(ROWS, raw, expect_errors=True,
                                    content_type='application/json')
            self.error(response, 400)
        self.assertEqual(['kept'], [r[2] for r in self.rows()])

    def test_unknown_table_data_source_and_polling_driver(self):
        self.create_doctor()
        response = self.put([event('x')], expect_errors=True,
                            path='/v1/data-sources/doctor/tables/hosts/rows')
        self.assertIn('events', self.error(response, 400, 1001))
        response = self.put([event('x')], expect_errors=True,
                            path='/v1/data-sources/nope/tables/events/rows')
        self.error(response, 404, 1002)
        self.create_fake()
        response = self.put([{'id': 1}], expect_errors=True,
                            path='/v1/data-sources/fake/tables/things/rows')
        self.assertIn('not a push driver', self.error(response, 400, 1022))

    def test_webhook(self):
        self.create_doctor()
        response = self.app.post_json('/v1/data-sources/doctor/webhook',
                                      {'event': 1}, expect_errors=True)
        self.assertIn('no webhook handler', self.error(response, 400, 1024))
        response = self.app.post_json('/v1/data-sources/nope/webhook',
                                      {'event': 1}, expect_errors=True)
        self.error(response, 404, 1002)

    def test_push_needs_a_worker_on_the_bus(self):
        self.app.post_json('/v1/data-sources', {
            'name': 'doctor', 'driver': 'doctor', 'enabled': False})
        response = self.put([event('x')], expect_errors=True)
        self.error(response, 503)

    def test_persisted_rows_survive_a_restart_of_the_data_source(self):
        self.create_doctor(persist_data='true')
        self.put([event('h1')])
        # the data source starts again with a new driver, as in a new
        # worker process
        self.node.remove_service('doctor')
        self.node.add_service(datasource_service.DataSourceService(
            'doctor', doctor_driver.DoctorDriver(
                'doctor', {'persist_data': 'true'}), self.node, 60))
        self.wait_on_bus('doctor')
        base.wait_for(lambda: self.rows() and True)
        self.assertEqual(['h1'], [r[2] for r in self.rows()])

    def test_bad_persist_data_is_refused(self):
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'doctor', 'driver': 'doctor',
                                 'config': {'persist_data': 'maybe'}},
            expect_errors=True)
        self.assertIn('persist_data', self.error(response, 400))
