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

"""Executions sent to one service at the same time go to its worker as one
message (execute_batch), each still its own durable record and outcome;
with [upgrade_levels] datasources = 1.1, each goes alone."""

import concurrent.futures
import threading
from unittest import mock

import oslo_messaging as messaging

from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress import exception
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base
from congress.tests.unit.dse import test_execute_path


class ExecutionCastsTestCase(base.FakeServiceTestCase):

    def setUp(self):
        super().setUp()
        self.runtime = dseruntime.DseRuntime(self.node)
        self.first_cast = threading.Event()
        self.release = threading.Event()
        self.addCleanup(self.release.set)
        self.failure = None
        # how many executions each cast of a batch held
        self.sizes = []
        real = self.runtime._ds_api.execute_batch

        def execute_batch(context, service, executions, retry=None):
            self.sizes.append(len(executions))
            if len(self.sizes) == 1:
                self.first_cast.set()
                self.release.wait(10)
            elif self.failure is not None:
                raise self.failure
            return real(context, service, executions, retry=retry)
        patcher = mock.patch.object(self.runtime._ds_api, 'execute_batch',
                                    side_effect=execute_batch)
        patcher.start()
        self.addCleanup(patcher.stop)

    def execute_during_the_first_cast(self, count):
        """One execute, and ``count`` more while its cast is held; what
        each of the ``count`` returned or raised."""
        with concurrent.futures.ThreadPoolExecutor(count + 1) as pool:
            first = pool.submit(self.runtime.execute, 'fake:things.list')
            self.assertTrue(self.first_cast.wait(10))
            futures = [pool.submit(self.runtime.execute, 'fake:things.list')
                       for _ in range(count)]
            casts = self.runtime._casts._services['fake']
            base.wait_for(lambda: casts.waiting() == count,
                          message='the casts queued')
            self.release.set()
            first_record = first.result(10)
            outcomes = base.outcomes(futures)
        return first_record, outcomes

    def test_executes_during_a_cast_go_as_one_message(self):
        with mock.patch.object(
                datasource_service.DataSourceEndpoint, 'execute_batch',
                autospec=True,
                side_effect=datasource_service.DataSourceEndpoint.
                execute_batch) as received:
            first, records = self.execute_during_the_first_cast(5)
            final = [test_execute_path.wait_terminal(record['id'])
                     for record in [first] + records]
        self.assertEqual([1, 5], self.sizes)
        # the worker got the five in one message
        self.assertEqual(1, received.call_count)
        received_ids = {execution['id'] for execution in
                        received.call_args.kwargs['executions']}
        self.assertEqual({r['id'] for r in records}, received_ids)
        self.assertEqual([status.SUCCEEDED] * 6,
                         [r['status'] for r in final])
        self.assertEqual(6, len({r['id'] for r in final}))

    def test_a_failed_cast_refuses_each_execution_of_its_batch(self):
        self.failure = messaging.MessageDeliveryFailure('broker gone')
        first, outcomes = self.execute_during_the_first_cast(3)
        self.assertEqual([1, 3], self.sizes)
        self.assertEqual([exception.RPCError] * 3,
                         [type(outcome) for outcome in outcomes])
        refused = [r for r in executions_db.list_records(service='fake')
                   if r['status'] == status.REJECTED]
        self.assertEqual(3, len(refused))
        self.assertEqual([True] * 3,
                         ['broker gone' in r['error'] for r in refused])
        # the one cast before the failure ran
        self.assertEqual(status.SUCCEEDED, test_execute_path.wait_terminal(
            first['id'])['status'])

    def test_below_version_1_2_each_execution_is_its_own_cast(self):
        self.config(datasources='1.1', group='upgrade_levels')
        self.runtime = dseruntime.DseRuntime(self.node)
        with mock.patch.object(self.runtime._ds_api, 'execute',
                               wraps=self.runtime._ds_api.execute) as single:
            self.runtime._ds_api.execute_batch(
                {}, 'fake', [self.message('a'), self.message('b')])
        self.assertEqual(2, single.call_count)

    def test_the_worker_drops_a_malformed_batch_and_goes_on(self):
        endpoint = datasource_service.DataSourceEndpoint(self.service)
        with mock.patch.object(self.service, 'enqueue_execution') as queued:
            endpoint.execute_batch({}, {'id': 'x'})
            endpoint.execute_batch({}, [None, {'id': 3}, self.message('y')])
        self.assertEqual(['y'], [c[0][1]['id'] for c in
                                 queued.call_args_list])

    @staticmethod
    def message(execution_id):
        return {'id': execution_id, 'action': 'things.list',
                'positional_args': [], 'named_args': {}}
