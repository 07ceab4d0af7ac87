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

"""Tests of rule checking: names, schemas, safety, recursion."""

import testtools

from congress import exception
from congress.policy import errors
from congress.tests.unit.policy import fakes


class CompilerTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')

    def insert(self, text, policy='p'):
        return self.engine.insert_rule(policy, text)

    def assertRefused(self, error_class, text, *fragments, policy='p'):
        error = self.assertRaises(error_class, self.insert, text, policy)
        for fragment in fragments:
            self.assertIn(fragment, str(error))
        self.assertEqual([], [r['rule'] for r in self.engine.rules(policy)
                              if r['rule'] == text])
        return error


class SchemaTest(CompilerTestCase):

    def test_named_columns_map_to_positions(self):
        self.insert('active(x) :- nova:servers(id=x, status="ACTIVE")')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a'), fakes.server('b', status='ERROR')])
        self.assertEqual([('a',)], self.engine.select('p', 'active')[0])

    def test_unknown_column(self):
        self.assertRefused(
            exception.SchemaMismatch,
            'p(x) :- nova:servers(id=x, colour="red")',
            'no column colour', 'status')

    def test_too_many_positional_arguments(self):
        self.assertRefused(exception.SchemaMismatch,
                           'p(x) :- nova:flavors(x, 1, 2, 3, 4, 5, 6, 7)',
                           'has 7 columns but 8 arguments')

    def test_short_positional_atom_is_padded(self):
        # The reference order without created_at (10 of 11 columns).
        self.insert('p(x, t) :- nova:servers(x, n, h, "ACTIVE", t, u, i, '
                    'f, z, hn)')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a', tenant='t9')])
        self.assertEqual([('a', 't9')], self.engine.select('p', 'p')[0])

    def test_positional_then_named(self):
        self.insert('p(x) :- nova:servers(x, status="ERROR")')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a'), fakes.server('b', status='ERROR')])
        self.assertEqual([('b',)], self.engine.select('p', 'p')[0])

    def test_named_then_positional_is_refused(self):
        self.assertRefused(exception.PolicySyntaxError,
                           'p(x) :- nova:servers(status="ERROR", x)',
                           'positional argument cannot follow')

    def test_column_given_twice(self):
        self.assertRefused(exception.SchemaMismatch,
                           'p(x) :- nova:servers(x, id=y)',
                           'both by position and by name')

    def test_named_columns_need_a_table_of_the_schema(self):
        self.assertRefused(exception.SchemaMismatch,
                           'p(x) :- nova:volumes(id=x)', 'unknown')

    def test_arity_mismatch_between_rules(self):
        self.insert('q(x, y) :- nova:servers(id=x, name=y)')
        self.assertRefused(exception.SchemaMismatch,
                           'q(x) :- nova:servers(id=x)',
                           'q is used with 1 arguments')
        self.assertRefused(exception.SchemaMismatch,
                           'r(x) :- q(x)', '2 columns elsewhere')

    def test_arity_forgotten_with_the_last_rule(self):
        rule = self.insert('q(x, y) :- nova:servers(id=x, name=y)')
        self.engine.delete_rule('p', rule['id'])
        self.insert('q(x) :- nova:servers(id=x)')
        self.assertEqual(1, len(self.engine.rules('p')))

    def test_data_rows_of_wrong_arity(self):
        self.assertRaises(exception.SchemaMismatch,
                          self.engine.initialize_table, 'nova', 'flavors',
                          [('f1', 'small')])

    def test_builtin_arity(self):
        self.assertRefused(exception.SchemaMismatch,
                           'p(x) :- q(x), builtin:gt(x)', 'takes 2')

    def test_unknown_builtin(self):
        self.assertRefused(errors.InvalidRule,
                           'p(x) :- q(x), builtin:frobnicate(x)',
                           'unknown builtin')


