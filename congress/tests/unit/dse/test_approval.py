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

"""Actions held by a policy's enforcement mode, through DseRuntime on the
in-process bus: proposed, awaiting approval, approved once, rejected,
expired; and the sink that picks the mode for each rule-fired action."""

import datetime
import threading
from unittest import mock

from oslo_utils import timeutils

from congress import context as congress_context
from congress.db import executions as executions_db
from congress.db import fired_actions as fired_actions_db
from congress import exception
from congress.execution import calls
from congress.execution import status
from congress.policy import action_sink
from congress.policy import dseruntime
from congress.policy import enforcement
from congress.policy import modes
from congress.tests import base
from congress.tests.unit.dse import test_execute_path


def admin(user):
    return congress_context.RequestContext(user_id=user, project_id='ops',
                                           is_admin=True)


def rule_context():
    return congress_context.RequestContext(
        is_admin=True, policy='gate', rule_id='r1', user_id='alice',
        project_id='p1', policy_owner='owner')


class ModesTestCase(base.TestCase):

    def test_each_mode_holds_with_its_status(self):
        self.assertEqual([None, status.PROPOSED, status.AWAITING_APPROVAL],
                         [modes.held_status(m) for m in modes.ALL])

    def test_an_unknown_mode_waits_for_approval(self):
        self.assertEqual(status.AWAITING_APPROVAL,
                         modes.held_status('future-mode'))


