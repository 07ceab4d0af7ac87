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

"""Tests of the Datalog lexer and parser."""

import testtools

from congress import exception
from congress.policy import parser
from congress.policy import syntax_tree as st


def _terms(atom):
    return [(arg.column_name, arg.term) for arg in atom.arguments]


class ParseRuleTest(testtools.TestCase):

    def test_fact_with_string_and_numbers(self):
        rule = parser.parse_rule('p(1, "a", 2.5, -3)')
        self.assertEqual((), rule.body)
        self.assertEqual('p', rule.head.table)
        self.assertIsNone(rule.head.qualifier)
        self.assertEqual([1, 'a', 2.5, -3],
                         [arg.term.value for arg in rule.head.arguments])

    def test_single_quoted_string_and_escapes(self):
        rule = parser.parse_rule('p(\'it\\\'s\', "say \\"hi\\"\\n")')
        self.assertEqual(["it's", 'say "hi"\n'],
                         [arg.term.value for arg in rule.head.arguments])

    def test_rule_with_body(self):
        rule = parser.parse_rule('p(x) :- q(x, y), r(y)')
        self.assertEqual(['q', 'r'], [lit.table for lit in rule.body])
        self.assertEqual([(None, st.Variable('x')), (None, st.Variable('y'))],
                         _terms(rule.body[0]))

    def test_negation(self):
        rule = parser.parse_rule('p(x) :- q(x), not r(x)')
        self.assertFalse(rule.body[0].negated)
        self.assertTrue(rule.body[1].negated)
        self.assertEqual('r', rule.body[1].table)

    def test_anonymous_variable(self):
        rule = parser.parse_rule('p(x) :- q(x, _)')
        term = rule.body[0].arguments[1].term
        self.assertTrue(term.anonymous)
        self.assertFalse(rule.body[0].arguments[0].term.anonymous)

    def test_qualified_and_dotted_tables(self):
        rule = parser.parse_rule(
            'p(x) :- nova:servers.addresses(x, y), builtin:gt(y, 1)')
        self.assertEqual(('nova', 'servers.addresses'),
                         (rule.body[0].qualifier, rule.body[0].table))
        self.assertEqual('builtin:gt', rule.body[1].qualified_table)

    def test_named_columns_after_positional(self):
        rule = parser.parse_rule(
            'p(x) :- nova:servers(x, status="ACTIVE", tenant_id=t)')
        self.assertEqual(
            [(None, st.Variable('x')), ('status', st.Constant('ACTIVE')),
             ('tenant_id', st.Variable('t'))],
            _terms(rule.body[0]))

    def test_execute_head(self):
        rule = parser.parse_rule('execute[nova:servers.pause(x)] :- p(x)')
        self.assertTrue(rule.head.action)
        self.assertEqual(('nova', 'servers.pause'),
                         (rule.head.qualifier, rule.head.table))
        self.assertEqual('execute[nova:servers.pause(x)] :- p(x)',
                         str(rule))

    def test_hyphenated_qualifier(self):
        rule = parser.parse_rule('p(x) :- test-policy-1:q(x)')
        self.assertEqual(('test-policy-1', 'q'),
                         (rule.body[0].qualifier, rule.body[0].table))

    def test_update_suffixes(self):
        rule = parser.parse_rule('p+(x) :- q-(x)')
        self.assertEqual('p+', rule.head.table)
        self.assertEqual('q-', rule.body[0].table)

    def test_comments_and_multiple_lines(self):
        text = ('# a comment\n'
                'p(x) :-   // why\n'
                '    q(x),\n'
                '    r(x)  # end\n')
        rule = parser.parse_rule(text)
        self.assertEqual('p(x) :- q(x), r(x)', str(rule))

    def test_zero_arity_atoms(self):
        rule = parser.parse_rule('p() :- q')
        self.assertEqual((), rule.head.arguments)
        self.assertEqual((), rule.body[0].arguments)

    def test_normalised_text(self):
        self.assertEqual(
            str(parser.parse_rule("p( x ,'a'):-q(x)")),
            str(parser.parse_rule('p(x, "a") :- q(x)')))

    def test_positions_recorded(self):
        rule = parser.parse_rule('p(x) :-\n  q(x),\n  not r(x)')
        self.assertEqual((2, 3), (rule.body[0].line, rule.body[0].column))
        self.assertEqual((3, 3), (rule.body[1].line, rule.body[1].column))


