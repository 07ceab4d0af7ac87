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

"""Tests of reactive enforcement through execute[...] rules."""

import testtools

from congress.tests.unit.policy import fakes

PAUSE_ERRORS = 'execute[nova:servers.pause(x)] :- nova:servers(id=x, ' \
               'status="ERROR")'


class ReactiveEnforcementTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')

    def add_servers(self, *rows):
        self.engine.receive_delta('nova', 'servers', list(rows), [])

    def remove_servers(self, *rows):
        self.engine.receive_delta('nova', 'servers', [], list(rows))

    def test_rule_then_data(self):
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        self.assertEqual([], self.sink.fired)
        self.add_servers(fakes.server('a', status='ERROR'),
                         fakes.server('b'))
        self.assertEqual(1, len(self.sink.fired))
        request = self.sink.fired[0]
        self.assertEqual(('nova', 'servers.pause', ('a',), 'p', rule['id']),
                         (request.service, request.action,
                          request.positional_args, request.policy,
                          request.rule_id))
        self.assertEqual(PAUSE_ERRORS.replace(' \\', ''),
                         request.why['rule'])
        self.assertEqual('nova:servers', request.why['rows'][0]['table'])
        self.assertEqual(list(fakes.server('a', status='ERROR')),
                         request.why['rows'][0]['row'])
        self.assertTrue(request.why['rule_instance'].startswith(
            'execute[nova:servers.pause("a")] :- nova:servers("a", '))

    def test_data_then_rule(self):
        self.add_servers(fakes.server('a', status='ERROR'),
                         fakes.server('b', status='ERROR'),
                         fakes.server('c'))
        self.assertEqual([], self.sink.fired)
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.assertEqual([('a',), ('b',)], self.sink.fired_args())

    def test_deleting_data_fires_nothing_and_reappearance_fires(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        row = fakes.server('a', status='ERROR')
        self.add_servers(row)
        self.sink.clear()
        self.remove_servers(row)
        self.assertEqual([], self.sink.fired)
        self.assertEqual([], self.engine.select(
            'p', 'execute[nova:servers.pause]')[0])
        self.add_servers(row)
        self.assertEqual([('a',)], self.sink.fired_args())

    def test_deleting_rule_fires_nothing(self):
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(fakes.server('a', status='ERROR'))
        self.sink.clear()
        self.engine.delete_rule('p', rule['id'])
        self.assertEqual([], self.sink.fired)
        self.assertEqual([], self.engine.select(
            'p', 'execute[nova:servers.pause]')[0])

    def test_no_op_insert_fires_nothing(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        row = fakes.server('a', status='ERROR')
        self.add_servers(row)
        self.sink.clear()
        self.add_servers(row)
        self.engine.initialize_table('nova', 'servers', [row])
        self.assertEqual([], self.sink.fired)

    def test_second_derivation_does_not_fire_again(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.insert_rule(
            'p', 'execute[nova:servers.pause(x)] :- flagged(x)')
        self.add_servers(fakes.server('a', status='ERROR'))
        self.assertEqual(1, len(self.sink.fired))
        self.engine.insert_rule('p', 'flagged("a")')
        self.assertEqual(1, len(self.sink.fired))

    def test_disjunction(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        flagged = self.engine.insert_rule(
            'p', 'execute[nova:servers.pause(x)] :- flagged(x)')
        self.engine.insert_rule('p', 'flagged("b")')
        self.add_servers(fakes.server('a', status='ERROR'))
        self.assertEqual([('a',), ('b',)], self.sink.fired_args())
        by_arg = {r.positional_args: r.rule_id for r in self.sink.fired}
        self.assertEqual(flagged['id'], by_arg[('b',)])
        self.assertIn('flagged("b")', self.sink.fired[0].why['rule_instance']
                      + self.sink.fired[1].why['rule_instance'])

    def test_multiple_instances_in_one_change(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(*[fakes.server(str(i), status='ERROR')
                           for i in range(5)])
        self.assertEqual([(str(i),) for i in range(5)],
                         self.sink.fired_args())

    def test_appear_and_disappear_in_one_change_fires_nothing(self):
        self.engine.insert_rule(
            'p', 'execute[nova:servers.stop(x)] :- '
                 'nova:servers(id=x, status="ERROR"), not fixed(x)')
        self.engine.insert_rule(
            'p', 'fixed(x) :- nova:servers(id=x, status="ERROR"), '
                 'nova:servers(id=x, status="ACTIVE")')
        self.add_servers(fakes.server('a', status='ERROR'),
                         fakes.server('a', status='ACTIVE'))
        self.assertEqual([], self.sink.fired)

    def test_multi_argument_action_from_other_policy_data(self):
        self.engine.insert_rule('classification', 'meta("a", "k", "v")')
        self.engine.insert_rule(
            'p', 'execute[nova:servers_set_meta(x, k, v)] :- '
                 'classification:meta(x, k, v)')
        self.assertEqual([('a', 'k', 'v')], self.sink.fired_args())

    def test_no_sink_is_fine_and_nothing_counts_as_fired(self):
        self.engine.action_sink = None
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(fakes.server('a', status='ERROR'))
        self.assertEqual(0, self.engine.policy_status('p')['actions_fired'])

    def test_status_counts_what_the_sink_sent(self):
        self.sink.fire = lambda requests: (len(requests) - 1, 1)
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(fakes.server('a', status='ERROR'),
                         fakes.server('b', status='ERROR'))
        status = self.engine.policy_status('p')
        self.assertEqual((1, 1), (status['actions_fired'],
                                  status['actions_rejected']))

    def test_rows_leaving_execute_tables_are_withdrawn(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(fakes.server('a', status='ERROR'))
        self.engine.receive_delta('nova', 'servers', [],
                                  [fakes.server('a', status='ERROR')])
        self.assertEqual([('p', 'nova', 'servers.pause', ('a',))],
                         self.sink.withdrawn)

    def test_enforce_rows_fires_present_rows_within_the_limit(self):
        self.engine.max_actions_per_change = 2
        self.engine.action_sink = None
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(*[fakes.server(i, status='ERROR') for i in 'abc'])
        rows = self.engine.action_rows()
        key = ('p', 'execute[nova:servers.pause]')
        self.assertEqual({key: {('a',), ('b',), ('c',)}}, rows)
        self.engine.action_sink = self.sink
        self.engine.enforce_rows({key: {('a',), ('z',)}})
        self.assertEqual([('a',)], self.sink.fired_args())
        self.engine.enforce_rows(rows)
        self.assertEqual(3, len(self.sink.rejected))

    def test_sink_failure_is_recorded(self):
        def fail(requests):
            raise RuntimeError('bus down')
        self.sink.fire = fail
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.add_servers(fakes.server('a', status='ERROR'))
        self.assertEqual('bus down',
                         self.engine.policy_status('p')['last_error'])


class BlastRadiusTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine(max_actions=3)
        self.engine.create_policy('p')

    def errors(self, *ids):
        return [fakes.server(i, status='ERROR') for i in ids]

    def test_batch_over_the_limit_is_rejected_whole(self):
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.receive_delta('nova', 'servers',
                                  self.errors('a', 'b', 'c', 'd'), [])
        self.assertEqual([], self.sink.fired)
        self.assertEqual(4, len(self.sink.rejected))
        status = self.engine.policy_status('p')
        self.assertEqual(rule['id'], status['last_rejected']['rule_id'])
        self.assertEqual(4, status['last_rejected']['count'])
        self.assertIn('max_actions_per_change', status['last_rejected'][
            'reason'])
        self.assertEqual(self.sink.reasons[0],
                         status['last_rejected']['reason'])
        self.assertEqual(4, status['actions_rejected'])

    def test_batch_at_the_limit_fires(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.receive_delta('nova', 'servers',
                                  self.errors('a', 'b', 'c'), [])
        self.assertEqual(3, len(self.sink.fired))
        self.assertIsNone(self.engine.policy_status('p')['last_rejected'])

    def test_rule_inserted_over_data_is_limited(self):
        self.engine.receive_delta('nova', 'servers',
                                  self.errors('a', 'b', 'c', 'd', 'e'), [])
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.assertEqual(([], 5), (self.sink.fired, len(self.sink.rejected)))

    def test_rejected_rows_stay_and_do_not_fire_later(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.receive_delta('nova', 'servers',
                                  self.errors('a', 'b', 'c', 'd'), [])
        self.assertEqual(4, len(self.engine.select(
            'p', 'execute[nova:servers.pause]')[0]))
        self.engine.receive_delta('nova', 'servers', self.errors('e'), [])
        self.assertEqual([('e',)], self.sink.fired_args())
        self.sink.clear()
        self.engine.receive_delta('nova', 'servers', [], self.errors('a'))
        self.engine.receive_delta('nova', 'servers', self.errors('a'), [])
        self.assertEqual([('a',)], self.sink.fired_args())

    def test_limit_is_per_rule(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.insert_rule(
            'p', 'execute[nova:servers.stop(x)] :- '
                 'nova:servers(id=x, status="ACTIVE")')
        self.engine.receive_delta(
            'nova', 'servers',
            self.errors('a', 'b', 'c', 'd') + [fakes.server('z')], [])
        self.assertEqual([('z',)], self.sink.fired_args())
        self.assertEqual('servers.stop', self.sink.fired[0].action)
        self.assertEqual(4, len(self.sink.rejected))

    def test_rejected_requests_name_their_rule_without_solving_it(self):
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        solved = []
        derivation = self.engine.evaluator.derivation
        self.patch(self.engine.evaluator, 'derivation',
                   lambda *args: solved.append(args) or derivation(*args))
        self.engine.receive_delta('nova', 'servers',
                                  self.errors('a', 'b', 'c', 'd'), [])
        self.assertEqual([], solved)
        self.assertEqual([{'rule': rule['rule'], 'rule_instance': None,
                           'rows': []}] * 4,
                         [request.why for request in self.sink.rejected])

    def test_fired_requests_carry_their_derivation(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.receive_delta('nova', 'servers', self.errors('a'), [])
        why = self.sink.fired[0].why
        self.assertTrue(why['rule_instance'].startswith(
            'execute[nova:servers.pause("a")] :- nova:servers('))
        self.assertEqual('nova:servers', why['rows'][0]['table'])

    def test_rows_of_a_table_two_rules_define_go_to_the_deriving_rule(self):
        first = self.engine.insert_rule('p', PAUSE_ERRORS)
        second = self.engine.insert_rule(
            'p', 'execute[nova:servers.pause(x)] :- '
                 'nova:servers(id=x, status="SHUTOFF")')
        self.engine.receive_delta(
            'nova', 'servers', self.errors('a', 'b', 'c', 'd') +
            [fakes.server('z', status='SHUTOFF')], [])
        self.assertEqual([('z',)], self.sink.fired_args())
        self.assertEqual(second['id'], self.sink.fired[0].rule_id)
        self.assertEqual({first['id']},
                         {request.rule_id for request in self.sink.rejected})

    def test_no_limit(self):
        engine, sink = fakes.new_engine(max_actions=None)
        engine.create_policy('p')
        engine.insert_rule('p', PAUSE_ERRORS)
        engine.receive_delta('nova', 'servers',
                             [fakes.server(str(i), status='ERROR')
                              for i in range(50)], [])
        self.assertEqual(50, len(sink.fired))
