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

"""Tests of evaluation: joins, negation, updates, queries and traces."""

import testtools

from congress.policy import evaluation
from congress.tests.unit.policy import fakes


class EvaluationTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')

    def insert(self, *texts, policy='p'):
        return [self.engine.insert_rule(policy, text)['id'] for text in texts]

    def select(self, table, policy='p'):
        return self.engine.select(policy, table)[0]


class JoinAndNegationTest(EvaluationTestCase):

    def test_join(self):
        self.insert('r(x, z) :- a(x, y), b(y, z)', 'a(1, 2)', 'a(1, 3)',
                    'b(2, "x")', 'b(3, "y")', 'b(4, "z")')
        self.assertEqual([(1, 'x'), (1, 'y')], self.select('r'))

    def test_negation_and_its_updates(self):
        self.insert('r(x) :- a(x, _), not b(x, _)', 'a(1, 0)', 'a(2, 0)')
        self.assertEqual([(1,), (2,)], self.select('r'))
        fact = self.insert('b(1, 5)')[0]
        self.assertEqual([(2,)], self.select('r'))
        self.insert('b(1, 6)')
        self.engine.delete_rule('p', fact)
        self.assertEqual([(2,)], self.select('r'))

    def test_constants_and_repeated_variables(self):
        self.insert('r(x) :- a(x, x, "k")', 'a(1, 1, "k")', 'a(2, 3, "k")',
                    'a(4, 4, "j")')
        self.assertEqual([(1,)], self.select('r'))

    def test_disjunction_counts_derivations(self):
        self.insert('r(x) :- a(x)', 'r(x) :- b(x)', 'a(1)')
        b_fact = self.insert('b(1)')[0]
        self.engine.delete_rule('p', b_fact)
        self.assertEqual([(1,)], self.select('r'))

    def test_self_join(self):
        self.insert('sym(x, y) :- e(x, y), e(y, x)', 'e(1, 2)', 'e(2, 1)',
                    'e(3, 3)', 'e(4, 5)')
        self.assertEqual([(1, 2), (2, 1), (3, 3)], self.select('sym'))

    def test_data_source_updates(self):
        self.insert('active(x) :- nova:servers(id=x, status="ACTIVE")')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a'), fakes.server('b')])
        self.engine.receive_delta('nova', 'servers',
                                  [fakes.server('c')], [fakes.server('a')])
        self.assertEqual([('b',), ('c',)], self.select('active'))
        self.engine.initialize_table('nova', 'servers', [fakes.server('d')])
        self.assertEqual([('d',)], self.select('active'))

    def test_removing_absent_and_adding_present_rows_is_harmless(self):
        self.insert('active(x) :- nova:servers(id=x, status="ACTIVE")')
        row = fakes.server('a')
        self.engine.receive_delta('nova', 'servers', [row], [])
        self.engine.receive_delta('nova', 'servers', [row], [])
        self.engine.receive_delta('nova', 'servers', [],
                                  [fakes.server('zz')])
        self.assertEqual([('a',)], self.select('active'))
        self.engine.receive_delta('nova', 'servers', [], [row])
        self.assertEqual([], self.select('active'))

    def test_rule_deletion_retracts(self):
        rule, = self.insert('r(x) :- a(x)')
        self.insert('a(1)', 's(x) :- r(x)')
        self.engine.delete_rule('p', rule)
        self.assertEqual([], self.select('r'))
        self.assertEqual([], self.select('s'))

    def test_rules_reading_other_policies(self):
        self.engine.create_policy('other')
        self.insert('base(1)', 'base(2)', policy='other')
        self.insert('r(x) :- other:base(x), not other:skip(x)')
        self.insert('skip(2)', policy='other')
        self.assertEqual([(1,)], self.select('r'))

    def test_recursive_deletion(self):
        self.engine.create_policy('m', kind='materialized')
        self.insert('path(x, y) :- edge(x, y)',
                    'path(x, y) :- path(x, z), edge(z, y)', policy='m')
        self.insert('edge(1, 2)', 'edge(2, 1)', policy='m')
        cut, = self.insert('edge(2, 3)', policy='m')
        self.assertIn((1, 3), self.select('path', 'm'))
        self.engine.delete_rule('m', cut)
        self.assertEqual([(1, 1), (1, 2), (2, 1), (2, 2)],
                         self.select('path', 'm'))

    def test_rows_are_interned_tuples(self):
        self.insert('r(x) :- nova:flavors(id=x)')
        self.engine.initialize_table('nova', 'flavors',
                                     [['f1', 'n', 1, 2, 3, 0, 1.0]])
        row = self.engine.evaluator.tables[('nova', 'flavors')].rows
        self.assertEqual([('f1', 'n', 1, 2, 3, 0, 1.0)], list(row))


