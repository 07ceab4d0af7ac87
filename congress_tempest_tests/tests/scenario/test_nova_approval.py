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

"""A policy in ``approve`` mode on the real Nova: its rule proposes to
pause a server, nothing changes until an admin approves, then Nova
reports PAUSED; a member cannot approve."""

import time

from tempest.common import waiters
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests.scenario import test_nova_execute


class NovaApprovalTest(test_nova_execute.NovaScenarioBase):

    def awaiting(self, policy, server_id):
        def found():
            records = [r for r in self.executions_of(policy=policy,
                                                     server_id=server_id)
                       if r['status'] == 'awaiting-approval']
            return records[0] if records else None
        return self.wait_for('an action of %s awaiting approval' % policy,
                             found)

    @decorators.attr(type='slow')
    @decorators.idempotent_id('4b0c7d0e-2f6b-4f3e-9a51-3c2f8e1a9d01')
    def test_pause_waits_for_an_admin(self):
        self.require_execution()
        name = data_utils.rand_name('ctt-approve')
        server_id = self.boot(name)
        self.wait_for_rows([server_id])
        policy = self.create_policy('ctt_approve', enforcement='approve')
        self.assertEqual('approve', policy['enforcement'])
        rule = self.create_rule(
            policy['name'], 'execute[%s:servers.pause(x)] :- '
            '%s:servers(id=x, name="%s")' % (self.nova, self.nova, name))
        record = self.awaiting(policy['name'], server_id)
        self.assertEqual(rule['id'], record['rule_id'])
        self.assertEqual('policy', record['origin'])
        self.assertTrue(record['user_id'])
        self.assertTrue(record['policy_owner'])
        # more polls come and go: it still waits, and Nova is untouched
        self.settle()
        self.assertEqual('ACTIVE', self.status_of(server_id))
        self.assertEqual(
            'awaiting-approval',
            self.admin.executions.show_execution(record['id'])['status'])
        status = self.admin.policies.show_policy_status(policy['name'])
        self.assertEqual(1, status['actions_awaiting_approval'])

        # a member may not approve
        error = self.assert_error(
            lib_exc.Forbidden, self.member.executions.decide_execution,
            record['id'], 'approve')
        self.assertIn('approve', error['message'])
        self.assert_error(
            lib_exc.Forbidden, self.member.executions.decide_executions,
            'approve', policy=policy['name'])
        time.sleep(3)
        self.assertEqual('ACTIVE', self.status_of(server_id))

        approved = self.admin.executions.decide_execution(record['id'],
                                                          'approve')
        self.assertEqual('accepted', approved['status'])
        self.assertTrue(approved['decided_by'])
        waiters.wait_for_server_status(self.servers, server_id, 'PAUSED')
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.assertEqual(approved['decided_by'], final['decided_by'])
        # approved once, run once: a second approval is a conflict
        error = self.assert_error(
            lib_exc.Conflict, self.admin.executions.decide_execution,
            record['id'], 'approve')
        self.assertEqual(1030, error['error_code'])
        self.assertEqual(1, len(self.executions_of(policy=policy['name'],
                                                   server_id=server_id)))
        self.assertEqual('PAUSED', self.status_of(server_id))
