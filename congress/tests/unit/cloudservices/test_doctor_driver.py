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

"""The doctor push driver: translation, validation, config and the
persisted tables."""

import fixtures

from congress.cloudservices import doctor_driver
from congress.cloudservices import push_driver
from congress.db import datasources as datasources_db
from congress.db import pushed_tables as pushed_tables_db
from congress import exception
from congress.tests import base

COLUMNS = ['time', 'type', 'hostname', 'status', 'monitor',
           'monitor_event_id']


def event(hostname='compute-1', status='down', **extra):
    value = {'time': '2016-02-22T11:48:55Z', 'type': 'compute.host.down',
             'details': {'hostname': hostname, 'status': status,
                         'monitor': 'zabbix1', 'monitor_event_id': '111'}}
    value.update(extra)
    return value


class DoctorTranslationTestCase(base.TestCase):

    def test_schema_is_the_reference_one(self):
        schema = doctor_driver.DoctorDriver.get_schema()
        self.assertEqual(['events'], list(schema))
        self.assertEqual(COLUMNS, [c['name'] for c in schema['events']])
        info = doctor_driver.DoctorDriver.get_info('doctor')
        self.assertEqual({'persist_data': '(optional)'}, info['config'])
        self.assertEqual([], info['secret'])

    def test_one_row_per_event_details_win(self):
        rows = doctor_driver.DoctorDriver.parse_rows('events', [
            event(),
            # details keys override the event's; other keys are ignored
            dict(event('compute-2', 'up'), hostname='ignored',
                 colour='red'),
            # missing keys are None
            {'type': 'compute.host.down', 'details': {'hostname': 'h3'}},
        ])
        self.assertEqual({'events': {
            ('2016-02-22T11:48:55Z', 'compute.host.down', 'compute-1',
             'down', 'zabbix1', '111'),
            ('2016-02-22T11:48:55Z', 'compute.host.down', 'compute-2',
             'up', 'zabbix1', '111'),
            (None, 'compute.host.down', 'h3', None, None, None)}}, rows)

    def test_identical_events_collapse_and_empty_list_empties(self):
        self.assertEqual(1, len(doctor_driver.DoctorDriver.parse_rows(
            'events', [event(), event()])['events']))
        self.assertEqual({'events': set()},
                         doctor_driver.DoctorDriver.parse_rows('events', []))

    def test_bad_lists_are_refused_whole(self):
        bad = {
            'not a list': {'time': 'x', 'details': {}},
            'a string': 'events',
            'null': None,
            'element not an object': [event(), 'compute-1'],
            'no details': [event(), {'time': 't', 'type': 'x'}],
            'details not an object': [{'details': ['compute-1']}],
            'details null': [{'details': None}],
            'nested value': [event(time={'at': 1})],
            'list value in details': [{'details': {'hostname': ['a']}}],
        }
        for what, body in bad.items():
            self.assertRaises(exception.BadRequest,
                              doctor_driver.DoctorDriver.parse_rows,
                              'events', body)

    def test_too_many_rows(self):
        self.config(max_push_rows=2, group='datasources')
        doctor_driver.DoctorDriver.parse_rows(
            'events', [event('a'), event('b')])
        error = self.assertRaises(
            exception.BadRequest, doctor_driver.DoctorDriver.parse_rows,
            'events', [event('a'), event('b'), event('c')])
        self.assertIn('max_push_rows', str(error))

    def test_unknown_table(self):
        error = self.assertRaises(
            exception.BadRequest, doctor_driver.DoctorDriver.parse_rows,
            'hosts', [event()])
        self.assertIn('events', str(error))

    def test_persist_data_is_a_strict_boolean(self):
        for value, expected in (('true', True), ('False', False),
                                ('yes', True), ('0', False), (True, True),
                                (False, False), (' on ', True)):
            driver = doctor_driver.DoctorDriver('d', {'persist_data': value})
            self.assertIs(expected, driver.persist_data)
        self.assertFalse(doctor_driver.DoctorDriver('d', {}).persist_data)
        for value in ('maybe', '', '2', 1, None):
            self.assertRaises(exception.BadRequest,
                              doctor_driver.DoctorDriver.validate_config,
                              {'persist_data': value})
        self.assertRaises(exception.BadRequest,
                          doctor_driver.DoctorDriver.validate_config,
                          {'poll_time': '10'})
        self.assertRaises(exception.BadRequest,
                          doctor_driver.DoctorDriver.validate_config,
                          {'username': 'admin'})

    def test_no_webhook_handler_and_no_actions(self):
        self.assertFalse(doctor_driver.DoctorDriver.accepts_webhooks())
        driver = doctor_driver.DoctorDriver('d', {})
        self.assertRaises(exception.BadRequest, driver.handle_webhook, {})
        self.assertFalse(hasattr(driver, 'execute'))

    def test_replace_table_in_memory(self):
        driver = doctor_driver.DoctorDriver('d', {})
        self.assertEqual({'events': frozenset()}, driver.poll())
        state = driver.replace_table('events', [event('a'), event('b')])
        self.assertEqual({'a', 'b'}, {r[2] for r in state['events']})
        self.assertEqual(state, driver.poll())
        status = driver.get_status()['typed']
        self.assertEqual((1, True, None), (status['number_of_updates'],
                                           status['initialized'],
                                           status['last_error']))
        # a bad list changes nothing
        self.assertRaises(exception.BadRequest, driver.replace_table,
                          'events', [event('c'), {}])
        self.assertEqual(state, driver.state)
        self.assertEqual({'events': frozenset()},
                         driver.replace_table('events', []))


class PersistDataTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.stored = datasources_db.create(
            'doctor', 'doctor', {'persist_data': 'true'}, secret_names=())

    def test_pushed_rows_are_stored_and_restored(self):
        driver = doctor_driver.DoctorDriver('doctor', {'persist_data': 'true'})
        driver.replace_table('events', [event('a'), event('b')])
        self.assertEqual(
            ['a', 'b'], sorted(r[2] for r in pushed_tables_db.load(
                self.stored['id'])['events']))
        # a new process: the first poll as leader reads them back
        again = doctor_driver.DoctorDriver('doctor',
                                           {'persist_data': 'true'})
        self.assertEqual(frozenset(), again.state['events'])
        self.assertEqual(driver.state, again.poll())
        # what another leader stored meanwhile is read on the next poll
        driver.replace_table('events', [event('c')])
        self.assertEqual({'c'}, {r[2] for r in again.poll()['events']})

    def test_not_stored_without_persist_data(self):
        driver = doctor_driver.DoctorDriver('doctor', {})
        driver.replace_table('events', [event('a')])
        self.assertEqual({}, pushed_tables_db.load(self.stored['id']))

    def test_deleting_the_data_source_forgets_its_rows(self):
        driver = doctor_driver.DoctorDriver('doctor', {'persist_data': 'true'})
        driver.replace_table('events', [event('a')])
        datasources_db.delete('doctor')
        self.assertEqual({}, pushed_tables_db.load(self.stored['id']))

    def test_database_fault_on_restore_is_reported(self):
        driver = doctor_driver.DoctorDriver('doctor', {'persist_data': 'true'})
        driver.replace_table('events', [event('a')])
        self.useFixture(fixtures.MockPatchObject(
            pushed_tables_db, 'load',
            side_effect=RuntimeError('database down')))
        self.assertIsNone(driver.poll())
        self.assertIn('database down',
                      driver.get_status()['typed']['last_error'])
        self.assertEqual(1, len(driver.state['events']))


class PushDriverBaseTestCase(base.TestCase):

    def test_a_driver_with_a_handler_accepts_webhooks(self):
        class Handler(push_driver.PushDriver):
            def handle_webhook(self, payload):
                return None
        self.assertTrue(Handler.accepts_webhooks())
        self.assertFalse(push_driver.PushDriver.accepts_webhooks())
