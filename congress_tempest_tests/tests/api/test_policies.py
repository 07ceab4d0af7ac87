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

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base


class PoliciesTest(base.BaseCongressTest):

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1001')
    def test_builtin_policies_are_listed(self):
        names = [p['name'] for p in
                 self.member.policies.list_policies()['results']]
        self.assertIn('classification', names)
        self.assertIn('action', names)

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1002')
    def test_create_show_list_delete(self):
        policy = self.create_policy(abbreviation='tmp',
                                    description='made by tempest',
                                    kind='nonrecursive')
        for key in ('id', 'name', 'abbreviation', 'description',
                    'owner_id', 'kind'):
            self.assertIn(key, policy)
        self.assertEqual('nonrecursive', policy['kind'])
        self.assertEqual('made by tempest', policy['description'])
        by_name = self.admin.policies.show_policy(policy['name'])
        by_id = self.admin.policies.show_policy(policy['id'])
        self.assertEqual(policy['id'], by_name['id'])
        self.assertEqual(policy['name'], by_id['name'])
        listed = self.member.policies.list_policies()['results']
        self.assertIn(policy['id'], [p['id'] for p in listed])
        status = self.member.policies.show_policy_status(policy['name'])
        self.assertEqual(policy['name'], status['name'])
        self.assertEqual(policy['id'], status['id'])
        self.admin.policies.delete_policy(policy['name'])
        self.assertRaises(lib_exc.NotFound,
                          self.admin.policies.show_policy, policy['id'])

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1003')
    def test_create_with_rules_tables_and_rows(self):
        policy = self.create_policy(rules=[
            {'rule': 'p("a")', 'name': 'fact-a'},
            {'rule': 'p("b")'},
            {'rule': 'q(x) :- p(x)', 'comment': 'q copies p'}])
        rules = self.admin.rules.list_policy_rules(policy['name'])
        self.assertEqual(3, len(rules['results']))
        tables = {t['id'] for t in self.member.policies.list_policy_tables(
            policy['name'])['results']}
        self.assertTrue({'p', 'q'} <= tables, tables)
        self.assertEqual('q', self.member.policies.show_policy_table(
            policy['name'], 'q')['id'])
        self.wait_for_rows(policy['name'], 'q', [['a'], ['b']])
        traced = self.member.policies.list_policy_rows(policy['name'], 'q',
                                                       trace='true')
        self.assertIn('trace', traced)

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1004')
    def test_simulate(self):
        policy = self.create_policy(rules=[{'rule': 'q(x) :- p(x)'},
                                           {'rule': 'p(0)'}])
        self.wait_for_rows(policy['name'], 'q', [[0]])
        result = self.member.policies.simulate_policy(
            policy['name'], query='q(x)', sequence='p+(1)',
            action_policy='action')
        self.assertEqual(['q(0)', 'q(1)'], sorted(result['result']))
        # nothing changed for real
        self.wait_for_rows(policy['name'], 'q', [[0]])

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1005')
    def test_errors(self):
        policies = self.admin.policies
        policy = self.create_policy()
        self.assert_error(lib_exc.Conflict, policies.create_policy,
                          name=policy['name'])
        self.assert_error(lib_exc.BadRequest, policies.create_policy,
                          name=data_utils.rand_name('tempest').replace(
                              '-', '_'),
                          abbreviation='toolong')
        self.assert_error(lib_exc.BadRequest, policies.create_policy,
                          name=data_utils.rand_name('tempest').replace(
                              '-', '_'),
                          kind='no-such-kind')
        self.assert_error(lib_exc.NotFound, policies.show_policy,
                          'no_such_policy')
        self.assert_error(lib_exc.NotFound, policies.delete_policy,
                          'no_such_policy')
        self.assert_error(lib_exc.NotFound, policies.list_policy_tables,
                          'no_such_policy')
        for builtin in ('classification', 'action'):
            exc = self.assertRaises(lib_exc.ClientRestClientException,
                                    policies.delete_policy, builtin)
            self.assertIn(int(exc.resp.status), (400, 403, 409))
            self.assertEqual(builtin, policies.show_policy(builtin)['name'])

    @decorators.idempotent_id('1a0c1d50-7d0e-4b7e-8a41-6c3f0d2a1006')
    def test_member_reads_but_may_not_write(self):
        policy = self.create_policy()
        self.member.policies.show_policy(policy['name'])
        self.assert_error(lib_exc.Forbidden,
                          self.member.policies.create_policy,
                          name=data_utils.rand_name('tempest').replace(
                              '-', '_'))
        self.assert_error(lib_exc.Forbidden,
                          self.member.policies.delete_policy,
                          policy['name'])
        self.assert_error(lib_exc.Forbidden,
                          self.member.rules.create_policy_rule,
                          policy['name'], 'p(1)')
