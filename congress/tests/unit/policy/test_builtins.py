"""Tests of the builtin tables, directly and inside rules."""

import datetime

import testtools

from congress.policy import builtin_functions as bf
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
        self.assertEqual('2024-01-01T00:01:30',
                         _call('datetime_plus', '2024-01-01T00:00:00', 90))
        self.assertEqual('2023-12-31T23:59:00+00:00',
                         _call('datetime_minus', '2024-01-01T00:00:00Z', 60))
        self.assertEqual(86400, _call('datetime_to_seconds', '1970-01-02'))
        self.assertFalse(_call('datetime_lt', 'yesterday', '2024-01-01'))

    def test_now(self):
        now = datetime.datetime.fromisoformat(_call('now'))
        utc = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        self.assertLess(abs((utc - now).total_seconds()), 5)
        self.assertTrue(bf.BUILTINS['now'].volatile)

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
        self.assertIs(bf.BUILTINS['equal'], bf.lookup(None, 'equal'))
        self.assertIs(bf.BUILTINS['len'], bf.lookup('builtin', 'len'))
        self.assertIsNone(bf.lookup(None, 'len'))
        self.assertIsNone(bf.lookup('nova', 'equal'))


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
