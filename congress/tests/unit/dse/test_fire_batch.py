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

"""RuleActionSink.fire: a batch of rule-fired actions is one transaction
(one multi-row insert), then one cast for each service; every guarantee
of one action at a time stays."""

import datetime
from unittest import mock

from congress.db import executions as executions_db
from congress.db import fired_actions as fired_actions_db
from congress.dse import execution_casts
from congress.execution import status
from congress.policy import action_sink
from congress.policy import dseruntime
from congress.policy import enforcement
from congress.tests import base


def request(thing_id, policy='ops'):
    return enforcement.ActionRequest(
        service='fake', action='things.set_status',
        positional_args=(thing_id, 'PAUSED'), policy=policy, rule_id='r1',
        why={'rule': 'r1'})


class FireBatchTestCase(base.FakeServiceTestCase):

    def setUp(self):
        super().setUp()
        self.config(rate_limit_per_service=0, group='policy_engine')
        self.runtime = dseruntime.DseRuntime(self.node)
        self.sink = action_sink.RuleActionSink(self.runtime)
        # the messages cast, and how many each cast held
        self.casts = []
        self.cast_sizes = []
        # each cast sees whether its records were durable before it
        self.recorded_before_cast = []

        def cast(context, service, messages, retry=None):
            self.recorded_before_cast += [
                executions_db.get(message['id']) is not None
                for message in messages]
            self.casts += messages
            self.cast_sizes.append(len(messages))
        self.cast = mock.patch.object(self.runtime._ds_api, 'execute_batch',
                                      side_effect=cast).start()
        self.addCleanup(mock.patch.stopall)
        self.writes = mock.patch.object(
            executions_db._committer, 'run',
            wraps=executions_db._committer.run).start()

    def records(self):
        return executions_db.list_records(policy='ops', limit=1000)

    def test_a_batch_is_one_transaction_then_one_cast(self):
        sent, rejected = self.sink.fire([request('t%d' % i)
                                         for i in range(5)])
        self.assertEqual((5, 0), (sent, rejected))
        self.assertEqual(1, self.writes.call_count)
        self.assertEqual([5], self.cast_sizes)
        self.assertEqual([True] * 5, self.recorded_before_cast)
        records = self.records()
        self.assertEqual([status.ACCEPTED] * 5,
                         [r['status'] for r in records])
        self.assertEqual({m['id'] for m in self.casts},
                         {r['id'] for r in records})
        self.assertEqual(
            {action_sink.request_key(request('t%d' % i)) for i in range(5)},
            fired_actions_db.row_keys())

    def test_rows_fired_already_act_once(self):
        self.sink.fire([request('t1'), request('t2')])
        # an overlapping leader, or the same row twice in one batch
        sent, _ = self.sink.fire([request('t1'), request('t2'),
                                  request('t3'), request('t3')])
        self.assertEqual(1, sent)
        self.assertEqual(3, len(self.casts))
        self.assertEqual(3, len(self.records()))

    def test_the_rate_limit_refuses_within_the_batch(self):
        self.config(rate_limit_per_service=2, group='policy_engine')
        sent, rejected = self.sink.fire([request('t%d' % i)
                                         for i in range(5)])
        self.assertEqual((2, 3), (sent, rejected))
        self.assertEqual(1, self.writes.call_count)
        self.assertEqual(2, len(self.casts))
        by_status = sorted(r['status'] for r in self.records())
        self.assertEqual([status.ACCEPTED] * 2 + [status.REJECTED] * 3,
                         by_status)
        refused = [r for r in self.records()
                   if r['status'] == status.REJECTED]
        self.assertIn('rate limit', refused[0]['error'])
        # refused rows are acted on too: they do not fire again
        self.assertEqual(5, len(fired_actions_db.row_keys()))

    def test_a_failed_cast_is_recorded_and_its_rows_forgotten(self):
        self.sink.fire([request('t0')])
        self.cast.side_effect = RuntimeError('broker gone')
        sent, rejected = self.sink.fire([request('t%d' % i)
                                         for i in range(1, 4)])
        self.assertEqual((0, 0), (sent, rejected))
        failed = [r for r in self.records()
                  if r['status'] == status.REJECTED]
        self.assertEqual(3, len(failed))
        self.assertEqual([True] * 3,
                         ['broker gone' in r['error'] for r in failed])
        # the leading engine fires them again on its next reconcile
        self.assertEqual({action_sink.request_key(request('t0'))},
                         fired_actions_db.row_keys())

    def test_a_batch_larger_than_a_message_takes_several(self):
        limit = execution_casts.ExecutionCasts.MAX_MESSAGES
        sent, _ = self.sink.fire([request('t%d' % i)
                                  for i in range(limit + 3)])
        self.assertEqual(limit + 3, sent)
        self.assertEqual([limit, 3], self.cast_sizes)

    def test_an_unknown_action_is_recorded_rejected_in_the_batch(self):
        unknown = enforcement.ActionRequest(
            service='fake', action='things.nope', positional_args=('x',),
            policy='ops', rule_id='r1', why={})
        sent, rejected = self.sink.fire([request('t1'), unknown])
        self.assertEqual((1, 0), (sent, rejected))
        self.assertEqual(1, self.writes.call_count)
        self.assertEqual(
            [status.ACCEPTED, status.REJECTED],
            sorted(r['status'] for r in self.records()))

    def test_a_rejected_batch_is_one_transaction_and_no_cast(self):
        recorded = self.sink.reject([request('t%d' % i) for i in range(4)],
                                    'too many')
        self.assertEqual(4, recorded)
        self.assertEqual(1, self.writes.call_count)
        self.assertEqual([], self.casts)
        self.assertEqual({'too many'},
                         {r['error'] for r in self.records()})

    def test_a_follower_fires_nothing(self):
        self.sink.is_leader = lambda: False
        self.assertEqual((0, 0), self.sink.fire([request('t1')]))
        self.assertEqual([], self.records())


class CreateManyTestCase(base.DbTestCase):

    def values(self, execution_id):
        return {'id': execution_id, 'service': 'fake', 'action': 'a',
                'status': status.DRY_RUN, 'origin': status.ORIGIN_POLICY,
                'policy': 'ops', 'args': {'positional': [], 'named': {}},
                'expires_at': datetime.datetime(2030, 1, 1)}

    def test_keys_present_or_repeated_are_not_stored(self):
        executions_db.create(self.values('e0'), row_key='k0')
        records = executions_db.create_many([
            (self.values('e1'), None, 'k0'),
            (self.values('e2'), None, 'k1'),
            (self.values('e3'), None, 'k1'),
            (self.values('e4'), None, None)])
        self.assertEqual([None, 'e2', None, 'e4'],
                         [r and r['id'] for r in records])
        self.assertEqual({'k0', 'k1'}, fired_actions_db.row_keys())
        self.assertIsNone(executions_db.get('e3'))
