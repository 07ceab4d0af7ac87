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

"""Tests of the builtin tables, directly and inside rules."""

import datetime

import fixtures
import testtools

from congress import exception
from congress.policy import builtin_functions as bf
from congress.policy import errors
from congress.policy import syntax_tree
from congress.tests.unit.policy import fakes


def _call(name, *args):
    return bf.BUILTINS[name].safe_function()(*args)


class BuiltinFunctionTest(testtools.TestCase):

    def test_comparisons(self):
        self.assertTrue(_call('equal', 1, 1.0))
        self.assertTrue(_call('not_equal', 'a', 'b'))
        self.assertTrue(_call('lt', 1, 2))
        self.assertTrue(_call('lteq', 2, 2))
        self.assertTrue(_call('gt', 'b', 'a'))
        self.assertFalse(_call('gteq', 1, 2))

    def test_comparing_string_with_number_is_false(self):
        self.assertFalse(_call('gt', 'a', 1))
        self.assertFalse(_call('lt', 1, 'a'))

    def test_max_min(self):
        self.assertEqual(5, _call('max', 3, 5))
        self.assertEqual(3, _call('min', 3, 5))

    def test_arithmetic(self):
        self.assertEqual(5, _call('plus', 2, 3))
        self.assertEqual(-1, _call('minus', 2, 3))
        self.assertEqual(6, _call('mul', 2, 3))
        self.assertEqual(3, _call('div', 7, 2))
        self.assertEqual(3.5, _call('div', 7.0, 2))
        self.assertEqual(2.0, _call('float', 2))
        self.assertEqual(2, _call('int', 2.9))

    def test_arithmetic_failures_give_no_result(self):
        self.assertIs(bf.NO_RESULT, _call('div', 1, 0))
        self.assertIs(bf.NO_RESULT, _call('plus', 'a', 1))
        self.assertIs(bf.NO_RESULT, _call('int', 'x'))

    def test_strings(self):
        self.assertEqual('ab', _call('concat', 'a', 'b'))
        self.assertEqual(3, _call('len', 'abc'))
        self.assertTrue(_call('startswith', 'abc', 'ab'))
        self.assertTrue(_call('endswith', 'abc', 'bc'))
        self.assertTrue(_call('contains', 'abc', 'b'))
        self.assertFalse(_call('contains', 'abc', 'd'))
        self.assertEqual('abc', _call('lower', 'ABC'))
        self.assertEqual('ABC', _call('upper', 'abc'))
        self.assertEqual('bcd', _call('sub_string', 'abcdef', 1, 3))
        self.assertIs(bf.NO_RESULT, _call('sub_string', 'abc', -1, 2))

    def test_datetimes(self):
        self.assertTrue(_call('datetime_lt', '2024-01-01T00:00:00',
                              '2024-01-01T00:00:01Z'))
        self.assertTrue(_call('datetime_gt', '2024-01-02', '2024-01-01'))
        self.assertTrue(_call('datetime_equal', '2024-01-01T01:00:00+01:00',
                              '2024-01-01T00:00:00'))
        self.assertTrue(_call('datetime_lteq', '2024-01-01', '2024-01-01'))
        self.assertFalse(_call('datetime_gteq', '2023-01-01', '2024-01-01'))
        self.assertEqual('2024-01-01 00:01:30',
                         _call('datetime_plus', '2024-01-01T00:00:00', 90))
        self.assertEqual('2023-12-31 23:59:00',
                         _call('datetime_minus', '2024-01-01T00:00:00Z', 60))
        self.assertFalse(_call('datetime_lt', 'yesterday', '2024-01-01'))

    def test_dates_in_the_reference_forms(self):
        """What the reference parses: its own examples, ISO 8601 and the
        common written forms; computed dates as YYYY-MM-DD HH:MM:SS."""
        self.assertTrue(_call('datetime_equal', 'Jan 1, 2014 10:00:00',
                              '2014-01-01T10:00:00'))
        self.assertTrue(_call('datetime_lt', '2014/01/01', 'Feb 2 2014'))
        self.assertEqual('2014-01-01 11:00:00',
                         _call('datetime_plus', 'Jan 1, 2014 10:00:00',
                               '1:00:00'))
        self.assertEqual('2014-01-01 09:58:30',
                         _call('datetime_minus', '2014-01-01 10:00:00',
                               '1:30'))
        self.assertEqual('2014-01-31 10:00:00',
                         _call('datetime_plus', '2014-01-01 10:00:00',
                               '30:0:0:0'))
        self.assertEqual('2014-01-15 10:00:00',
                         _call('datetime_plus', '2014-01-01 10:00:00',
                               '2:0:0:0:0'))
        self.assertIs(bf.NO_RESULT, _call('datetime_plus', '2014-01-01',
                                          '1:1:1:1:1:1'))
        self.assertEqual(86400, _call('datetime_to_seconds', '1900-01-02'))
        self.assertEqual(3597523200,
                         _call('datetime_to_seconds', '2014-01-01'))

    def test_pack_unpack_extract(self):
        self.assertEqual((2014, 1, 2),
                         _call('unpack_date', 'Jan 2, 2014 03:04:05'))
        self.assertEqual((3, 4, 5),
                         _call('unpack_time', '2014-01-02T03:04:05'))
        self.assertEqual((2014, 1, 2, 3, 4, 5),
                         _call('unpack_datetime', '2014-01-02 03:04:05'))
        self.assertEqual('3:4:5', _call('pack_time', 3, 4, 5))
        self.assertEqual('2014-1-2', _call('pack_date', 2014, 1, 2))
        self.assertEqual('2014-1-2 3:4:5',
                         _call('pack_datetime', 2014, 1, 2, 3, 4, 5))
        self.assertEqual('2014-01-02',
                         _call('extract_date', '2014-01-02 03:04:05'))
        self.assertEqual('03:04:05',
                         _call('extract_time', '2014-01-02 03:04:05'))
        self.assertIs(bf.NO_RESULT, _call('unpack_date', 'soon'))

    def test_now(self):
        now = datetime.datetime.strptime(_call('now'), '%Y-%m-%d %H:%M:%S')
        utc = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        self.assertLess(abs((utc - now).total_seconds()), 5)
        self.assertTrue(bf.BUILTINS['now'].volatile)

    def test_now_reads_the_clock(self):
        self.useFixture(fixtures.MockPatchObject(
            bf, 'clock', lambda: datetime.datetime(2014, 1, 2, 3, 4, 5)))
        self.assertEqual('2014-01-02 03:04:05', _call('now'))

    def test_addresses(self):
        self.assertTrue(_call('ips_equal', '10.0.0.1', '10.0.0.1'))
        self.assertFalse(_call('ips_equal', '10.0.0.1', '10.0.0.2'))
        self.assertTrue(_call('ips_lt', '10.0.0.1', '10.0.0.2'))
        self.assertTrue(_call('ips_lteq', '10.0.0.2', '10.0.0.2'))
        self.assertTrue(_call('ips_gt', '10.0.0.10', '10.0.0.9'))
        self.assertTrue(_call('ips_gteq', '::2', '::1'))
        self.assertTrue(_call('ips_lt', '255.255.255.255', '::1'))
        self.assertFalse(_call('ips_lt', 'nonsense', '10.0.0.1'))
        self.assertTrue(_call('networks_equal', '10.0.0.1/24',
                              '10.0.0.0/24'))
        self.assertFalse(_call('networks_equal', '10.0.0.0/24',
                               '10.0.0.0/25'))
        self.assertTrue(_call('networks_overlap', '10.0.0.0/24',
                              '10.0.0.128/25'))
        self.assertFalse(_call('networks_overlap', '10.0.0.0/24',
                               '10.0.1.0/24'))
        self.assertFalse(_call('networks_overlap', '10.0.0.0/24', '::/0'))

    def test_validate(self):
        self.assertEqual('', _call('validate_int', 0, 10, 5))
        self.assertEqual('', _call('validate_int', '', '', '42'))
        self.assertIn('less than or equal to 10',
                      _call('validate_int', '', 10, 11))
        self.assertNotEqual('', _call('validate_int', '', '', 'x'))
        self.assertEqual('', _call('validate_float', 0.5, 1.5, '1.0'))
        self.assertNotEqual('', _call('validate_float', 0.5, 1.5, 2.0))
        self.assertEqual('', _call('validate_string', '^a', 5, False,
                                   False, 'abc'))
        self.assertEqual('', _call('validate_string', '', '', False, True,
                                   'anything at all'))
        self.assertIn("doesn't match regex",
                      _call('validate_string', '^b', '', False, False,
                            'abc'))
        self.assertNotEqual('', _call('validate_string', '', 2, False,
                                      False, 'abc'))

    def test_the_reference_set_with_its_arity_and_inputs(self):
        """Every builtin of the reference engine, with its number of
        arguments and of inputs."""
        reference = {
            'lt': (2, 2), 'lteq': (2, 2), 'equal': (2, 2), 'gt': (2, 2),
            'gteq': (2, 2), 'max': (3, 2), 'plus': (3, 2), 'minus': (3, 2),
            'mul': (3, 2), 'div': (3, 2), 'float': (2, 1), 'int': (2, 1),
            'concat': (3, 2), 'len': (2, 1), 'now': (1, 0),
            'unpack_date': (4, 1), 'unpack_time': (4, 1),
            'unpack_datetime': (7, 1), 'pack_time': (4, 3),
            'pack_date': (4, 3), 'pack_datetime': (7, 6),
            'extract_date': (2, 1), 'extract_time': (2, 1),
            'datetime_to_seconds': (2, 1), 'datetime_plus': (3, 2),
            'datetime_minus': (3, 2), 'datetime_lt': (2, 2),
            'datetime_lteq': (2, 2), 'datetime_gt': (2, 2),
            'datetime_gteq': (2, 2), 'datetime_equal': (2, 2),
            'ips_equal': (2, 2), 'ips_lt': (2, 2), 'ips_lteq': (2, 2),
            'ips_gt': (2, 2), 'ips_gteq': (2, 2), 'networks_equal': (2, 2),
            'networks_overlap': (2, 2), 'ip_in_network': (2, 2),
            'validate_int': (4, 3), 'validate_float': (4, 3),
            'validate_string': (6, 5)}
        self.assertEqual(
            reference, {name: (bf.BUILTINS[name].arity,
                               bf.BUILTINS[name].inputs)
                        for name in reference if name in bf.BUILTINS})

    def test_ip(self):
        self.assertTrue(_call('ip_in_network', '10.0.0.5', '10.0.0.0/24'))
        self.assertFalse(_call('ip_in_network', '10.0.1.5', '10.0.0.0/24'))
        self.assertFalse(_call('ip_in_network', 'nonsense', '10.0.0.0/24'))
        self.assertTrue(_call('networks_overlap', '10.0.0.0/16',
                              '10.0.3.0/24'))
        self.assertTrue(_call('ips_in_same_network', '10.0.0.1', '10.0.0.9',
                              24))
        self.assertEqual(167772161, _call('ip_to_int', '10.0.0.1'))

    def test_lookup(self):
        for name, builtin in bf.BUILTINS.items():
            self.assertIs(builtin, bf.lookup(None, name))
            self.assertIs(builtin, bf.lookup('builtin', name))
            self.assertIsNone(bf.lookup('nova', name))
        self.assertIsNone(bf.lookup('builtin', 'xyz'))
        self.assertIsNone(bf.lookup(None, 'servers'))


class BuiltinInRulesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, _sink = fakes.new_engine()
        self.engine.create_policy('p')
        for fact in ('n(1)', 'n(2)', 'n(3)', 's("Abc")', 's("xyz")'):
            self.engine.insert_rule('p', fact)

    def rows(self, text, table='r'):
        self.engine.insert_rule('p', text)
        return self.engine.select('p', table)[0]

    def test_filter(self):
        self.assertEqual([(3,)], self.rows('r(x) :- n(x), builtin:gt(x, 2)'))

    def test_legacy_unqualified_names(self):
        self.assertEqual([(2,)], self.rows('r(x) :- n(x), equal(x, 2)'))
        self.assertEqual([(1,)], self.rows('t(x) :- n(x), lt(x, 2)', 't'))

    def test_output_is_bound(self):
        self.assertEqual([(1, 10), (2, 20), (3, 30)],
                         self.rows('r(x, y) :- n(x), builtin:mul(x, 10, y)'))

    def test_output_already_bound_is_compared(self):
        self.assertEqual([(1, 2)],
                         self.rows('r(x, y) :- n(x), n(y), plus(x, 1, y), '
                                   'builtin:lt(y, 3)'))

    def test_output_constant_is_compared(self):
        self.assertEqual([(3,)], self.rows('r(x) :- n(x), plus(x, 1, 4)'))

    def test_string_functions(self):
        self.assertEqual([('Abc', 'abc')],
                         self.rows('r(x, y) :- s(x), builtin:lower(x, y), '
                                   'builtin:startswith(x, "A")'))

    def test_negated_filter(self):
        self.assertEqual([(1,), (3,)],
                         self.rows('r(x) :- n(x), not equal(x, 2)'))

    def test_bad_input_yields_nothing(self):
        self.assertEqual([], self.rows('r(x) :- s(x), builtin:gt(x, 1)'))

    def test_volatile_builtin_recomputed_on_change(self):
        self.engine.insert_rule('p', 'old(x) :- n(x), builtin:now(t), '
                                     'builtin:datetime_gt(t, "2000-01-01")')
        self.assertEqual(3, len(self.engine.select('p', 'old')[0]))
        self.engine.insert_rule('p', 'n(4)')
        self.assertEqual(4, len(self.engine.select('p', 'old')[0]))


