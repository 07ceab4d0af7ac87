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

"""DseRuntime.execute through the in-process bus to ExecutionDriver."""

import time
from unittest import mock

from congress.cloudservices import fake_driver
from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress.dse import node as node_mod
from congress import exception
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base


def wait_terminal(execution_id, timeout=10.0):
    return base.wait_for(lambda: _terminal(execution_id), timeout)


def _terminal(execution_id):
    record = executions_db.get(execution_id)
    return record if record['status'] in status.TERMINAL else None


class ExecutePathTestCase(base.FakeServiceTestCase):

    def setUp(self):
        super().setUp()
        self.runtime = dseruntime.DseRuntime(self.node)

    def test_execute_calls_driver_with_arguments(self):
        with mock.patch.object(self.driver, 'execute',
                               return_value={'ok': 1}) as execute:
            record = self.runtime.execute(
                'fake:things.set_status', ['id-1'], {'status': 'PAUSED'})
            self.assertEqual(status.ACCEPTED, record['status'])
            final = wait_terminal(record['id'])
        execute.assert_called_once_with('things.set_status', ['id-1'],
                                        {'status': 'PAUSED'})
        self.assertEqual(status.SUCCEEDED, final['status'])
        self.assertEqual({'ok': 1}, final['result'])
        self.assertEqual('node-a', final['worker'])

    def test_execute_changes_the_service(self):
        thing = self.driver.things.list()[0]
        record = self.runtime.execute('fake:things.set_status',
                                      [thing['id'], 'PAUSED'])
        final = wait_terminal(record['id'])
        self.assertEqual(status.SUCCEEDED, final['status'])
        self.assertEqual(
            'PAUSED',
            {t['id']: t['status']
             for t in self.driver.things.list()}[thing['id']])

    def test_wrapper_action_takes_positional_arguments(self):
        ids = [t['id'] for t in self.driver.things.list()]
        record = self.runtime.execute('fake:things_set_status',
                                      ['ERROR'] + ids)
        self.assertEqual(status.SUCCEEDED,
                         wait_terminal(record['id'])['status'])
        self.assertEqual({'ERROR'},
                         {t['status'] for t in self.driver.things.list()})

    def test_failure_is_recorded_with_the_error(self):
        record = self.runtime.execute('fake:things.fail', ['it broke'])
        final = wait_terminal(record['id'])
        self.assertEqual(status.FAILED, final['status'])
        self.assertIn('it broke', final['error'])

    def test_unknown_service_raises_at_once(self):
        err = self.assertRaises(exception.ServiceNotFound,
                                self.runtime.execute, 'nova:servers.pause',
                                ['x'])
        self.assertEqual('Service nova not found', str(err))
        self.assertEqual(1016, err.error_code)

    def test_malformed_names_are_refused(self):
        for name in ('fake', 'a:b:c', ':x', 'x:', 42):
            self.assertRaises(exception.InvalidActionName,
                              self.runtime.execute, name)

    def test_malformed_arguments_are_refused(self):
        self.assertRaises(exception.InvalidActionArguments,
                          self.runtime.execute, 'fake:things.list', 'abc')
        self.assertRaises(exception.InvalidActionArguments,
                          self.runtime.execute, 'fake:things.list', [],
                          ['not', 'a', 'dict'])

    def test_the_worker_checks_what_the_bus_brings(self):
        real_cast = self.runtime._ds_api.execute

        def corrupting(context, service, message, **kwargs):
            message = dict(message, named_args=['not', 'a', 'dict'])
            return real_cast(context, service, message, **kwargs)
        with mock.patch.object(self.driver, 'execute') as execute, \
                mock.patch.object(self.runtime._ds_api, 'execute',
                                  side_effect=corrupting):
            record = self.runtime.execute('fake:things.list')
            final = wait_terminal(record['id'])
        self.assertEqual(status.FAILED, final['status'])
        self.assertIn('"named" must be an object', final['error'])
        execute.assert_not_called()
        # a message naming no execution is dropped; the worker goes on
        endpoint = datasource_service.DataSourceEndpoint(self.service)
        for message in ({'action': 'things.list'}, None, {'id': 3}):
            endpoint.execute({}, message)
        record = self.runtime.execute('fake:things.list')
        self.assertEqual(status.SUCCEEDED,
                         wait_terminal(record['id'])['status'])

    def test_private_and_undeclared_actions_are_refused(self):
        with mock.patch.object(self.driver, 'execute') as execute:
            for action in ('things._reset', '_declared_actions',
                           'things.__class__', 'config', 'things.nope',
                           'execute'):
                err = self.assertRaises(exception.ActionNotFound,
                                        self.runtime.execute,
                                        'fake:' + action)
                self.assertIn(action, str(err))
        execute.assert_not_called()
        # the worker refuses them too, should a message get past the API
        self.assertRaises(exception.ActionNotFound, self.driver.execute,
                          'things._reset', [], {})

    def test_refusals_leave_a_record(self):
        self.assertRaises(exception.ActionNotFound, self.runtime.execute,
                          'fake:things._reset')
        records = executions_db.list_records(service='fake')
        self.assertEqual([status.REJECTED], [r['status'] for r in records])
        self.assertIn('offers no action', records[0]['error'])

    def test_dry_run_records_and_executes_nothing(self):
        self.config(enabled=False, group='execution')
        with mock.patch.object(self.driver, 'execute') as execute:
            record = self.runtime.execute('fake:things.create', ['new'])
            time.sleep(0.3)
        self.assertEqual(status.DRY_RUN, record['status'])
        self.assertEqual(status.DRY_RUN,
                         executions_db.get(record['id'])['status'])
        execute.assert_not_called()

    def test_per_request_dry_run(self):
        with mock.patch.object(self.driver, 'execute') as execute:
            record = self.runtime.execute('fake:things.create', ['new'],
                                          dry_run=True)
            time.sleep(0.3)
        self.assertEqual(status.DRY_RUN, record['status'])
        execute.assert_not_called()

    def test_deny_list_rejects(self):
        self.config(deny=['fake:things.del*'], group='execution')
        err = self.assertRaises(exception.ActionNotAllowed,
                                self.runtime.execute, 'fake:things.delete',
                                ['x'])
        self.assertIn('fake:things.del*', str(err))
        self.assertEqual(403, err.code)

    def test_allow_list_limits(self):
        self.config(allow=['fake:things.set_*'], group='execution')
        self.assertRaises(exception.ActionNotAllowed, self.runtime.execute,
                          'fake:things.create', ['x'])
        record = self.runtime.execute('fake:things.set_status',
                                      ['missing', 'X'])
        self.assertEqual(status.ACCEPTED, record['status'])

    def test_expired_message_never_runs(self):
        self.config(time_to_live=0.2, group='execution')
        held = self.hold_action_threads(self.runtime)
        record = self.runtime.execute('fake:things.create', ['late'])
        time.sleep(0.5)
        held.release.set()
        final = wait_terminal(record['id'])
        self.assertEqual(status.EXPIRED, final['status'])
        self.assertNotIn('things.create', held.reached)

    def test_secret_arguments_are_masked_in_the_record(self):
        record = self.runtime.execute(
            'fake:things.create', [], {'name': 'x', 'admin_pass': 's3cret'})
        stored = executions_db.get(record['id'])
        self.assertEqual({'name': 'x', 'admin_pass': '***'},
                         stored['args']['named'])

    def test_record_carries_the_requester(self):
        from congress import context
        ctx = context.RequestContext(user_id='alice', project_id='p1',
                                     request_id='req-abc')
        record = self.runtime.execute('fake:things.create', ['x'],
                                      context=ctx)
        stored = executions_db.get(record['id'])
        self.assertEqual(('alice', 'p1', 'req-abc', 'api'),
                         (stored['user_id'], stored['project_id'],
                          stored['request_id'], stored['origin']))


class TwoWorkersTestCase(base.BusTestCase):

    def test_each_execution_runs_on_exactly_one_worker(self):
        drivers = []
        for node_id in ('node-a', 'node-b'):
            node = node_mod.DseNode(node_id)
            node.start()
            self.addCleanup(node.stop)
            driver = fake_driver.FakeDriver('fake', {})
            driver.calls = []
            drivers.append(driver)
            original = driver.execute

            def counting(name, pos, named, driver=driver, original=original):
                driver.calls.append(pos[0])
                return original(name, pos, named)
            driver.execute = counting
            node.add_service(datasource_service.DataSourceService(
                'fake', driver, node, poll_time=60))
        runtime = dseruntime.DseRuntime(node)
        records = [runtime.execute('fake:things.create', ['t%d' % i])
                   for i in range(40)]
        for record in records:
            self.assertEqual(status.SUCCEEDED,
                             wait_terminal(record['id'])['status'])
        calls = drivers[0].calls + drivers[1].calls
        self.assertEqual(sorted('t%d' % i for i in range(40)),
                         sorted(calls))