class HeldActionsTestCase(base.FakeServiceTestCase):

    def setUp(self):
        super().setUp()
        self.runtime = dseruntime.DseRuntime(self.node)
        self.thing = self.driver.things.list()[0]

    def hold(self, held, row_key=None):
        return self.runtime.run(
            calls.ActionCall('fake', 'things.set_status',
                             [self.thing['id'], 'PAUSED']),
            context=rule_context(), row_key=row_key, held=held)

    def thing_status(self):
        return {t['id']: t['status']
                for t in self.driver.things.list()}[self.thing['id']]

    def test_proposed_is_recorded_with_its_attribution_and_never_runs(self):
        with mock.patch.object(self.runtime._ds_api, 'execute') as cast:
            record = self.hold(status.PROPOSED, row_key='k1')
        cast.assert_not_called()
        stored = executions_db.get(record['id'])
        self.assertEqual(
            (status.PROPOSED, 'alice', 'p1', 'owner', status.ORIGIN_POLICY),
            (stored['status'], stored['user_id'], stored['project_id'],
             stored['policy_owner'], stored['origin']))
        self.assertIn('k1', fired_actions_db.row_keys())
        # the row fired once: the same row again is a no-op
        self.assertIsNone(self.hold(status.PROPOSED, row_key='k1'))
        self.assertRaises(exception.ExecutionNotAwaitingApproval,
                          self.runtime.approve, record['id'], admin('a'))

    def test_approved_once_runs_once(self):
        record = self.hold(status.AWAITING_APPROVAL)
        self.assertEqual(status.AWAITING_APPROVAL, record['status'])
        self.assertGreater(record['expires_at'] - record['created_at'],
                           datetime.timedelta(hours=1))
        self.assertEqual('ACTIVE', self.thing_status())
        casts = []
        real_cast = self.runtime._ds_api.execute

        def counting(*args, **kwargs):
            casts.append(args)
            return real_cast(*args, **kwargs)
        barrier = threading.Barrier(3)
        outcomes = []

        def approve(user):
            barrier.wait()
            try:
                outcomes.append(self.runtime.approve(record['id'],
                                                     admin(user)))
            except exception.ExecutionNotAwaitingApproval as exc:
                outcomes.append(exc)
        with mock.patch.object(self.runtime._ds_api, 'execute',
                               side_effect=counting):
            threads = [threading.Thread(target=approve, args=('u%d' % i,))
                       for i in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            final = test_execute_path.wait_terminal(record['id'])
        won = [o for o in outcomes if isinstance(o, dict)]
        self.assertEqual(1, len(won))
        self.assertEqual([409, 409], [o.code for o in outcomes
                                      if not isinstance(o, dict)])
        self.assertEqual(1, len(casts))
        self.assertEqual((status.SUCCEEDED, won[0]['decided_by']),
                         (final['status'], final['decided_by']))
        self.assertIsNotNone(final['decided_at'])
        self.assertEqual('PAUSED', self.thing_status())

    def test_rejected_never_runs_and_says_who(self):
        record = self.hold(status.AWAITING_APPROVAL)
        rejected = self.runtime.reject_awaiting(record['id'], admin('bob'),
                                                'not now')
        self.assertEqual((status.REJECTED, 'bob'),
                         (rejected['status'], rejected['decided_by']))
        self.assertEqual('Rejected by user bob of project ops: not now',
                         rejected['error'])
        error = self.assertRaises(exception.ExecutionNotAwaitingApproval,
                                  self.runtime.approve, record['id'],
                                  admin('carol'))
        self.assertIn('rejected', str(error))
        self.assertIn('bob', str(error))
        self.assertEqual(1030, error.error_code)
        self.assertEqual('ACTIVE', self.thing_status())

    def test_unapproved_in_time_expires(self):
        self.config(approval_time_to_live=1.0, group='execution')
        record = self.hold(status.AWAITING_APPROVAL)
        later = timeutils.utcnow() + datetime.timedelta(seconds=2)
        with mock.patch.object(timeutils, 'utcnow', return_value=later):
            error = self.assertRaises(
                exception.ExecutionNotAwaitingApproval,
                self.runtime.approve, record['id'], admin('a'))
            self.assertIn('expired', str(error))
            self.assertEqual((1, 0), executions_db.reap(None))
        stored = executions_db.get(record['id'])
        self.assertEqual(status.EXPIRED, stored['status'])
        self.assertIn('Not approved', stored['error'])
        self.assertEqual('ACTIVE', self.thing_status())

    def test_approval_checks_the_allow_and_deny_lists_again(self):
        record = self.hold(status.AWAITING_APPROVAL)
        self.config(deny=['fake:things.*'], group='execution')
        self.assertRaises(exception.ActionNotAllowed, self.runtime.approve,
                          record['id'], admin('a'))
        self.assertEqual(status.AWAITING_APPROVAL,
                         executions_db.get(record['id'])['status'])
        self.assertEqual('ACTIVE', self.thing_status())

    def test_unknown_record_is_not_found(self):
        self.assertRaises(exception.NotFound, self.runtime.approve,
                          'no-such-id', admin('a'))
        self.assertRaises(exception.NotFound, self.runtime.reject_awaiting,
                          'no-such-id', admin('a'))

    def test_held_actions_are_counted_apart(self):
        self.hold(status.PROPOSED, row_key='a')
        self.hold(status.AWAITING_APPROVAL, row_key='b')
        self.assertEqual((1, 1), executions_db.held_counts('gate'))
        self.assertEqual((0, 0), executions_db.policy_counts('gate'))


class SinkModesTestCase(base.DbTestCase):

    def request(self, rule_id='r1'):
        return enforcement.ActionRequest('fake', 'things.set_status',
                                         ('id-1', 'PAUSED'), 'gate', rule_id,
                                         {})

    def fire(self, origin):
        runtime = mock.Mock()
        runtime.execute_many.side_effect = lambda batch: [{}] * len(batch)
        sink = action_sink.RuleActionSink(
            runtime, origin_of=lambda policy, rule_id: origin)
        sink.fire([self.request()])
        [fired] = runtime.execute_many.call_args.args[0]
        return fired.held, fired.context

    def test_the_mode_and_the_rule_author_go_with_each_action(self):
        for mode in modes.ALL:
            held, context = self.fire({'enforcement': mode,
                                       'owner_id': 'owner',
                                       'user_id': 'alice',
                                       'project_id': 'p1'})
            self.assertEqual(modes.held_status(mode), held)
            self.assertEqual(('gate', 'r1', 'alice', 'p1', 'owner'),
                             (context.policy, context.rule_id,
                              context.user_id, context.project_id,
                              context.policy_owner))

    def test_without_a_lookup_actions_are_enforced(self):
        held, context = self.fire(None)
        self.assertIsNone(held)
        self.assertIsNone(context.user_id)

    def test_held_actions_do_not_take_from_the_rate(self):
        self.config(rate_limit_per_service=0.001, group='policy_engine')
        runtime = mock.Mock()
        runtime.execute_many.side_effect = lambda batch: [{}] * len(batch)
        sink = action_sink.RuleActionSink(
            runtime, origin_of=lambda policy, rule_id: {
                'enforcement': modes.AUDIT})
        self.assertEqual((3, 0), sink.fire([self.request()] * 3))
        self.assertEqual(
            [None] * 3, [fired.refusal for fired in
                         runtime.execute_many.call_args.args[0]])