# inputs for which each builtin holds (a filter) or has a result
EXAMPLES = {
    'equal': (1, 1), 'not_equal': (1, 2), 'lt': (1, 2), 'lteq': (1, 1),
    'gt': (2, 1), 'gteq': (2, 2), 'max': (1, 2), 'min': (1, 2),
    'plus': (1, 2), 'minus': (1, 2), 'mul': (2, 3), 'div': (7, 2),
    'float': (1,), 'int': (2.5,), 'concat': ('a', 'b'), 'len': ('abc',),
    'startswith': ('abc', 'a'), 'endswith': ('abc', 'c'),
    'contains': ('abc', 'b'), 'lower': ('A',), 'upper': ('a',),
    'sub_string': ('abcd', 1, 2), 'now': (),
    'unpack_date': ('Jan 2, 2014',), 'unpack_time': ('2014-01-02 03:04',),
    'unpack_datetime': ('2014-01-02T03:04:05Z',),
    'pack_time': (3, 4, 5), 'pack_date': (2014, 1, 2),
    'pack_datetime': (2014, 1, 2, 3, 4, 5),
    'extract_date': ('2014-01-02 03:04:05',),
    'extract_time': ('2014-01-02 03:04:05',),
    'datetime_to_seconds': ('2014-01-01',),
    'datetime_plus': ('Jan 1, 2014 10:00:00', '1:00:00'),
    'datetime_minus': ('2014-01-01', 60),
    'datetime_lt': ('2014-01-01', '2014-01-02'),
    'datetime_lteq': ('2014-01-01', '2014-01-01'),
    'datetime_gt': ('2014-01-02', '2014-01-01'),
    'datetime_gteq': ('2014-01-02', '2014-01-02'),
    'datetime_equal': ('2014-01-01 00:00:00', '2014-01-01T00:00:00Z'),
    'ips_equal': ('10.0.0.1', '10.0.0.1'), 'ips_lt': ('10.0.0.1', '::1'),
    'ips_lteq': ('10.0.0.1', '10.0.0.1'), 'ips_gt': ('10.0.0.2', '10.0.0.1'),
    'ips_gteq': ('::2', '::1'),
    'networks_equal': ('10.0.0.0/24', '10.0.0.5/24'),
    'networks_overlap': ('10.0.0.0/8', '10.1.0.0/16'),
    'ip_in_network': ('10.0.0.1', '10.0.0.0/24'),
    'ips_in_same_network': ('10.0.0.1', '10.0.0.9', 24),
    'ip_to_int': ('10.0.0.1',),
    'validate_int': (0, 10, 5), 'validate_float': ('', '', '1.5'),
    'validate_string': ('^a', 10, 0, 0, 'abc'),
}


class BareAndPrefixedNamesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, _sink = fakes.new_engine()
        self.engine.create_policy('p')
        self.engine.insert_rule('p', 's("abc")')

    def insert(self, text):
        return self.engine.insert_rule('p', text)

    def assert_refused(self, error, text, line, column):
        raised = self.assertRaises(error, self.insert, text)
        self.assertEqual((line, column), (raised.line, raised.column),
                         raised.message)
        self.assertEqual(400, raised.code)
        return raised

    def test_every_builtin_works_by_its_bare_and_prefixed_name(self):
        self.assertEqual(sorted(bf.BUILTINS), sorted(EXAMPLES))
        for name, inputs in sorted(EXAMPLES.items()):
            builtin = bf.BUILTINS[name]
            outputs = ['o%d' % i for i in range(builtin.outputs)]
            args = ', '.join([syntax_tree.format_value(value)
                              for value in inputs] + outputs)
            head = ', '.join(outputs or ['1'])
            results = []
            for prefix in ('', 'builtin:'):
                table = '%s_%s' % ('prefixed' if prefix else 'bare', name)
                self.insert('%s(%s) :- s(_), %s%s(%s)' % (
                    table, head, prefix, name, args))
                results.append(self.engine.select('p', table)[0])
            self.assertEqual(1, len(results[0]), name)
            self.assertEqual(results[0], results[1], name)

    def test_a_bare_builtin_is_never_a_table(self):
        self.insert('long(x) :- s(x), len(x, 3)')
        self.insert('short(x) :- s(x), len(x, 2)')
        self.assertEqual([('abc',)], self.engine.select('p', 'long')[0])
        self.assertEqual([], self.engine.select('p', 'short')[0])
        self.assertNotIn('len', self.engine.tables('p'))
        self.assert_refused(exception.SchemaMismatch,
                            'p(x) :-\n  s(x),\n len(x, 3, 4)', 3, 2)

    def test_a_rule_cannot_define_a_builtin(self):
        self.assert_refused(errors.InvalidRule, 'len(x, y) :- s(x), s(y)',
                            1, 1)
        self.assert_refused(errors.InvalidRule, 'now("2014-01-01")', 1, 1)
        self.assert_refused(errors.InvalidRule,
                            'builtin:lt(x, y) :- s(x), s(y)', 1, 1)
        self.assert_refused(errors.InvalidRule, 'builtin:xyz(x) :- s(x)',
                            1, 1)

    def test_an_unknown_prefixed_builtin_is_refused(self):
        raised = self.assert_refused(errors.InvalidRule,
                                     'p(x) :- s(x), builtin:xyz(x)', 1, 15)
        self.assertIn('unknown builtin builtin:xyz', raised.message)


