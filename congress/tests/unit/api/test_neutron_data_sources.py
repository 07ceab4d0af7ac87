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

"""neutronv2 and neutronv2_qos data sources through the API: creation
with the reference's config keys, the schema and the actions listing
(no Neutron is needed: the poll fails, is reported and changes nothing
here)."""

from congress.tests.unit.api import base

CONFIG = {'auth_url': 'http://127.0.0.1:9/v3', 'username': 'admin',
          'password': 'secret', 'tenant_name': 'admin', 'timeout': '1',
          'poll_time': '600'}


class NeutronDataSourcesTestCase(base.ApiTestCase):

    def create(self, name, driver):
        response = self.app.post_json('/v1/data-sources', {
            'name': name, 'driver': driver, 'config': dict(CONFIG)})
        self.assertEqual(201, response.status_int)
        self.wait_on_bus(name)
        return response.json

    def test_actions_listed_with_arguments_and_descriptions(self):
        self.create('neutronv2', 'neutronv2')
        actions = {a['name']: a for a in self.app.get(
            '/v1/data-sources/neutronv2/actions').json['results']}
        self.assertEqual(
            ['port_id', 'security_group_id'],
            [a['name'] for a in actions['attach_port_security_group'][
                'args']])
        self.assertEqual(
            ['resource_type', 'id', '*attrs_and_values'],
            [a['name'] for a in actions['update_resource_attrs']['args']])
        self.assertEqual(
            ['security_group_rule', 'ignore_missing', 'if_revision'],
            [a['name'] for a in actions['delete_security_group_rule'][
                'args']])
        for name in ('create_security_group', 'update_port',
                     'detach_port_security_group', 'create_floatingip'):
            self.assertTrue(actions[name]['description'], name)
        self.assertNotIn('get_port', actions)

    def test_schema_in_reference_order(self):
        self.create('neutronv2', 'neutronv2')
        tables = {t['table_id']: [c['name'] for c in t['columns']]
                  for t in self.app.get(
                      '/v1/data-sources/neutronv2/schema').json['tables']}
        self.assertEqual(['security_group_id', 'id', 'tenant_id',
                          'remote_group_id', 'direction', 'ethertype',
                          'protocol', 'port_range_min', 'port_range_max',
                          'remote_ip_prefix'],
                         tables['security_group_rules'])
        self.assertEqual(14, len(tables))

    def test_qos_data_source(self):
        self.create('neutronv2_qos', 'neutronv2_qos')
        tables = {t['table_id'] for t in self.app.get(
            '/v1/data-sources/neutronv2_qos/schema').json['tables']}
        self.assertEqual({'ports', 'qos_policy_port_bindings', 'policies',
                          'rules'}, tables)
