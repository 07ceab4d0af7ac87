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

"""neutronv2 actions: discovery from the SDK's network proxy, the
reference's wrappers and the neutronclient-style body compatibility."""

from openstack import exceptions as sdk_exceptions
from openstack.network.v2 import _proxy as network_proxy
from openstack.network.v2 import port as sdk_port
from openstack import proxy as base_proxy
import testtools

from congress.cloudservices import neutron_actions
from congress.cloudservices import neutron_driver
from congress import exception

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'project_name': 'admin'}


class RecordingProxy(object):
    """Stands for the SDK's network proxy: records every call; ports are
    kept so that a read after a write sees the write."""

    def __init__(self):
        self.calls = []
        self.ports = {'p1': ['sg-a', 'sg-b']}

    def get_port(self, port):
        self.calls.append(('get_port', (port,), {}))
        if port not in self.ports:
            raise sdk_exceptions.NotFoundException(
                message='Port %s could not be found.' % port)
        return sdk_port.Port(id=port, security_groups=list(self.ports[port]))

    def update_port(self, port, if_revision=None, **attrs):
        self.calls.append(('update_port', (port,), attrs))
        if 'security_groups' in attrs:
            self.ports[port] = list(attrs['security_groups'])
        return sdk_port.Port(id=port, **attrs)

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)

        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            if name == 'create_security_group_rules':
                return (dict(rule) for rule in args[0])
            return {'called': name}
        return record


def make_driver():
    driver = neutron_driver.NeutronV2Driver('neutronv2', dict(CONFIG))
    driver._network = RecordingProxy()
    return driver


class DiscoveryTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.actions = {a['name']: a for a in self.driver.get_actions()}

    def test_changing_proxy_methods_are_actions(self):
        for name in ('create_port', 'update_port', 'delete_port',
                     'create_security_group', 'delete_security_group',
                     'create_security_group_rule',
                     'delete_security_group_rule', 'update_network',
                     'delete_network', 'create_router',
                     'add_interface_to_router',
                     'remove_interface_from_router', 'add_gateway_to_router',
                     'create_ip', 'update_ip', 'delete_ip',
                     'create_qos_policy', 'create_qos_bandwidth_limit_rule',
                     'add_trunk_subports', 'insert_rule_into_policy'):
            self.assertIn(name, self.actions)
            self.assertTrue(self.actions[name]['description'], name)

    def test_every_action_is_a_mutating_proxy_method_or_ours(self):
        ours = {'update_resource_attrs', 'attach_port_security_group',
                'detach_port_security_group'} | set(neutron_actions.ALIASES)
        for name in self.actions:
            if name in ours:
                continue
            self.assertTrue(hasattr(network_proxy.Proxy, name), name)
            self.assertTrue(name.startswith(tuple(
                v + '_' for v in neutron_actions.MUTATING_VERBS)), name)
        # discovered, not listed: there are a great many
        self.assertGreater(len(self.actions), 150)
        self.assertEqual(sorted(self.actions),
                         [a['name'] for a in self.driver.get_actions()])

    def test_excluded_methods_have_reasons(self):
        excluded = self.driver.excluded_actions
        for name in ('get_port', 'find_network', 'ports', 'networks',
                     'security_group_rules', 'check_tag'):
            self.assertTrue(excluded[name].startswith('read-only:'), name)
            self.assertNotIn(name, self.actions)
        for name in ('get', 'post', 'put', 'delete', 'get_endpoint',
                     'request'):
            self.assertTrue(excluded[name].startswith('base:'), name)
            self.assertNotIn(name, self.actions)
        for name in ('wait_for_status', 'wait_for_delete'):
            self.assertTrue(excluded[name].startswith('client-side:'))
        # these take an SDK Resource object, not an ID
        for name in ('add_tag', 'set_tags', 'remove_tag', 'add_ip_to_port'):
            self.assertTrue(excluded[name].startswith('unusable:'), name)
            self.assertNotIn(name, self.actions)
        self.assertFalse(set(excluded) & set(self.actions))
        self.assertEqual(frozenset(excluded), self.driver.EXCLUDED_ACTIONS)

    def test_exclusion_rules(self):
        class Proxy(network_proxy.Proxy):
            def update_widget(self, widget):
                """Update a widget (deprecated, use update_gadget).

                :param widget: The widget.
                """

            def delete_gadget(self, gadget):
                """Delete a gadget

                :param gadget: The gadget. Not deprecated.
                """
        Proxy.__module__ = network_proxy.__name__
        functions = dict(neutron_actions.proxy_functions(Proxy))
        self.assertIn('deprecated',
                      neutron_actions.exclusion_reason(
                          'update_widget', functions['update_widget'],
                          Proxy))
        self.assertIsNone(neutron_actions.exclusion_reason(
            'delete_gadget', functions['delete_gadget'], Proxy))
        self.assertIn('base:', neutron_actions.exclusion_reason(
            'get_endpoint', functions['get_endpoint'], Proxy))
        self.assertEqual(base_proxy.__name__, base_proxy.Proxy.__module__)

    def test_argument_names_and_descriptions_from_the_sdk(self):
        args = self.actions['update_port']['args']
        self.assertEqual(['port', 'if_revision', '**attrs'],
                         [a['name'] for a in args])
        self.assertIn('id of a port', args[0]['description'])
        self.assertEqual(
            ['security_group_rule', 'ignore_missing', 'if_revision'],
            [a['name'] for a in
             self.actions['delete_security_group_rule']['args']])
        self.assertEqual(['**attrs'], [
            a['name'] for a in self.actions['create_security_group']['args']])
        self.assertEqual('Create a new security group from attributes',
                         self.actions['create_security_group']['description'])

    def test_wrappers_positional_arguments(self):
        self.assertEqual(
            ['port_id', 'security_group_id'],
            [a['name'] for a in
             self.actions['attach_port_security_group']['args']])
        self.assertEqual(
            ['port_id', 'security_group_id'],
            [a['name'] for a in
             self.actions['detach_port_security_group']['args']])
        self.assertEqual(
            ['resource_type', 'id', '*attrs_and_values'],
            [a['name'] for a in
             self.actions['update_resource_attrs']['args']])
        for name in ('attach_port_security_group',
                     'detach_port_security_group', 'update_resource_attrs'):
            self.assertIn('Positional arguments',
                          self.actions[name]['description'])
            for arg in self.actions[name]['args']:
                self.assertTrue(arg['description'], (name, arg))

    def test_aliases(self):
        self.assertIn('neutronclient name of create_ip',
                      self.actions['create_floatingip']['description'])
        self.assertIn('neutronclient name of add_interface_to_router',
                      self.actions['add_interface_router']['description'])
        self.assertEqual(
            ['router', 'subnet', 'port', 'advertise_host'],
            [a['name'] for a in self.actions['add_interface_router']['args']])

    def test_unknown_and_excluded_names_are_refused(self):
        for name in ('get_port', 'ports', 'request', '_update', 'nothing',
                     'network.delete_port'):
            self.assertRaises(exception.ActionNotFound,
                              self.driver.execute, name, [], {})
        self.assertEqual([], self.driver._network.calls)

    def test_discovery_needs_no_connection(self):
        driver = neutron_driver.NeutronV2Driver('neutronv2', dict(CONFIG))
        self.assertIn('update_port', driver.action_names())
        self.assertIsNone(driver._network)


class ExecuteTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.proxy = self.driver._network

    def test_delete_security_group_rule_positionally(self):
        self.driver.execute('delete_security_group_rule', ['rule-1'], {})
        self.assertEqual([('delete_security_group_rule', ('rule-1',), {})],
                         self.proxy.calls)

    def test_named_arguments(self):
        self.driver.execute('update_network', ['n1'],
                            {'name': 'x', 'is_shared': True})
        self.assertEqual(
            [('update_network', ('n1',), {'name': 'x', 'is_shared': True})],
            self.proxy.calls)

    def test_create_with_a_json_body_string(self):
        body = ('{"security_group": {"name": "zone-a", "project_id": '
                '"p1", "description": "made by a policy"}}')
        self.driver.execute('create_security_group', [body], {})
        self.assertEqual(
            [('create_security_group', (),
              {'name': 'zone-a', 'project_id': 'p1',
               'description': 'made by a policy'})], self.proxy.calls)

    def test_create_with_a_yaml_body_and_named_body(self):
        self.driver.execute('create_network', ['network: {name: n}'], {})
        self.driver.execute('create_port', [],
                            {'body': {'port': {'network_id': 'n'}}})
        self.driver.execute('create_port', [], {'network_id': 'n2'})
        self.assertEqual(
            [('create_network', (), {'name': 'n'}),
             ('create_port', (), {'network_id': 'n'}),
             ('create_port', (), {'network_id': 'n2'})], self.proxy.calls)

    def test_update_with_id_and_body(self):
        self.driver.execute('update_subnet',
                            ['s1', '{"subnet": {"name": "renamed"}}'], {})
        self.driver.execute('update_qos_policy',
                            ['q1', {'policy': {'shared': True}}], {})
        self.driver.execute('update_floatingip',
                            ['f1', '{"floatingip": {"port_id": null}}'], {})
        self.assertEqual(
            [('update_subnet', ('s1',), {'name': 'renamed'}),
             ('update_qos_policy', ('q1',), {'shared': True}),
             ('update_ip', ('f1',), {'port_id': None})], self.proxy.calls)

    def test_router_interface_with_a_neutronclient_body(self):
        self.driver.execute('add_interface_router',
                            ['r1', '{"subnet_id": "s1"}'], {})
        self.driver.execute('remove_interface_router', ['r1'],
                            {'body': {'port_id': 'p1'}})
        self.driver.execute('add_interface_to_router', ['r1', 's2'], {})
        self.assertEqual(
            [('add_interface_to_router', ('r1',), {'subnet': 's1'}),
             ('remove_interface_from_router', ('r1',), {'port': 'p1'}),
             ('add_interface_to_router', ('r1', 's2'), {})],
            self.proxy.calls)

    def test_unwrapped_body_and_a_field_named_like_a_dict(self):
        self.driver.execute(
            'update_port', ['p9', '{"binding:profile": {"a": 1}}'], {})
        self.assertEqual(
            [('update_port', ('p9',), {'binding:profile': {'a': 1}})],
            self.proxy.calls)

    def test_bad_body(self):
        for body in ('[1, 2]', '{"unclosed": ', '42'):
            err = self.assertRaises(exception.InvalidActionArguments,
                                    self.driver.execute,
                                    'create_network', [body], {})
            self.assertIn('create_network', str(err))
        self.assertEqual([], self.proxy.calls)

    def test_generators_are_listed(self):
        result = self.driver.execute('create_security_group_rules',
                                     [[{'direction': 'ingress'}]], {})
        self.assertEqual([{'direction': 'ingress'}], result)

    def test_attach_port_security_group(self):
        result = self.driver.execute('attach_port_security_group',
                                     ['p1', 'sg-c'], {})
        self.assertEqual(['sg-a', 'sg-b', 'sg-c'], self.proxy.ports['p1'])
        self.assertEqual('p1', result['id'])
        self.assertEqual(['sg-a', 'sg-b', 'sg-c'],
                         result['security_group_ids'])

    def test_attach_is_a_no_op_when_present(self):
        result = self.driver.execute('attach_port_security_group',
                                     ['p1', 'sg-a'], {})
        self.assertEqual(['get_port'], [c[0] for c in self.proxy.calls])
        self.assertEqual(['sg-a', 'sg-b'], result['security_group_ids'])

    def test_detach_port_security_group(self):
        self.driver.execute('detach_port_security_group', ['p1', 'sg-a'],
                            {})
        self.assertEqual(['sg-b'], self.proxy.ports['p1'])
        self.proxy.calls[:] = []
        self.driver.execute('detach_port_security_group', ['p1', 'sg-a'],
                            {})
        self.assertEqual(['get_port'], [c[0] for c in self.proxy.calls])

    def test_missing_port_raises_neutrons_message(self):
        err = self.assertRaises(sdk_exceptions.NotFoundException,
                                self.driver.execute,
                                'attach_port_security_group',
                                ['nope', 'sg-a'], {})
        self.assertIn('Port nope could not be found', str(err))

    def test_update_resource_attrs(self):
        self.driver.execute('update_resource_attrs',
                            ['port', 'p1', 'name', 'web', 'description',
                             'x'], {})
        self.driver.execute('update_resource_attrs',
                            ['floatingip', 'f1', 'port_id', 'p1'], {})
        self.driver.execute('update_resource_attrs',
                            ['security_group', 'g1', 'stateful', 'False'],
                            {})
        self.assertEqual(
            [('update_port', ('p1',), {'name': 'web', 'description': 'x'}),
             ('update_ip', ('f1',), {'port_id': 'p1'}),
             ('update_security_group', ('g1',), {'stateful': 'False'})],
            self.proxy.calls)

    def test_update_resource_attrs_bad_arguments(self):
        for args in (['port', 'p1'], ['port', 'p1', 'name'],
                     ['widget', 'w1', 'name', 'x'],
                     ['resource_attrs', 'x', 'a', 'b']):
            self.assertRaises(exception.InvalidActionArguments,
                              self.driver.execute, 'update_resource_attrs',
                              args, {})
        self.assertEqual([], self.proxy.calls)
