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

"""Simulation as the reference defines it: action policies that read the
simulated policy, rule updates, actions with arguments and results; and
its bounds: linear, limited, never holding the engine."""

import threading
import time
from unittest import mock

import testtools

from congress.policy import dependency_graph
from congress.policy import engine as engine_mod
from congress.policy import errors
from congress.policy import simulation
from congress.tests.unit.policy import fakes

DEFAULT = 'test_default'
ACTION = 'test_action'


class ReferenceSequencesTest(testtools.TestCase):
    """The reference engine's simulate examples."""

    def create(self, action_code, class_code, policies=()):
        engine, _sink = fakes.new_engine()
        engine.create_policy(DEFAULT)
        engine.create_policy(ACTION, kind='action')
        for name in policies:
            engine.create_policy(name)
        for text in action_code:
            engine.insert_rule(ACTION, text)
        for text in class_code:
            engine.insert_rule(DEFAULT, text)
        return engine

    def check(self, engine, sequence, query, expected, delta=False):
        before = {table: engine.select(DEFAULT, table)[0]
                  for table in engine.tables(DEFAULT)}
        result = engine.simulate(DEFAULT, query, sequence, ACTION,
                                 delta=delta)['result']
        self.assertEqual(sorted(expected), sorted(result))
        self.assertEqual(before, {table: engine.select(DEFAULT, table)[0]
                                  for table in engine.tables(DEFAULT)})

    def test_unqualified_tables_are_read_from_the_simulated_policy(self):
        engine = self.create(['action("act")', 'p+(x) :- act(x)',
                              'p-(y) :- act(x), r(x, y)'],
                             ['p(2)', 'r(1, 2)'])
        self.check(engine, 'act(1)', 'p(x)', ['p(1)'])
        self.check(engine, 'act(1)', 'p(x)', ['p+(1)', 'p-(2)'],
                   delta=True)

    def test_key_value_updates(self):
        action = ['action("changeAttribute")',
                  'server_attributes+(uid, name, newvalue) :- '
                  'changeAttribute(uid, name, newvalue)',
                  'server_attributes-(uid, name, oldvalue) :- '
                  'changeAttribute(uid, name, newvalue), '
                  'server_attributes(uid, name, oldvalue)']
        policy = ['error(uid) :- server_attributes(uid, name, 0)',
                  'server_attributes(101, "cpu", 0)']
        engine = self.create(action, policy)
        self.check(engine, 'changeAttribute(101, "cpu", 1)', 'error(x)', [])
        engine.insert_rule(DEFAULT, 'server_attributes(101, "disk", 0)')
        self.check(engine, 'changeAttribute(101, "cpu", 1)', 'error(x)',
                   ['error(101)'])

    def test_multiple_actions_in_order(self):
        action = ['p+(x) :- q(x)', 'p-(x) :- r(x)', 'action("q")',
                  'action("r")']
        engine = self.create(action, ['p(1)'])
        self.check(engine, 'q(1) r(1)', 'p(x)', [])
        self.check(engine, 'r(1) q(1)', 'p(x)', ['p(1)'])

    def test_insertion_wins_over_deletion(self):
        engine = self.create(['p+(x) :- q(x)', 'p-(x) :- r(x)',
                              'action("q")', 'action("r")'], [])
        self.check(engine, 'q(1), r(1) :- true', 'p(x)', ['p(1)'])

    def test_action_with_additional_info(self):
        engine = self.create(['p+(x, z) :- q(x, y), r(y, z)',
                              'action("q")', 'action("r")'], ['p(1, 2)'])
        self.check(engine, 'q(1, 2), r(2, 3) :- true', 'p(x, y)',
                   ['p(1, 2)', 'p(1, 3)'])

    def test_action_arguments_from_a_query(self):
        engine = self.create(['p+(x, y) :- q(x, y)', 'action("q")'],
                             ['r(1)'])
        self.check(engine, 'q(x, 0) :- r(x)', 'p(x, y)', ['p(1, 0)'])

    def test_results_of_one_action_feed_the_next(self):
        action = ['action("create")', 'action("update")',
                  'p+(val, 0) :- create(val)',
                  'result(val) :- create(val)',
                  'p+(id, val) :- update(id, val)',
                  'p-(id, val) :- update(id, newval), p(id, val)']
        engine = self.create(action, ['hasval(val) :- p(x, val)'])
        self.check(engine, 'create(7)  update(x, 1) :- result(x)',
                   'hasval(x)', ['hasval(1)'])

    def test_rule_updates(self):
        engine = self.create([], ['q(1)', 'r(x) :- q(x)'])
        self.check(engine, 'p+(x) :- q(x)', 'p(x)', ['p(1)'])
        self.check(engine, 'r-(x) :- q(x)', 'r(x)', [])
        self.assertEqual([(1,)], engine.select(DEFAULT, 'r')[0])

    def test_actions_on_several_policies(self):
        action = ['nova:p+(x) :- q(x)',
                  'neutron:p+(y) :- q(x), builtin:plus(x, 1, y)',
                  'action("q")']
        engine = self.create(action, ['p(x) :- nova:p(x)',
                                      'p(x) :- neutron:p(x)', 'p(3)'],
                             policies=['nova', 'neutron'])
        self.check(engine, 'q(1)', 'p(x)', ['p(1)', 'p(2)', 'p(3)'])


class BoundsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = engine_mod.PolicyEngine()
        self.engine.simulate_max_steps = 100
        self.engine.simulate_timeout = 30
        self.engine.create_policy('p')
        self.engine.insert_rule('p', 'big(x) :- a(x), builtin:gt(x, 10)')
        self.engine.insert_rule('p', 'a(0)')

    def test_cost_is_linear_in_the_sequence(self):
        """A fact inserted by a step does not re-stratify every rule."""
        self.engine.simulate_max_steps = None
        sequence = ' '.join('a+(%d)' % i for i in range(1, 2001))
        real = dependency_graph.Strata
        with mock.patch.object(dependency_graph, 'Strata',
                               side_effect=real) as strata:
            result = self.engine.simulate('p', 'big(x)', sequence, None)
        self.assertEqual(1990, len(result['result']))
        self.assertLess(strata.call_count, 5)
        self.assertEqual([(0,)], self.engine.select('p', 'a')[0])

    def test_too_long_a_sequence_is_413(self):
        sequence = ' '.join('a+(%d)' % i for i in range(101))
        error = self.assertRaises(errors.SimulationTooLarge,
                                  self.engine.simulate, 'p', 'big(x)',
                                  sequence, None)
        self.assertEqual(413, error.code)
        self.assertIn('simulate_max_steps', str(error))

    def test_too_long_an_evaluation_is_413(self):
        self.engine.simulate_timeout = 0.0
        error = self.assertRaises(errors.SimulationTooLarge,
                                  self.engine.simulate, 'p', 'big(x)',
                                  'a+(11)', None)
        self.assertEqual(413, error.code)
        self.assertIn('simulate_timeout', str(error))

    def test_simulation_does_not_hold_the_engine(self):
        started, proceed = threading.Event(), threading.Event()
        real_step = simulation._Simulation.step
        outcome = {}

        def slow_step(sim, *args, **kwargs):
            started.set()
            proceed.wait(10)
            return real_step(sim, *args, **kwargs)

        def simulate():
            outcome['result'] = self.engine.simulate(
                'p', 'big(x)', 'a+(11)', None)['result']

        def other_callers():
            self.engine.insert_rule('p', 'a(12)')
            self.engine.check_rule('p', 'c(x) :- a(x)')
            outcome['rows'] = self.engine.select('p', 'big')[0]
            outcome['query'] = self.engine.query('p', 'big(x)')[0]

        with mock.patch.object(simulation._Simulation, 'step', slow_step):
            runner = threading.Thread(target=simulate)
            runner.start()
            self.assertTrue(started.wait(10))
            other = threading.Thread(target=other_callers)
            other.start()
            other.join(5)
            finished = not other.is_alive()
            proceed.set()
            runner.join(10)
            other.join(10)
        self.assertTrue(finished, 'the simulation held the engine')
        self.assertEqual([(12,)], outcome['rows'])
        self.assertEqual(['big(12)'], outcome['query'])
        # the simulation ran on the state it started from
        self.assertEqual(['big(11)'], outcome['result'])

    def test_long_query_runs_on_a_fork(self):
        with mock.patch.object(simulation, 'QUERY_SLICE', 0.0):
            self.engine.insert_rule('p', 'a(20)')
            self.assertEqual((['a(20), builtin:gt(20, 10)'], None),
                             self.engine.query('p', 'a(x), '
                                                    'builtin:gt(x, 10)'))

    def test_answers_are_written_outside_the_lock_without_a_fork(self):
        self.engine.insert_rule('p', 'a(30)')
        render = simulation.render_query
        held = []

        def slow_render(engine, rule, solutions, trace=False):
            # longer than a slice: it once sent the whole query to a fork
            time.sleep(simulation.QUERY_SLICE * 2)
            held.append(_held_by_another(self.engine._lock))
            return render(engine, rule, solutions, trace)
        with mock.patch.object(simulation, 'render_query', slow_render), \
                mock.patch.object(self.engine, '_fork',
                                  side_effect=AssertionError('forked')):
            self.assertEqual((['a(30), builtin:gt(30, 10)'], None),
                             self.engine.query('p', 'a(x), '
                                                    'builtin:gt(x, 10)'))
        self.assertEqual([False], held)

    def test_a_fork_keeps_the_indexes_and_changes_apart(self):
        for value in (1, 2, 3):
            self.engine.insert_rule('p', 'pair(%d, "x")' % value)
        self.assertEqual(['pair(2, "x")'],
                         self.engine.query('p', 'pair(2, y)')[0])
        table = self.engine.evaluator.tables[('p', 'pair')]
        self.assertTrue(table.indexes)
        twin = table.copy()
        self.assertEqual(table.indexes, twin.indexes)
        twin.add((4, 'x'))
        twin.discard((1, 'x'))
        self.assertNotIn((4, 'x'), table.rows)
        self.assertIn((1, 'x'), table.rows)
        for index in table.indexes.values():
            self.assertEqual(set(table.rows),
                             set().union(*index.values()))


def _held_by_another(lock):
    """Whether a thread other than the caller's could not take ``lock``."""
    taken = []

    def take():
        if lock.acquire(timeout=1):
            lock.release()
            taken.append(True)
    other = threading.Thread(target=take)
    other.start()
    other.join()
    return not taken