class ParseErrorTest(testtools.TestCase):

    def assertSyntaxError(self, text, line, column, *fragments):
        error = self.assertRaises(exception.PolicySyntaxError,
                                  parser.parse_rule, text)
        self.assertEqual((line, column), (error.line, error.column))
        for fragment in fragments:
            self.assertIn(fragment, str(error))
        return error

    def test_missing_close_paren(self):
        self.assertSyntaxError('p(x :- q(x)', 1, 5, 'expected', '")"')

    def test_error_on_second_line(self):
        self.assertSyntaxError('p(x) :-\n  q(x,, y)', 2, 7,
                               'a variable, string or number')

    def test_unterminated_string(self):
        self.assertSyntaxError('p("abc)', 1, 3, 'unterminated string')

    def test_number_too_long(self):
        self.assertSyntaxError('p(1, %s)' % ('9' * 60000), 1, 6,
                               'more than 64 characters')
        self.assertSyntaxError('p(-%s.5)' % ('1' * 64), 1, 3,
                               'more than 64 characters')
        rule = parser.parse_rule('p(%s)' % ('9' * 64))
        self.assertEqual(int('9' * 64), rule.head.arguments[0].term.value)

    def test_number_out_of_range(self):
        self.assertSyntaxError('p(x) :- q(x, 1e999)', 1, 14, 'out of range')

    def test_unexpected_character(self):
        self.assertSyntaxError('p(x) :- q(x) & r(x)', 1, 14,
                               'unexpected character')

    def test_trailing_tokens(self):
        self.assertSyntaxError('p(x) :- q(x) r(x)', 1, 14,
                               'the end of the rule')

    def test_negated_head(self):
        self.assertSyntaxError('not p(x) :- q(x)', 1, 1, 'head')

    def test_empty_text(self):
        self.assertSyntaxError('  // only a comment', 1, 20, 'a rule')

    def test_missing_table_after_qualifier(self):
        self.assertSyntaxError('p(x) :- nova:(x)', 1, 14, 'a table name')

    def test_unclosed_execute(self):
        self.assertSyntaxError('execute[nova:a(x) :- p(x)', 1, 19, '"]"')

    def test_not_a_string(self):
        error = self.assertRaises(exception.PolicySyntaxError,
                                  parser.parse_rule, None)
        self.assertEqual(1, error.line)

    def test_syntax_error_is_a_policy_exception(self):
        error = self.assertSyntaxError('p(', 1, 3)
        self.assertIsInstance(error, exception.PolicyException)
        self.assertEqual(400, error.code)


class ParseOtherFormsTest(testtools.TestCase):

    def test_parse_rules(self):
        rules = parser.parse_rules('p(1)\nq(x) :- p(x)\nr(2)')
        self.assertEqual(['p(1)', 'q(x) :- p(x)', 'r(2)'],
                         [str(rule) for rule in rules])

    def test_parse_query_conjunction(self):
        literals = parser.parse_query('p(x), not q(x)')
        self.assertEqual(2, len(literals))
        self.assertTrue(literals[1].negated)

    def test_parse_query_rejects_rules(self):
        self.assertRaises(exception.PolicySyntaxError, parser.parse_query,
                          'p(x) :- q(x)')

    def test_parse_sequence(self):
        elements = parser.parse_sequence('p+(1) q-(2), nova:servers+("a")')
        self.assertEqual([None] * 3, [body for _heads, body in elements])
        atoms = [heads[0] for heads, _body in elements]
        self.assertEqual(['p+', 'q-', 'servers+'],
                         [atom.table for atom in atoms])
        self.assertEqual('nova', atoms[2].qualifier)

    def test_parse_sequence_with_rules(self):
        elements = parser.parse_sequence(
            'p+(x) :- q(x) act(1) q(1), r(1) :- true update(x, 1) :- '
            'result(x)')
        self.assertEqual(
            [(['p+'], ['q']), (['act'], None), (['q', 'r'], ['true']),
             (['update'], ['result'])],
            [([h.table for h in heads],
              None if body is None else [b.table for b in body])
             for heads, body in elements])