class SafetyTest(CompilerTestCase):

    def test_head_variable_unbound(self):
        error = self.assertRefused(exception.UnsafeRule,
                                   'p(x, y) :- q(x)', 'variable y')
        self.assertEqual((1, 6), (error.line, error.column))

    def test_negated_variable_unbound(self):
        self.assertRefused(exception.UnsafeRule,
                           'p(x) :- q(x), not r(x, y)', 'variable y',
                           'negated')

    def test_negated_anonymous_is_safe(self):
        self.insert('p(x) :- q(x), not r(x, _)')
        self.assertEqual(1, len(self.engine.rules('p')))

    def test_builtin_input_unbound(self):
        self.assertRefused(exception.UnsafeRule,
                           'p(x) :- q(x), builtin:gt(y, 3)', 'variable y',
                           'builtin gt')

    def test_builtin_output_binds(self):
        self.insert('p(x, y) :- q(x), builtin:plus(x, 1, y)')
        self.assertEqual(1, len(self.engine.rules('p')))

    def test_builtin_chain_binds_in_any_order(self):
        self.insert('p(z) :- builtin:plus(y, 1, z), builtin:plus(x, 1, y), '
                    'q(x)')
        self.insert('q(1)')
        self.assertEqual([(3,)], self.engine.select('p', 'p')[0])

    def test_anonymous_in_head(self):
        self.assertRefused(exception.UnsafeRule, 'p(_) :- q(x)',
                           'anonymous')

    def test_fact_with_variable(self):
        self.assertRefused(exception.UnsafeRule, 'p(x)', 'variable x')


class RuleShapeTest(CompilerTestCase):

    def test_cannot_define_builtin(self):
        self.assertRefused(errors.InvalidRule, 'equal(x, y) :- q(x, y)',
                           'builtin')

    def test_cannot_define_service_table(self):
        self.assertRefused(errors.InvalidRule,
                           'nova:servers(x) :- q(x)', 'cannot define')

    def test_own_qualifier_in_head_is_allowed(self):
        self.insert('p:a(1)')
        self.assertEqual([(1,)], self.engine.select('p', 'a')[0])

    def test_execute_needs_service(self):
        self.assertRefused(errors.InvalidRule, 'execute[pause(x)] :- q(x)',
                           'service:action')

    def test_head_cannot_use_named_columns(self):
        self.assertRefused(exception.SchemaMismatch, 'p(id=x) :- q(x)',
                           'named columns')

    def test_duplicate_rule(self):
        self.insert('p(x) :- q(x)')
        error = self.assertRaises(exception.DuplicateRule, self.insert,
                                  'p( x ):-q(x)   // same rule')
        self.assertEqual(409, error.code)
        self.assertEqual(1, len(self.engine.rules('p')))

    def test_same_rule_in_two_policies(self):
        self.engine.create_policy('other')
        self.insert('p(x) :- q(x)')
        self.insert('p(x) :- q(x)', policy='other')
        self.assertEqual(1, len(self.engine.rules('other')))


class RecursionTest(CompilerTestCase):

    def test_recursion_refused_in_nonrecursive_policy(self):
        self.insert('path(x, y) :- edge(x, y)')
        self.assertRefused(exception.RecursionNotAllowed,
                           'path(x, y) :- path(x, z), edge(z, y)',
                           'not allowed in policy p')

    def test_mutual_recursion_refused(self):
        self.insert('a(x) :- b(x)')
        self.assertRefused(exception.RecursionNotAllowed, 'b(x) :- a(x)')

    def test_recursion_across_policies_refused(self):
        self.engine.create_policy('m', kind='materialized')
        self.insert('a(x) :- m:b(x)')
        self.assertRefused(exception.RecursionNotAllowed, 'b(x) :- p:a(x)',
                           policy='m')

    def test_recursion_allowed_in_materialized_policy(self):
        self.engine.create_policy('m', kind='materialized')
        self.insert('path(x, y) :- edge(x, y)', policy='m')
        self.insert('path(x, y) :- path(x, z), edge(z, y)', policy='m')
        for fact in ('edge(1, 2)', 'edge(2, 3)', 'edge(3, 1)'):
            self.insert(fact, policy='m')
        rows = self.engine.select('m', 'path')[0]
        self.assertEqual(9, len(rows))

    def test_negation_through_recursion_always_refused(self):
        self.engine.create_policy('m', kind='materialized')
        self.insert('a(x) :- q(x), not b(x)', policy='m')
        self.assertRefused(exception.RecursionNotAllowed,
                           'b(x) :- a(x)', 'not stratified', policy='m')

    def test_refused_rule_leaves_no_trace(self):
        self.insert('a(x) :- b(x)')
        self.insert('b(1)')
        self.assertRaises(exception.RecursionNotAllowed, self.insert,
                          'b(x) :- a(x)')
        self.assertEqual([(1,)], self.engine.select('p', 'a')[0])
        self.assertEqual(2, len(self.engine.rules('p')))
