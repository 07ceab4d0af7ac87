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

"""/v1/data-sources and its alias /v1/cloud-services."""

import os
from unittest import mock

import fixtures

from congress.cloudservices import fake_driver
from congress.db import datasources as datasources_db
from congress.tests.unit.api import base


class DataSourcesTestCase(base.ApiTestCase):

    def test_empty_list(self):
        self.assertEqual({'results': []},
                         self.app.get('/v1/data-sources').json)

    def test_create_show_list_delete(self):
        response = self.app.post_json(
            '/v1/data-sources',
            {'name': 'fake', 'driver': 'fake', 'config': {'things': 2},
             'description': 'a test service'})
        self.assertEqual(201, response.status_int)
        created = response.json
        self.assertEqual({'id', 'name', 'driver', 'description', 'enabled',
                          'config'}, set(created))
        self.assertEqual('http://localhost/v1/data-sources/%s'
                         % created['id'], response.headers['Location'])
        self.assertEqual(('fake', 'fake', 'a test service', True,
                          {'things': 2}),
                         (created['name'], created['driver'],
                          created['description'], created['enabled'],
                          created['config']))
        self.assertEqual(created, self.app.get(
            '/v1/data-sources/fake').json)
        self.assertEqual(created, self.app.get(
            '/v1/data-sources/%s' % created['id']).json)
        self.assertEqual({'results': [created]},
                         self.app.get('/v1/data-sources').json)
        # the manager of this node started it
        self.wait_on_bus('fake')
        deleted = self.app.delete('/v1/data-sources/%s' % created['id'])
        self.assertEqual(created, deleted.json)
        self.assertIsNone(self.node.service('fake'))
        self.error(self.app.get('/v1/data-sources/fake',
                                expect_errors=True), 404, 1002)
        self.error(self.app.delete('/v1/data-sources/fake',
                                   expect_errors=True), 404)

    def test_cloud_services_alias(self):
        created = self.create_fake('svc')
        self.assertEqual(created, self.app.get(
            '/v1/cloud-services/svc').json)
        self.assertEqual([created], self.app.get(
            '/v1/cloud-services').json['results'])

    def test_duplicate_name_is_409(self):
        self.create_fake('fake')
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'fake', 'driver': 'fake',
                                 'config': {}}, expect_errors=True)
        self.assertIn('fake', self.error(response, 409, 1003))

    def test_unknown_driver(self):
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'x', 'driver': 'nope',
                                 'config': {}}, expect_errors=True)
        self.assertIn('nope', self.error(response, 404, 1021))
        self.assertEqual([], datasources_db.list_all())

    def test_bad_config(self):
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'x', 'driver': 'fake',
                                 'config': {'colour': 'red'}},
            expect_errors=True)
        self.assertIn('colour', self.error(response, 400, 1001))
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'x', 'driver': 'fake',
                                 'config': 'things=2'},
            expect_errors=True)
        self.error(response, 400)
        self.assertEqual([], datasources_db.list_all())

    def test_reserved_name_is_refused(self):
        response = self.app.post_json('/v1/data-sources',
                                      {'name': 'builtin', 'driver': 'fake'},
                                      expect_errors=True)
        self.assertIn('reserved', self.error(response, 400, 1111))
        self.assertEqual([], datasources_db.list_all())

    def test_missing_config_means_empty(self):
        response = self.app.post_json('/v1/data-sources',
                                      {'name': 'x', 'driver': 'fake'})
        self.assertEqual({}, response.json['config'])

    def test_required_config(self):
        with mock.patch.object(fake_driver.FakeDriver, 'CONFIG',
                               {'auth_url': 'required'}):
            response = self.app.post_json(
                '/v1/data-sources', {'name': 'x', 'driver': 'fake',
                                     'config': {}}, expect_errors=True)
        self.assertIn('auth_url', self.error(response, 400))

    def test_invalid_bodies(self):
        for body in ({'driver': 'fake'},
                     {'name': '', 'driver': 'fake'},
                     {'name': 'has space', 'driver': 'fake'},
                     {'name': 'a:b', 'driver': 'fake'},
                     {'name': 42, 'driver': 'fake'},
                     {'name': 'x'},
                     {'name': 'x', 'driver': ['fake']},
                     {'name': 'x', 'driver': 'fake', 'enabled': 'yes'},
                     {'name': 'x', 'driver': 'fake', 'description': 3},
                     {'name': 'x', 'driver': 'fake', 'colour': 'red'},
                     {'name': 'x', 'driver': 'fake',
                      'config': {'things': {'nested': 1}}}):
            response = self.app.post_json('/v1/data-sources', body,
                                          expect_errors=True)
            self.error(response, 400, 1001)
        self.assertEqual([], datasources_db.list_all())

    def test_the_test_driver_is_off_by_default(self):
        self.config_fixture.conf.clear_override('enabled_drivers',
                                                group='datasources')
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'fake', 'driver': 'fake',
                                 'config': {}}, expect_errors=True)
        self.assertIn('fake', self.error(response, 404, 1021))
        self.assertNotIn('fake', self.app.get('/v1/system/drivers').text)
        self.assertEqual([], datasources_db.list_all())

    def test_record_file_outside_state_path_is_400(self):
        outside = self.useFixture(fixtures.TempDir()).path
        os.symlink(outside, os.path.join(self.state_dir, 'out'))
        for path in (os.path.join(outside, 'runs.jsonl'), '../runs.jsonl',
                     'out/runs.jsonl'):
            response = self.app.post_json(
                '/v1/data-sources',
                {'name': 'fake', 'driver': 'fake',
                 'config': {'record_file': path}}, expect_errors=True)
            message = self.error(response, 400, 1001)
            self.assertIn('record_file', message)
            self.assertIn('state_path', message)
        self.assertEqual([], datasources_db.list_all())
        self.assertEqual([], os.listdir(outside))
        created = self.create_fake(record_file='runs.jsonl')
        self.assertEqual('runs.jsonl', created['config']['record_file'])

    def test_secrets_are_hidden(self):
        with mock.patch.object(fake_driver.FakeDriver, 'SECRET',
                               ('record_file',)):
            created = self.app.post_json(
                '/v1/data-sources',
                {'name': 'fake', 'driver': 'fake',
                 'config': {'record_file': 's3cret', 'things': 1}}).json
            self.assertEqual({'record_file': '<hidden>', 'things': 1},
                             created['config'])
            for body in (self.app.get('/v1/data-sources/fake').json,
                         self.app.get('/v1/data-sources').json['results'][0],
                         self.app.delete('/v1/data-sources/fake').json):
                self.assertEqual('<hidden>', body['config']['record_file'])
                self.assertNotIn('s3cret', str(body))

    def test_disabled_driver_hides_every_value(self):
        self.create_fake('fake', things=1)
        self.config(enabled_drivers=['nova'], group='datasources')
        body = self.app.get('/v1/data-sources/fake').json
        self.assertEqual({'things': '<hidden>'}, body['config'])

    def test_status_of_a_running_data_source(self):
        self.create_fake()
        self.wait_on_bus('fake')
        self.app.post_json('/v1/data-sources/fake?action=request-refresh',
                           {})
        status = base.wait_for(lambda: self._initialized('fake'))
        self.assertEqual('True', status['initialized'])
        self.assertEqual('None', status['last_error'])
        # one poll at start, one asked for
        self.assertIn(status['number_of_updates'], ('1', '2'))
        self.assertIsInstance(status['last_updated'], str)
        self.assertEqual([], status['subscriptions'])
        self.assertEqual([], status['subscribers'])

    def _initialized(self, name):
        status = self.app.get('/v1/data-sources/%s/status' % name).json
        return status if status['initialized'] == 'True' else None

    def test_status_of_a_data_source_not_on_the_bus(self):
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'idle', 'driver': 'fake',
                                 'config': {}, 'enabled': False})
        self.assertFalse(response.json['enabled'])
        status = self.app.get('/v1/data-sources/idle/status').json
        self.assertEqual({'initialized': 'False', 'last_error': 'None',
                          'number_of_updates': '0', 'last_updated': 'None',
                          'subscriptions': [], 'subscribers': []}, status)

    def test_status_of_unknown_data_source_is_404(self):
        response = self.app.get('/v1/data-sources/nope/status',
                                expect_errors=True)
        self.error(response, 404, 1016)

    def test_actions_sorted_with_arguments(self):
        self.create_fake()
        self.wait_on_bus('fake')
        actions = self.app.get('/v1/data-sources/fake/actions').json[
            'results']
        names = [a['name'] for a in actions]
        self.assertEqual(sorted(names), names)
        self.assertIn('things.set_status', names)
        self.assertNotIn('things._reset', names)
        create = [a for a in actions if a['name'] == 'things.create'][0]
        self.assertEqual({'name', 'args', 'description'}, set(create))
        self.assertEqual([{'name': 'name',
                           'description': 'Name of the new thing.'},
                          {'name': 'status',
                           'description': 'Its first status.'}],
                         create['args'])

    def test_actions_of_unknown_service(self):
        self.error(self.app.get('/v1/data-sources/nope/actions',
                                expect_errors=True), 404, 1016)

    def test_schema_tables_and_spec(self):
        self.create_fake()
        schema = self.app.get('/v1/data-sources/fake/schema').json
        self.assertEqual(['things'],
                         [t['table_id'] for t in schema['tables']])
        self.assertEqual(['id', 'name', 'status'],
                         [c['name'] for c in schema['tables'][0]['columns']])
        self.assertEqual({'results': [{'id': 'things'}]},
                         self.app.get('/v1/data-sources/fake/tables').json)
        self.assertEqual({'id': 'things'}, self.app.get(
            '/v1/data-sources/fake/tables/things').json)
        spec = self.app.get('/v1/data-sources/fake/tables/things/spec').json
        self.assertEqual('things', spec['table_id'])
        self.assertEqual(schema['tables'][0]['columns'], spec['columns'])
        for path in ('tables/nope', 'tables/nope/spec', 'tables/nope/rows'):
            self.error(self.app.get('/v1/data-sources/fake/' + path,
                                    expect_errors=True), 404, 1002)
        self.error(self.app.get('/v1/data-sources/nope/schema',
                                expect_errors=True), 404)

    def test_schema_comes_from_the_data_source_over_the_bus(self):
        self.create_fake()
        self.wait_on_bus('fake')
        expected = self.app.get('/v1/data-sources/fake/schema').json
        # an API node without the driver's package answers the same
        with mock.patch('congress.cloudservices.loader.driver_class',
                        side_effect=AssertionError('driver class read')):
            self.assertEqual(expected, self.app.get(
                '/v1/data-sources/fake/schema').json)
            self.assertEqual(['id', 'name', 'status'], [
                c['name'] for c in self.app.get(
                    '/v1/data-sources/fake/tables/things/spec').json[
                        'columns']])
        # stored, but no worker on the bus: try again later
        self.manager.stop()
        self.node.remove_service('fake')
        for path in ('schema', 'tables', 'tables/things/spec'):
            response = self.app.get('/v1/data-sources/fake/' + path,
                                    expect_errors=True)
            self.assertIn('no worker', self.error(response, 503, 1202))
            self.assertEqual('5', response.headers['Retry-After'])

    def test_rows(self):
        self.create_fake(things=3)
        self.wait_on_bus('fake')
        self.app.post('/v1/data-sources/fake?action=request-refresh')
        rows = base.wait_for(lambda: self.app.get(
            '/v1/data-sources/fake/tables/things/rows').json['results'])
        self.assertEqual(3, len(rows))
        for row in rows:
            self.assertEqual({'data'}, set(row))
            self.assertEqual('ACTIVE', row['data'][2])

    def test_push_is_refused_clearly(self):
        self.create_fake()
        response = self.app.put_json(
            '/v1/data-sources/fake/tables/things/rows', [{'id': 1}],
            expect_errors=True)
        self.assertIn('not a push driver', self.error(response, 400, 1022))
        response = self.app.post_json('/v1/data-sources/fake/webhook',
                                      {'payload': 1}, expect_errors=True)
        self.assertIn('not a push driver', self.error(response, 400, 1022))

    def test_request_refresh(self):
        self.create_fake()
        self.wait_on_bus('fake')
        response = self.app.post_json(
            '/v1/data-sources/fake?action=request-refresh', {})
        self.assertEqual(200, response.status_int)
        self.assertEqual({}, response.json)

    def test_request_refresh_takes_no_arguments(self):
        self.create_fake()
        self.wait_on_bus('fake')
        url = '/v1/data-sources/fake?action=request-refresh'
        for body in ('', 'null', '{}'):
            response = self.app.post(url, body,
                                     content_type='application/json')
            self.assertEqual(200, response.status_int, body)
        for body in ('{"name": "things.list"}', '[]', '"now"'):
            response = self.app.post(url, body,
                                     content_type='application/json',
                                     expect_errors=True)
            self.error(response, 400, 1001)

    def test_request_refresh_of_unknown_service(self):
        response = self.app.post_json(
            '/v1/data-sources/nope?action=request-refresh', {},
            expect_errors=True)
        self.error(response, 404, 1016)

    def test_action_parameter_checks(self):
        self.create_fake()
        for query, expected in (('', 'required'),
                                ('?action=execute&action=execute',
                                 'exactly one'),
                                ('?action=explode', 'unknown action')):
            response = self.app.post_json('/v1/data-sources/fake' + query,
                                          {}, expect_errors=True)
            self.assertIn(expected, self.error(response, 400, 1001))