class ConstantsMustParseTest(testtools.TestCase):
    """A constant a builtin could never accept is refused at insert."""

    def setUp(self):
        super().setUp()
        self.engine, _sink = fakes.new_engine()
        self.engine.create_policy('p')

    def test_unparseable_constants_are_refused_where_they_are(self):
        cases = [
            ('p(x) :- q(x), datetime_lt(x, "not a date")', '"not'),
            ('p(x) :- q(x),\n  builtin:datetime_gt("2014-13-45", x)',
             '"2014'),
            ('p(y) :- q(x), datetime_plus(x, "1:2:3:4:5:6", y)', '"1:'),
            ('p(y) :- q(x), datetime_minus(x, "an hour", y)', '"an'),
            ('p(x) :- q(x), datetime_to_seconds(5, x)', '5'),
            ('p(x) :- q(x), ip_in_network(x, "10.0.0.0/33")', '"10'),
            ('p(x) :- q(x), ips_lt("10.0.0.300", x)', '"10'),
            ('p(x) :- q(x), networks_overlap(x, "a network")', '"a'),
            ('p(r) :- q(x), validate_string("(", "", 0, 0, x, r)', '"("'),
        ]
        for text, constant in cases:
            before = text[:text.index(constant)]
            where = (before.count('\n') + 1,
                     len(before) - before.rfind('\n'))
            raised = self.assertRaises(errors.InvalidRule,
                                       self.engine.insert_rule, 'p', text)
            self.assertEqual(where, (raised.line, raised.column),
                             raised.message)
            self.assertIn('cannot be argument', raised.message)
        self.assertEqual([], self.engine.rules('p'))

    def test_queries_are_checked_too(self):
        self.assertRaises(errors.InvalidRule, self.engine.query, 'p',
                          'q(x), datetime_lt(x, "whenever")')

    def test_the_reference_forms_are_accepted(self):
        for fact in ('q("2014-01-01 09:00:00")', 'q("2014-01-01T11:00:00Z")'):
            self.engine.insert_rule('p', fact)
        self.engine.insert_rule(
            'p', 'early(x) :- q(x), datetime_lt(x, "Jan 1, 2014 10:00:00")')
        self.engine.insert_rule(
            'p', 'late(y) :- q(x), datetime_plus(x, "1:00:00", y), '
                 'datetime_gteq(y, "2014-01-01T12:00:00")')
        self.assertEqual([('2014-01-01 09:00:00',)],
                         self.engine.select('p', 'early')[0])
        self.assertEqual([('2014-01-01 12:00:00',)],
                         self.engine.select('p', 'late')[0])


