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

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base


class PolicyRulesTest(base.BaseCongressTest):

    def setUp(self):
        super().setUp()
        self.policy = self.create_policy()
        self.name = self.policy['name']

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2001')
    def test_create_show_list_delete(self):
        rules = self.admin.rules
        rule = rules.create_policy_rule(self.name, 'p(x) :- q(x)',
                                        name='copy', comment='p from q')
        self.assertEqual('copy', rule['name'])
        self.assertEqual('p from q', rule['comment'])
        self.assertIn('id', rule)
        self.assertIn('q(x)', rule['rule'])
        shown = self.member.rules.show_policy_rule(self.name, rule['id'])
        self.assertEqual(rule['id'], shown['id'])
        listed = self.member.rules.list_policy_rules(self.name)['results']
        self.assertEqual([rule['id']], [r['id'] for r in listed])
        # rules are reached through the policy's id too
        rules.show_policy_rule(self.policy['id'], rule['id'])
        rules.delete_policy_rule(self.name, rule['id'])
        self.assert_error(lib_exc.NotFound, rules.show_policy_rule,
                          self.name, rule['id'])
        self.assertEqual([], rules.list_policy_rules(self.name)['results'])

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2002')
    def test_rule_changes_rows(self):
        fact = self.create_rule(self.name, 'r("x")')
        self.create_rule(self.name, 's(y) :- r(y)')
        self.wait_for_rows(self.name, 's', [['x']])
        self.admin.rules.delete_policy_rule(self.name, fact['id'])
        self.wait_for_rows(self.name, 's', [])

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2003')
    def test_syntax_error_is_400(self):
        error = self.assert_error(lib_exc.BadRequest,
                                  self.admin.rules.create_policy_rule,
                                  self.name, 'p(x) :- q(x')
        self.assertTrue(error['message'])

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2004')
    def test_unsafe_rule_is_400(self):
        self.assert_error(lib_exc.BadRequest,
                          self.admin.rules.create_policy_rule,
                          self.name, 'p(x) :- not q(x)')

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2005')
    def test_recursion_is_400_in_a_nonrecursive_policy(self):
        self.assert_error(lib_exc.BadRequest,
                          self.admin.rules.create_policy_rule,
                          self.name, 'p(x) :- p(x)')

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2006')
    def test_duplicate_rule_is_409(self):
        self.create_rule(self.name, 'p(1)')
        self.assert_error(lib_exc.Conflict,
                          self.admin.rules.create_policy_rule,
                          self.name, 'p(1)')

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2007')
    def test_unknown_policy_and_rule_are_404(self):
        self.assert_error(lib_exc.NotFound,
                          self.admin.rules.create_policy_rule,
                          'no_such_policy', 'p(1)')
        self.assert_error(lib_exc.NotFound,
                          self.admin.rules.list_policy_rules,
                          'no_such_policy')
        self.assert_error(lib_exc.NotFound,
                          self.admin.rules.show_policy_rule, self.name,
                          '00000000-0000-0000-0000-000000000000')

    @decorators.idempotent_id('2b1d2e61-8e1f-4c8f-9b52-7d4a1e3b2008')
    def test_schema_mismatch_with_a_data_source_is_400(self):
        datasource = self.create_fake_datasource()
        self.wait_for_service(datasource['name'])
        self.assert_error(
            lib_exc.BadRequest, self.admin.rules.create_policy_rule,
            self.name, 'p(x) :- %s:things(x, y, z, w, v, u)'
            % datasource['name'])
        self.assert_error(
            lib_exc.BadRequest, self.admin.rules.create_policy_rule,
            self.name, 'p(x) :- %s:things(no_such_column=x)'
            % datasource['name'])
