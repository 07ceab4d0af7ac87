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

"""The execute path across OS processes over the real RabbitMQ.

A ``--policy-engine`` process (it runs the execution reaper), two
``--datasources`` processes serving the same ``fake`` service, and this
test process as the caller of ``DseRuntime.execute``. The fake driver
appends a line per action it runs to a file, so runs can be counted.
"""

import collections
import concurrent.futures
from unittest import mock

from testtools import content

from congress.db import executions as executions_db
from congress.execution import status
from congress.tests.functional import processes
from congress.tests.functional import stack


class RabbitExecuteTestCase(stack.StackTestCase):

    def test_each_of_200_executions_runs_exactly_once(self):
        ids = self.execute_many(200)
        records = self.wait_all_terminal(ids)
        self.assertEqual({status.SUCCEEDED},
                         {r['status'] for r in records})
        runs = self.runs()
        labels = collections.Counter(label for _node, label in runs)
        self.assertEqual(200, len(runs))
        self.assertEqual({1}, set(labels.values()))
        by_node = collections.Counter(node for node, _label in runs)
        self.assertEqual({'worker-1', 'worker-2'}, set(by_node))
        self.assertEqual(by_node, collections.Counter(
            r['worker'] for r in records))

    def test_executions_sent_at_once_go_together_and_each_runs_once(self):
        sizes = []
        real = self.runtime._ds_api.execute_batch

        def execute_batch(context, service, executions, retry=None):
            sizes.append(len(executions))
            return real(context, service, executions, retry=retry)
        with mock.patch.object(self.runtime._ds_api, 'execute_batch',
                               side_effect=execute_batch), \
                concurrent.futures.ThreadPoolExecutor(16) as pool:
            ids = list(pool.map(
                lambda i: self.execute('together-%03d' % i, 0), range(200)))
        records = self.wait_all_terminal(ids)
        self.assertEqual({status.SUCCEEDED},
                         {r['status'] for r in records})
        labels = collections.Counter(label for _node, label in self.runs())
        self.assertEqual(200, len(labels))
        self.assertEqual({1}, set(labels.values()))
        # every execution was in one cast, and casts carried several
        self.assertEqual(200, sum(sizes))
        self.assertLess(len(sizes), 200)
        self.addDetail('casts', content.text_content(str(sizes)))

    def test_killing_a_worker_loses_nothing_and_runs_nothing_twice(self):
        ids = self.execute_many(200, seconds=0.02)
        processes.wait_for(lambda: len(self.runs()) >= 40,
                           message='40 actions run')
        self.workers[0].kill()
        records = self.wait_all_terminal(ids, timeout=self.TIME_TO_LIVE + 30)
        self.assertEqual(200, len(records))
        outcome = collections.Counter(r['status'] for r in records)
        self.assertLessEqual(set(outcome), {status.SUCCEEDED, status.FAILED,
                                            status.EXPIRED})
        runs = self.runs()
        labels = collections.Counter(label for _node, label in runs)
        self.assertEqual([], [lbl for lbl, n in labels.items() if n > 1])
        ran_on = dict((label, node) for node, label in runs)
        for record in records:
            label = record['args']['positional'][0]
            if record['status'] == status.SUCCEEDED:
                self.assertEqual(record['worker'], ran_on[label])
            elif record['status'] == status.EXPIRED:
                self.assertNotIn(label, ran_on)
            else:
                self.assertEqual('worker-1', record['worker'])
                self.assertIn('left the bus', record['error'])
        self.assertGreater(outcome[status.SUCCEEDED], 100)
        self.addDetail('outcome', content.text_content(str(outcome)))

    def test_worker_started_after_the_cast_runs_the_queued_action(self):
        for worker in self.workers:
            worker.kill()
        # the directory still lists them for service_down_time seconds
        ids = self.execute_many(3)
        self.assertEqual([], self.runs())
        self.start_server('worker-3', 'datasources')
        records = self.wait_all_terminal(ids)
        self.assertEqual([status.SUCCEEDED] * 3,
                         [r['status'] for r in records])
        self.assertEqual({'worker-3'}, {node for node, _l in self.runs()})

    def test_clean_shutdown_finishes_work_in_flight(self):
        record = self.runtime.execute('fake:things.work', ['slow', 1.5])
        processes.wait_for(
            lambda: executions_db.get(record['id'])['status'] ==
            status.DISPATCHED, message='action started')
        worker = next(w for w in self.workers if w.node_id ==
                      executions_db.get(record['id'])['worker'])
        self.assertEqual(0, worker.terminate())
        self.assertEqual(status.SUCCEEDED,
                         executions_db.get(record['id'])['status'])


class RabbitExpiryTestCase(stack.StackTestCase):

    TIME_TO_LIVE = 1

    def test_action_queued_past_its_time_to_live_never_runs(self):
        for worker in self.workers:
            worker.kill()
        ids = self.execute_many(3)
        processes.wait_for(
            lambda: all(executions_db.get(i)['status'] == status.EXPIRED
                        for i in ids), message='expired by the reaper')
        self.start_server('worker-3', 'datasources')
        # not merely one of the killed ones, not yet off the bus
        self.wait_for_workers('worker-3')
        self.runtime.execute('fake:things.work', ['after'])
        processes.wait_for(lambda: self.runs(), message='a later action')
        self.assertEqual([('worker-3', 'after')], self.runs())
        self.assertEqual([status.EXPIRED] * 3,
                         [executions_db.get(i)['status'] for i in ids])
