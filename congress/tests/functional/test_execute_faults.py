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

"""The execute path's unhappy paths, counted: a database outage, a worker
killed, restarted or shut down with work queued.

Two policy engines (each runs a reaper) and two datasources workers; the
fake driver counts what really ran. After each fault every accepted
record is terminal, says what happened (``Ledger.lies``), and nothing ran
twice.
"""

import signal
import time

from testtools import content

from congress import conf
from congress import context as congress_context
from congress.db import executions as executions_db
from congress.dse import rpcapi
from congress.execution import status
from congress.tests.functional import processes
from congress.tests.functional import stack

CONF = conf.CONF


class _FaultTestCase(stack.StackTestCase):

    ENGINES = ('engine-1', 'engine-2')
    POLL_TIME = 0.5

    def check(self, ledger, max_in_doubt=0):
        """The invariants of every fault; returns the ledger."""
        self.addDetail('ledger', content.text_content(ledger.summary()))
        self.assertEqual([], ledger.stuck)
        self.assertEqual([], ledger.ran_twice)
        self.assertEqual(
            len(ledger.records),
            ledger.count[status.SUCCEEDED] + ledger.count[status.EXPIRED] +
            ledger.count[status.FAILED])
        self.assertLessEqual(len(ledger.in_doubt()), max_in_doubt)
        return ledger

    def worker(self, node_id):
        return next(w for w in self.workers if w.node_id == node_id)

    def status_of(self, node_id):
        return rpcapi.DataSourceAPI().get_status(
            congress_context.get_admin_context(), 'fake', node_id)['typed']

    def polls(self):
        """Polls of the fake service so far, by every worker."""
        return sum(self.status_of(node_id)['number_of_updates']
                   for node_id in self.WORKERS)

    def dispatched_on(self, execution_id):
        record = processes.wait_for(
            lambda: (lambda r: r if r['status'] == status.DISPATCHED
                     else None)(executions_db.get(execution_id)),
            message='execution started')
        return record['worker']


class DatabaseOutageTestCase(_FaultTestCase):

    BACKEND = stack.PRIVATE_POSTGRESQL
    TIME_TO_LIVE = 30
    CONFIG = {'execution': {'redeliver_after': '5'}}

    def test_database_down_10_s_during_a_burst(self):
        ids = self.execute_many(30, seconds=0.2, prefix='before')
        processes.wait_for(lambda: len(self.runs()) >= 4,
                           message='the burst under way')
        updates = self.polls()
        with self.postgresql.down():
            refused = 0
            for index in range(10):
                try:
                    ids.append(self.execute('during-%d' % index))
                except Exception:
                    refused += 1
                time.sleep(0.2)
            for node_id in self.WORKERS:
                processes.wait_for(
                    lambda: 'failed' in (self.status_of(node_id)
                                         ['last_error'] or ''),
                    message='%s reporting the outage' % node_id)
            time.sleep(8)
        self.assertEqual(10, refused)
        for node_id in self.WORKERS:
            processes.wait_for(
                lambda: self.status_of(node_id)['last_error'] is None,
                message='%s reporting recovery' % node_id)
        ids += self.execute_many(10, prefix='after')
        ledger = self.check(self.ledger(ids))
        self.assertEqual({status.SUCCEEDED: 40}, dict(ledger.count))
        self.assertEqual([], ledger.lies())
        # the same processes run and poll on
        self.assertEqual([None, None],
                         [w.process.poll() for w in self.workers])
        processes.wait_for(lambda: self.polls() > updates + 2,
                           message='polls after the outage')

    def test_sigterm_while_the_database_is_down_is_quick_and_clean(self):
        self.execute_many(4, seconds=1)
        processes.wait_for(lambda: self.runs(), message='work under way')
        with self.postgresql.down():
            processes.wait_for(
                lambda: 'failed' in (self.status_of('worker-1')
                                     ['last_error'] or ''),
                message='worker-1 reporting the outage')
            started = time.monotonic()
            self.assertEqual(0, self.worker('worker-1').terminate())
            elapsed = time.monotonic() - started
        self.addDetail('shutdown', content.text_content('%.1f s' % elapsed))
        self.assertLess(elapsed, 15)


class WorkerKilledTestCase(_FaultTestCase):

    CONFIG = {'execution': {'redeliver_after': '2'}}

    def test_queued_work_of_a_killed_worker_runs_on_the_other(self):
        ids = self.execute_many(30, seconds=0.2)
        processes.wait_for(lambda: len(self.runs()) >= 6,
                           message='the burst under way')
        self.worker('worker-1').kill()
        # in doubt: the actions running at the kill (one per action thread;
        # the workers run the default number), and one that had just run
        # while its outcome was still on its way to the database
        ledger = self.check(
            self.ledger(ids),
            max_in_doubt=CONF.datasources.execution_threads + 1)
        self.assertEqual(0, ledger.count[status.EXPIRED])
        self.assertEqual(len(ids) - len(ledger.in_doubt()),
                         ledger.count[status.SUCCEEDED])
        self.assertEqual(['worker-1'] * len(ledger.in_doubt()),
                         [r['worker'] for r in ledger.in_doubt()])
        # the one in flight ran, or not: in doubt either way
        self.assertEqual([], ledger.lies(finished=lambda r: r['worker'] !=
                                         'worker-1'))


class WorkerRestartedTestCase(_FaultTestCase):

    TIME_TO_LIVE = 60
    CONFIG = {'dse': {'service_down_time': '20'}}

    def test_restart_under_the_same_node_id_resolves_its_work_at_once(self):
        execution_id = self.execute('slow', 60)
        node_id = self.dispatched_on(execution_id)
        worker = self.worker(node_id)
        worker.kill()
        restarted = time.monotonic()
        worker.start()
        record = processes.wait_for(
            lambda: (lambda r: r if r['status'] == status.FAILED
                     else None)(executions_db.get(execution_id)),
            timeout=15, message='the record resolved')
        elapsed = time.monotonic() - restarted
        self.addDetail('resolved', content.text_content('%.1f s' % elapsed))
        self.assertEqual(executions_db.WORKER_RESTARTED, record['error'])
        self.assertLess(elapsed, 15)
        # and the restarted worker runs what comes next
        ledger = self.check(self.ledger(self.execute_many(6)))
        self.assertEqual({status.SUCCEEDED: 6}, dict(ledger.count))


class WorkerDrainedTestCase(_FaultTestCase):

    # the stopping worker hands back what it holds; the few messages the
    # broker still delivers to it while its RPC server stops, oslo.messaging
    # drops: the reaper sends those again
    CONFIG = {'execution': {'redeliver_after': '3'}}

    def test_sigterm_loses_no_work_queued_or_sent_during_the_drain(self):
        ids = [self.execute('slow', 2)]
        node_id = self.dispatched_on(ids[0])
        ids += self.execute_many(10, seconds=0.1, prefix='queued')
        draining = self.worker(node_id)
        draining.process.send_signal(signal.SIGTERM)
        ids += self.execute_many(20, seconds=0.1, prefix='during')
        self.assertEqual(0, draining.terminate())
        ledger = self.check(self.ledger(ids))
        self.assertEqual({status.SUCCEEDED: 31}, dict(ledger.count))
        self.assertEqual([], ledger.lies())
        self.assertEqual(node_id, ledger.records[0]['worker'])
