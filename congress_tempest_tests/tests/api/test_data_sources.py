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


class DataSourcesTest(base.BaseCongressTest):

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3001')
    def test_create_show_list_delete(self):
        datasource = self.create_fake_datasource()
        for key in ('id', 'name', 'driver', 'description', 'enabled',
                    'config'):
            self.assertIn(key, datasource)
        self.assertEqual('fake', datasource['driver'])
        ds = self.admin.datasources
        self.assertEqual(datasource['id'],
                         ds.show_datasource(datasource['name'])['id'])
        self.assertEqual(datasource['name'],
                         ds.show_datasource(datasource['id'])['name'])
        listed = self.member.datasources.list_datasources()['results']
        self.assertIn(datasource['id'], [d['id'] for d in listed])
        ds.delete_datasource(datasource['name'])
        self.assert_error(lib_exc.NotFound, ds.show_datasource,
                          datasource['id'])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3002')
    def test_status_schema_tables_rows_actions(self):
        datasource = self.create_fake_datasource()
        name = datasource['name']
        status = self.wait_for_service(name)
        # compared as strings by the reference clients
        self.assertEqual('True', status['initialized'])
        for key in ('last_updated', 'last_error', 'number_of_updates',
                    'subscriptions', 'subscribers'):
            self.assertIn(key, status)
        self.assertIsInstance(status['number_of_updates'], str)
        ds = self.member.datasources
        schema = ds.show_datasource_schema(name)
        tables = {t['table_id']: t for t in schema['tables']}
        self.assertIn('things', tables)
        self.assertEqual(['id', 'name', 'status'],
                         [c['name'] for c in tables['things']['columns']][:3])
        spec = ds.show_datasource_table_schema(name, 'things')
        self.assertEqual('things', spec['table_id'])
        self.assertIn('things', [t['id'] for t in
                                 ds.list_datasource_tables(name)['results']])
        self.assertEqual('things', ds.show_datasource_table(name,
                                                            'things')['id'])
        self.assertEqual([], ds.list_datasource_rows(name,
                                                     'things')['results'])
        actions = ds.list_datasource_actions(name)['results']
        names = [a['name'] for a in actions]
        self.assertEqual(sorted(names), names)
        self.assertIn('things.create', names)
        create = actions[names.index('things.create')]
        self.assertEqual('name', create['args'][0]['name'])
        self.assertIn('description', create)
        self.admin.datasources.request_refresh(name)

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3003')
    def test_execute_changes_the_service(self):
        if not CONF.congress_feature_enabled.execution:
            raise self.skipException('execution is disabled')
        datasource = self.create_fake_datasource()
        name = datasource['name']
        self.wait_for_service(name)
        record = self.admin.datasources.execute_datasource_action(
            name, 'things.create', positional=['made-by-tempest'])
        self.assertEqual(202, record.response.status)
        self.assertEqual('accepted', record['status'])
        self.assertTrue(record.response['location'].endswith(
            '/v1/executions/%s' % record['id']))
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.admin.datasources.request_refresh(name)

        def row():
            rows = self.member.datasources.list_datasource_rows(
                name, 'things')['results']
            return [r['data'] for r in rows]
        rows = self.wait_for('the new thing in the table', row)
        self.assertEqual('made-by-tempest', rows[0][1])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3004')
    def test_cloud_services_alias(self):
        datasource = self.create_fake_datasource()
        shown = self.admin.cloud_services.show_datasource(datasource['name'])
        self.assertEqual(datasource['id'], shown['id'])
        listed = self.admin.cloud_services.list_datasources()['results']
        self.assertIn(datasource['id'], [d['id'] for d in listed])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3005')
    def test_secret_config_is_hidden(self):
        if not CONF.congress_feature_enabled.nova_driver:
            raise self.skipException('no nova data source')
        nova = self.member.datasources.show_datasource(
            CONF.congress.nova_datasource)
        self.assertEqual('nova', nova['driver'])
        self.assertEqual('<hidden>', nova['config']['password'])
        listed = self.member.datasources.list_datasources()['results']
        for ds in listed:
            if ds['driver'] == 'nova':
                self.assertEqual('<hidden>', ds['config']['password'])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3006')
    def test_create_errors(self):
        ds = self.admin.datasources
        name = data_utils.rand_name('tempest-ds')
        exc = self.assertRaises(lib_exc.ClientRestClientException,
                                ds.create_datasource, name=name,
                                driver='no-such-driver', config={})
        self.assertIn(int(exc.resp.status), (400, 404))
        existing = self.create_fake_datasource()
        self.assert_error(lib_exc.Conflict, ds.create_datasource,
                          name=existing['name'], driver='fake', config={})
        if CONF.congress_feature_enabled.nova_driver:
            # a required option missing
            self.assert_error(lib_exc.BadRequest, ds.create_datasource,
                              name=name, driver='nova',
                              config={'username': 'x'})
        self.assert_error(lib_exc.Forbidden,
                          self.member.datasources.create_datasource,
                          name=name, driver='fake', config={})
        self.assert_error(lib_exc.Forbidden,
                          self.member.datasources.delete_datasource,
                          existing['name'])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3007')
    def test_unknown_data_source_is_404(self):
        ds = self.admin.datasources
        for call in (ds.show_datasource, ds.delete_datasource,
                     ds.show_datasource_status, ds.show_datasource_schema,
                     ds.list_datasource_tables,
                     ds.list_datasource_actions):
            self.assert_error(lib_exc.NotFound, call, 'no-such-ds')

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3008')
    def test_execute_errors(self):
        datasource = self.create_fake_datasource()
        name = datasource['name']
        self.wait_for_service(name)
        ds = self.admin.datasources
        # missing, repeated and unknown action parameter
        self.assert_error(lib_exc.BadRequest, ds.post_raw, name,
                          {'name': 'things.list'})
        self.assert_error(lib_exc.BadRequest, ds.post_raw, name,
                          {'name': 'things.list'},
                          action=['execute', 'execute'])
        exc = self.assertRaises(lib_exc.RestClientException, ds.post_raw,
                                name, {}, action='no-such-action')
        self.assertIn(int(exc.resp.status), (400, 501))
        # malformed args: 1018
        for args in ('x', {'positional': 'x'}, {'named': []}):
            error = self.assert_error(lib_exc.BadRequest, ds.post_raw, name,
                                      {'name': 'things.list', 'args': args},
                                      action='execute')
            self.assertEqual(1018, error['error_code'])
        # an action the service does not offer
        self.assert_error(lib_exc.BadRequest,
                          ds.execute_datasource_action, name,
                          'things._reset')
        self.assert_error(lib_exc.BadRequest,
                          ds.execute_datasource_action, name,
                          'no_such_manager.run')

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3009')
    def test_execute_on_unknown_service(self):
        exc = self.assertRaises(
            lib_exc.ClientRestClientException,
            self.admin.datasources.execute_datasource_action,
            'no-such-service', 'servers.pause', positional=['x'])
        self.assertIn(int(exc.resp.status), (400, 404))
        error = exc.resp_body.get('error', exc.resp_body)
        self.assertEqual(1016, error['error_code'])
        self.assertEqual('Service no-such-service not found',
                         error['message'])

    @decorators.idempotent_id('3c2e3f72-9f20-4d90-8c63-8e5b2f4c3010')
    def test_member_may_not_execute(self):
        datasource = self.create_fake_datasource()
        self.wait_for_service(datasource['name'])
        error = self.assert_error(
            lib_exc.Forbidden,
            self.member.datasources.execute_datasource_action,
            datasource['name'], 'things.create', positional=['x'])
        self.assertIn('congress:data_source:execute', error['message'])
