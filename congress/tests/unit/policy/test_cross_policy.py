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

"""Rows an action policy derives into another policy (``test2:p+``)."""

import testtools

from congress import exception
from congress.tests.unit.policy import fakes


class CrossPolicyHeadTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, _sink = fakes.new_engine()
        self.engine.create_policy('test1', kind='action')
        self.engine.create_policy('test2', kind='action')

    def test_query_finds_rows_derived_for_another_policy(self):
        self.engine.insert_rule('test1', 'test2:p+(x) :- q(x)')
        self.engine.insert_rule('test1', 'q(1)')
        self.engine.insert_rule('test2', 'p(2)')
        self.assertEqual((['test2:p+(1)'], None),
                         self.engine.query('test1', 'test2:p+(x)'))
        self.assertEqual([(1,)],
                         self.engine.select('test1', 'test2:p+')[0])
        self.assertEqual(['q', 'test2:p+'], self.engine.tables('test1'))
        # test2's own tables are untouched
        self.assertEqual([], self.engine.select('test2', 'p+')[0])
        self.assertEqual([(2,)], self.engine.select('test2', 'p')[0])

    def test_rules_of_the_policy_read_the_rows(self):
        self.engine.insert_rule('test1', 'nova:servers-(x) :- q(x)')
        self.engine.insert_rule('test1', 'gone(x) :- nova:servers-(x)')
        self.engine.insert_rule('test1', 'q("a")')
        self.assertEqual([('a',)], self.engine.select('test1', 'gone')[0])

    def test_only_action_policies_define_update_tables_elsewhere(self):
        self.engine.create_policy('plain')
        for text in ('test2:p+(x) :- q(x)', 'test2:p(x) :- q(x)',
                     'test2:p+(1)'):
            self.assertRaises(exception.PolicyException,
                              self.engine.insert_rule, 'plain', text)
        self.assertRaises(exception.PolicyException,
                          self.engine.insert_rule, 'test1',
                          'test2:p(x) :- q(x)')
