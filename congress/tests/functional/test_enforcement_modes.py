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

"""Enforcement modes across OS processes over the real RabbitMQ, on
MariaDB and PostgreSQL: a ``--policy-engine`` process fires the rules of a
policy in ``approve`` or ``audit`` mode, two ``--datasources`` processes
serve the ``fake`` service (which counts the actions it runs), and this
process approves, rejects and switches modes as the API does."""

import threading

from congress import context as congress_context
from congress.db import executions as executions_db
from congress.db import policies as policies_db
from congress.dse import rpcapi
from congress import exception
from congress.execution import status
from congress.policy import dseruntime
from congress.policy import modes
from congress.tests.functional import processes
from congress.tests.functional import stack

FIRE_RULE = 'execute[fake:things.work(x)] :- go(x)'


def admin(user):
    return congress_context.RequestContext(user_id=user, project_id='ops',
                                           is_admin=True)


class _ModesTests(object):

    CONFIG = {'execution': {'reaper_interval': '0.5',
                            'approval_time_to_live': '4'},
              'policy_engine': {'reconcile_interval': '0.5'}}
    # three processes start at once on a shared machine
    START_TIMEOUT = 120

    def policy(self, name, mode, *facts):
        """A policy of ``mode`` whose rule, created by alice of project
        p1, fires ``things.work(x)`` for each ``go(x)`` fact."""
        policy = policies_db.create_policy(name, owner_id='owner',
                                           enforcement=mode)
        policies_db.create_rule(policy['id'], FIRE_RULE, user_id='alice',
                                project_id='p1')
        for fact in facts:
            self.fact(policy, fact)
        self.changed()
        return policy

    def fact(self, policy, label):
        policies_db.create_rule(policy['id'], 'go("%s")' % label)

    def changed(self):
        rpcapi.EngineAPI().policies_changed(
            congress_context.get_admin_context())

    def records(self, policy, wanted=None, count=1):
        """The policy's records once ``count`` of them have ``wanted``
        status (any status when None), by label."""
        def found():
            records = executions_db.list_records(policy=policy)
            matching = [r for r in records
                        if wanted is None or r['status'] == wanted]
            if len(matching) >= count:
                return {r['args']['positional'][0]: r for r in records}
        return processes.wait_for(found, timeout=60,
                                  message='%d %s records' % (count, wanted))

    def test_two_admins_approve_at_once_it_runs_once(self):
        self.policy('gate', modes.APPROVE, 'a')
        record = self.records('gate', status.AWAITING_APPROVAL)['a']
        self.assertEqual(('alice', 'p1', 'owner', status.ORIGIN_POLICY),
                         (record['user_id'], record['project_id'],
                          record['policy_owner'], record['origin']))
        self.assertEqual([], self.runs())
        runtimes = [dseruntime.DseRuntime(self.node) for _i in range(2)]
        barrier = threading.Barrier(2)
        outcomes = {}

        def approve(index):
            barrier.wait()
            try:
                outcomes[index] = runtimes[index].approve(
                    record['id'], admin('admin-%d' % index))
            except exception.CongressException as exc:
                outcomes[index] = exc
        threads = [threading.Thread(target=approve, args=(i,))
                   for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        won = [i for i, o in outcomes.items() if isinstance(o, dict)]
        lost = [o for o in outcomes.values() if not isinstance(o, dict)]
        self.assertEqual(1, len(won))
        self.assertEqual([409], [exc.code for exc in lost])
        self.assertIsInstance(lost[0], exception.ExecutionNotAwaitingApproval)
        done = self.wait_all_terminal([record['id']])[0]
        self.assertEqual((status.SUCCEEDED, 'admin-%d' % won[0]),
                         (done['status'], done['decided_by']))
        self.assertIsNotNone(done['decided_at'])
        self.assertEqual(['a'], [label for _node, label in self.runs()])

    def test_rejected_and_expired_actions_never_run(self):
        self.policy('gate', modes.APPROVE, 'kept', 'left')
        records = self.records('gate', status.AWAITING_APPROVAL, count=2)
        rejected = self.runtime.reject_awaiting(
            records['kept']['id'], admin('admin-1'), 'not today')
        self.assertEqual((status.REJECTED, 'admin-1'),
                         (rejected['status'], rejected['decided_by']))
        self.assertIn('admin-1', rejected['error'])
        self.assertIn('not today', rejected['error'])
        # the other one outlives its approval time: the reaper ends it
        expired = self.records('gate', status.EXPIRED)['left']
        self.assertIn('Not approved', expired['error'])
        for record in records.values():
            error = self.assertRaises(
                exception.ExecutionNotAwaitingApproval,
                self.runtime.approve, record['id'], admin('admin-2'))
            self.assertEqual(409, error.code)
        self.assertEqual([], self.runs())

    def test_audit_then_enforce_runs_only_new_rows(self):
        policy = self.policy('watch', modes.AUDIT, 'old')
        self.records('watch', status.PROPOSED)
        self.assertEqual(modes.AUDIT, policies_db.set_enforcement(
            policy['id'], modes.ENFORCE, user_id='admin-1'))
        self.changed()
        self.fact(policy, 'new')
        self.changed()
        records = self.records('watch', status.SUCCEEDED)
        self.assertEqual(status.PROPOSED, records['old']['status'])
        self.assertEqual(('alice', 'owner'), (records['new']['user_id'],
                                              records['new']['policy_owner']))
        # reconciles meanwhile do not fire the proposed row either
        processes.wait_for(lambda: self.runs(), message='a run')
        self.assertEqual(['new'], [label for _node, label in self.runs()])
        change, = policies_db.enforcement_changes(policy['id'])
        self.assertEqual((modes.AUDIT, modes.ENFORCE, 'admin-1'),
                         (change['old_mode'], change['new_mode'],
                          change['user_id']))


class MariaDBModesTestCase(_ModesTests, stack.StackTestCase):
    BACKEND = 'mysql'


class PostgreSQLModesTestCase(_ModesTests, stack.StackTestCase):
    BACKEND = 'postgresql'