OLD_SERVERS = ('execute[nova:servers.delete(id)] :- '
               'nova:servers(id=id, created_at=created), now(t), '
               'datetime_plus(created, "30:0:0:0", expiry), '
               'datetime_lt(expiry, t)')


class TimePassesTest(testtools.TestCase):
    """Rules that read ``now`` change their answer on each tick."""

    def setUp(self):
        super().setUp()
        self.clock = fakes.Clock(datetime.datetime(2026, 12, 1, 9, 0, 0))
        self.clock.install(self)
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')

    def server(self, server_id, created):
        row = list(fakes.server(server_id))
        row[-1] = created
        return tuple(row)

    def test_fires_on_the_tick_after_the_line_and_once(self):
        self.engine.insert_rule('p', OLD_SERVERS)
        self.engine.initialize_table('nova', 'servers', [
            self.server('a', '2026-11-01T10:00:00Z'),
            self.server('b', 'Nov 10, 2026 10:00:00')])
        self.engine.tick()
        self.assertEqual([], self.sink.fired_args())
        self.clock.advance(hours=1)  # 10:00:00, not yet past the line
        self.engine.tick()
        self.assertEqual([], self.sink.fired_args())
        self.clock.advance(seconds=1)
        self.engine.tick()
        self.assertEqual([('a',)], self.sink.fired_args())
        for _day in range(8):
            self.clock.advance(days=1)
            self.engine.tick()
        self.assertEqual([('a',)], self.sink.fired_args())
        self.clock.advance(days=1)
        self.engine.tick()
        self.assertEqual([('a',), ('b',)], self.sink.fired_args())
        self.engine.tick()
        self.assertEqual([('a',), ('b',)], self.sink.fired_args())

    def test_a_tick_without_time_rules_changes_nothing(self):
        self.engine.insert_rule('p', 'execute[nova:servers.stop(id)] :- '
                                     'nova:servers(id=id, status="ERROR")')
        self.engine.initialize_table('nova', 'servers',
                                     [fakes.server('a', status='ERROR')])
        self.assertEqual([('a',)], self.sink.fired_args())
        self.clock.advance(days=1)
        self.engine.tick()
        self.assertEqual([('a',)], self.sink.fired_args())

    def test_what_reads_a_time_table_follows_it(self):
        self.engine.insert_rule('p', 'due(id) :- nova:servers(id=id, '
                                     'created_at=c), now(t), '
                                     'datetime_lt(c, t)')
        self.engine.insert_rule('p', 'count_me(id) :- due(id)')
        self.engine.initialize_table('nova', 'servers', [
            self.server('a', '2026-12-01 09:30:00')])
        self.assertEqual([], self.engine.select('p', 'count_me')[0])
        self.clock.advance(hours=1)
        self.engine.tick()
        self.assertEqual([('a',)], self.engine.select('p', 'count_me')[0])
