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

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base

CONF = config.CONF


class ExecutionsTest(base.BaseCongressTest):

    @decorators.idempotent_id('5e4f5194-b142-4fb2-8e85-a07d416e5001')
    def test_list_show_and_filter(self):
        datasource = self.create_fake_datasource()
        name = datasource['name']
        self.wait_for_service(name)
        ok = self.admin.datasources.execute_datasource_action(
            name, 'things.create', positional=['a'])
        bad = self.admin.datasources.execute_datasource_action(
            name, 'things.fail', positional=['on purpose'])
        ok = self.wait_for_execution(ok['id'])
        bad = self.wait_for_execution(bad['id'])
        if CONF.congress_feature_enabled.execution:
            self.assertEqual('succeeded', ok['status'], ok)
            self.assertEqual('failed', bad['status'], bad)
            self.assertIn('on purpose', bad['error'])
        else:
            self.assertEqual('dry-run', ok['status'], ok)
        for record in (ok, bad):
            self.assertEqual(name, record['service'])
            self.assertIn('created_at', record)
        self.assertEqual('things.create', ok['action'])
        self.assertEqual(['a'], ok['args']['positional'])
        listed = self.admin.executions.list_executions(
            service=name)['results']
        self.assertEqual({ok['id'], bad['id']}, {r['id'] for r in listed})
        failed = self.admin.executions.list_executions(
            service=name, status=bad['status'])['results']
        self.assertEqual([bad['id']], [r['id'] for r in failed])
        one = self.admin.executions.list_executions(service=name, limit=1)
        self.assertEqual(1, len(one['results']))

    @decorators.idempotent_id('5e4f5194-b142-4fb2-8e85-a07d416e5002')
    def test_unknown_execution_is_404(self):
        self.assert_error(lib_exc.NotFound,
                          self.admin.executions.show_execution,
                          '00000000-0000-0000-0000-000000000000')

    @decorators.idempotent_id('5e4f5194-b142-4fb2-8e85-a07d416e5003')
    def test_member_may_not_read_the_trail(self):
        self.assert_error(lib_exc.Forbidden,
                          self.member.executions.list_executions)

    @decorators.idempotent_id('5e4f5194-b142-4fb2-8e85-a07d416e5004')
    def test_bad_filter_is_400(self):
        self.assert_error(lib_exc.BadRequest,
                          self.admin.executions.list_executions,
                          status='no-such-status')
        self.assert_error(lib_exc.BadRequest,
                          self.admin.executions.list_executions, limit='x')