class IndexTest(EvaluationTestCase):

    def test_index_built_on_demand_and_maintained(self):
        self.insert('r(x) :- nova:servers(id=x, status="ACTIVE", '
                    'flavor_id=f), big(f)')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a', flavor='f1'), fakes.server('b', flavor='f2')])
        self.insert('big("f1")')
        table = self.engine.evaluator.tables[('nova', 'servers')]
        index = table.indexes[(3, 7)]
        self.assertEqual({fakes.server('a', flavor='f1')},
                         index[('ACTIVE', 'f1')])
        self.engine.receive_delta('nova', 'servers', [],
                                  [fakes.server('a', flavor='f1')])
        self.assertNotIn(('ACTIVE', 'f1'), index)
        self.assertEqual([], self.select('r'))

    def test_rows_stored_in_bulk_keep_counts_and_indexes(self):
        # a table nobody reads or watches takes a rule's rows at once; an
        # index a query built on it still learns each of them
        self.insert('r(x, y) :- a(x, y)', 'a(1, 1)', 'b(1, 2)', 'b(2, 2)')
        self.assertEqual(['r(1, 1)'], self.engine.query('p', 'r(1, y)')[0])
        table = self.engine.evaluator.tables[('p', 'r')]
        index = table.indexes[(0,)]
        self.insert('r(x, y) :- b(x, y)', 'r(x, y) :- a(x, y), b(x, 2)')
        self.assertEqual({(1, 1): 2, (1, 2): 1, (2, 2): 1}, table.rows)
        self.assertEqual({(1, 1), (1, 2)}, index[1])
        self.assertEqual({(2, 2)}, index[2])
        # a probe of a missing key adds no empty bucket
        self.assertRaises(KeyError, index.__getitem__, 3)
        self.assertNotIn(3, index)

    def test_counts_are_derivation_counts(self):
        self.insert('r(x) :- a(x, _)', 'a(1, 1)', 'a(1, 2)')
        table = self.engine.evaluator.tables[('p', 'r')]
        self.assertEqual({(1,): 2}, table.rows)
        self.assertEqual(evaluation.COUNTING,
                         self.engine.evaluator.modes[('p', 'r')])


class QueryAndTraceTest(EvaluationTestCase):

    def setUp(self):
        super().setUp()
        self.insert('error(s, t) :- nova:servers(id=s, tenant_id=t, '
                    'status="ERROR")')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a', status='ERROR', tenant='t1'),
            fakes.server('b', status='ERROR', tenant='t2'),
            fakes.server('c')])

    def test_query(self):
        result, trace = self.engine.query('p', 'error(x, y)')
        self.assertEqual(['error("a", "t1")', 'error("b", "t2")'], result)
        self.assertIsNone(trace)

    def test_query_with_constant_and_conjunction(self):
        result, _trace = self.engine.query('p', 'error(x, "t2")')
        self.assertEqual(['error("b", "t2")'], result)
        result, _trace = self.engine.query(
            'p', 'error(x, y), not equal(y, "t1")')
        self.assertEqual(['error("b", "t2"), not builtin:equal("t2", "t1")'],
                         result)

    def test_query_trace_explains(self):
        _result, trace = self.engine.query('p', 'error(x, y)', trace=True)
        self.assertIn('2 answers', trace)
        self.assertIn('nova:servers("a", "vm-a"', trace)

    def test_select_trace(self):
        rows, trace = self.engine.select('p', 'error', trace=True)
        self.assertEqual([('a', 't1'), ('b', 't2')], rows)
        self.assertIn('error("a", "t1")  <=  error("a", "t1") :- '
                      'nova:servers("a"', trace)

    def test_select_data_source_table(self):
        rows, trace = self.engine.select('p', 'nova:servers', trace=True)
        self.assertEqual(3, len(rows))
        self.assertIn('(data)', trace)

    def test_tables_and_subscriptions(self):
        self.insert('x(1)', 'y(z) :- x(z), builtin:gt(z, 0)')
        self.assertEqual(['error', 'nova:servers', 'x', 'y'],
                         self.engine.tables('p'))
        self.assertEqual({('nova', 'servers')},
                         self.engine.subscribed_tables())

    def test_subscriptions_exclude_policies(self):
        self.engine.create_policy('other')
        self.insert('z(s) :- p:error(s, _)', policy='other')
        self.assertEqual({('nova', 'servers')},
                         self.engine.subscribed_tables())
