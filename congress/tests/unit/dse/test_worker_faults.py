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

"""A datasources worker under faults: work it has not started, database
errors on each of its threads, restarts, and the reaper's judgement."""

import datetime
import threading
import time
from unittest import mock

from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils

from congress.cloudservices import fake_driver
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.dse import datasource_manager
from congress.dse import datasource_service
from congress.dse import faults
from congress.dse import node as node_mod
from congress.dse import outcome_reporter
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base
from congress.tests.unit.dse import test_execute_path

wait_terminal = test_execute_path.wait_terminal


def _outage():
    return db_exc.DBConnectionError('connection refused')


class _Flaky(object):
    """Wraps ``fn``: it raises a connection error while ``down`` is set."""

    def __init__(self, fn):
        self.fn = fn
        self.down = threading.Event()
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.down.is_set():
            raise _outage()
        return self.fn(*args, **kwargs)


class WorkerFaultsTestCase(base.FakeServiceTestCase):

    # these tests wait for workers to be taken for dead
    SERVICE_DOWN_TIME = 1.0

    def setUp(self):
        super().setUp()
        self.runtime = dseruntime.DseRuntime(self.node)

    def execute(self, count):
        return [self.runtime.execute('fake:things.work', ['w%d' % i])['id']
                for i in range(count)]

    def wait_queued(self, count):
        base.wait_for(lambda: self.service._executions.qsize() == count,
                      message='%d executions queued' % count)

    def statuses(self, ids):
        return [executions_db.get(i)['status'] for i in ids]

    def test_work_waiting_for_an_action_thread_stays_accepted(self):
        held = self.hold_action_threads(self.runtime)
        release, running = held.release, held.ids
        self.assertEqual([status.DISPATCHED] * len(running),
                         self.statuses(running))
        ids = self.execute(3)
        self.wait_queued(3)
        self.assertEqual([status.ACCEPTED] * 3, self.statuses(ids))
        release.set()
        self.assertEqual([status.SUCCEEDED] * (len(running) + 3),
                         [wait_terminal(i)['status'] for i in running + ids])

    def test_actions_run_side_by_side_and_beside_the_polls(self):
        held = self.hold_action_threads(self.runtime)
        release, running = held.release, held.ids
        self.assertEqual(8, len(running))
        # the service thread is free: a poll runs while they are held
        updates = self.driver.number_of_updates
        self.service.request_refresh()
        base.wait_for(lambda: self.driver.number_of_updates > updates,
                      message='a poll beside the actions')
        release.set()
        self.assertEqual({(status.SUCCEEDED, 'node-a')},
                         {(r['status'], r['worker'])
                          for r in map(wait_terminal, running)})

    def test_shutdown_hands_waiting_work_to_another_worker(self):
        held = self.hold_action_threads(self.runtime)
        release, running = held.release, held.ids
        ids = self.execute(3)
        self.wait_queued(3)
        threading.Timer(1.0, release.set).start()
        self.node.remove_service('fake')
        # those in flight finished first, on this worker
        self.assertEqual([status.SUCCEEDED] * len(running),
                         self.statuses(running))
        self.assertEqual([status.ACCEPTED] * 3, self.statuses(ids))
        node_b = node_mod.DseNode('node-b')
        node_b.start()
        self.addCleanup(node_b.stop)
        node_b.add_service(datasource_service.DataSourceService(
            'fake', fake_driver.FakeDriver('fake', {}), node_b,
            poll_time=60))
        records = [wait_terminal(i) for i in ids]
        self.assertEqual([(status.SUCCEEDED, 'node-b')] * 3,
                         [(r['status'], r['worker']) for r in records])

    def test_claims_are_retried_through_a_database_outage(self):
        claim = _Flaky(executions_db.claim)
        claim.down.set()
        with mock.patch.object(executions_db, 'claim', claim):
            [execution_id] = self.execute(1)
            base.wait_for(lambda: claim.calls >= 2, message='a retry')
            self.assertIn('claiming executions failed',
                          self.service.status()['last_error'])
            claim.down.clear()
            self.assertEqual(status.SUCCEEDED,
                             wait_terminal(execution_id)['status'])
        self.assertEqual('None', self.service.status()['last_error'])

    def test_outcomes_are_kept_until_recorded(self):
        finish_many = _Flaky(executions_db.finish_many)
        finish_many.down.set()
        with mock.patch.object(executions_db, 'finish_many', finish_many):
            ids = self.execute(3)
            base.wait_for(lambda: finish_many.calls >= 2, message='a retry')
            self.assertEqual([status.DISPATCHED] * 3, self.statuses(ids))
            self.assertIn('recording outcomes failed: DBConnectionError',
                          self.service.status()['typed']['last_error'])
            finish_many.down.clear()
            self.assertEqual([status.SUCCEEDED] * 3,
                             [wait_terminal(i)['status'] for i in ids])
        self.assertIsNone(self.service.status()['typed']['last_error'])

    def test_service_thread_survives_failing_leader_checks(self):
        with mock.patch.object(self.service, 'is_leader',
                               side_effect=_outage()):
            self.service.request_refresh()
            base.wait_for(lambda: 'polling failed' in
                          self.service.status()['last_error'],
                          message='the fault in the status')
            [execution_id] = self.execute(1)
            self.assertEqual(status.SUCCEEDED,
                             wait_terminal(execution_id)['status'])
        updates = self.driver.number_of_updates
        self.service.request_refresh()
        base.wait_for(lambda: self.driver.number_of_updates > updates,
                      message='a poll after the fault')
        self.assertEqual('None', self.service.status()['last_error'])

    def test_heartbeat_failures_show_in_the_status(self):
        with mock.patch('congress.db.services.heartbeat',
                        side_effect=_outage()):
            base.wait_for(lambda: 'the heartbeat failed' in
                          self.service.status()['last_error'],
                          message='the fault in the status')
        base.wait_for(lambda: self.service.status()['last_error'] == 'None',
                      message='the fault cleared')

    def test_data_source_sync_rides_out_a_database_outage(self):
        manager = datasource_manager.DataSourceManager(self.node)
        with mock.patch.object(datasources_db, 'list_all',
                               side_effect=_outage()):
            self.assertEqual([], manager.sync())
            self.assertIn('reading the data sources failed',
                          self.service.status()['last_error'])
        self.assertEqual([], manager.sync())
        self.assertEqual('None', self.service.status()['last_error'])

    def test_restarted_node_resolves_what_it_had_started(self):
        record = executions_db.create(_accepted())
        self.assertTrue(executions_db.claim(record['id'], 'node-a',
                                            self.node.incarnation))
        again = node_mod.DseNode('node-a')
        again.start()
        self.addCleanup(again.stop)
        record = executions_db.get(record['id'])
        self.assertEqual((status.FAILED, executions_db.WORKER_RESTARTED),
                         (record['status'], record['error']))

    def test_reaper_judges_workers_on_fresh_heartbeats_only(self):
        record = executions_db.create(_accepted())
        executions_db.claim(record['id'], 'gone-node', 'inc-1')
        self.runtime.directory.note_failure()
        self.assertEqual((0, 0, 0), self.runtime.reap())
        self.assertEqual(status.DISPATCHED,
                         executions_db.get(record['id'])['status'])
        # a full service_down_time of working database later
        base.wait_for(lambda: self.runtime.reap() == (0, 1, 0),
                      timeout=3, message='the orphan failed')
        self.assertEqual(executions_db.WORKER_LEFT,
                         executions_db.get(record['id'])['error'])

    def test_reaper_survives_a_database_outage(self):
        time.sleep(0.5)
        with mock.patch.object(executions_db, 'reap',
                               side_effect=_outage()):
            self.assertEqual((0, 0, 0), self.runtime.reap())
        # the heartbeats read since may be stale: the clock started again
        self.assertLess(self.runtime.directory.fresh_for(), 0.3)
        self.assertIn('reaping executions failed',
                      self.runtime.reaper_faults.summary())

    def test_reaper_sends_again_what_no_worker_started(self):
        # long enough that a busy machine reaps before it is due
        self.config(redeliver_after=2, group='execution')
        # accepted and cast, but the worker that got it died
        record = executions_db.create(
            _accepted(), arguments=(['lost', 0], {}))
        self.assertEqual((0, 0, 0), self.runtime.reap())
        time.sleep(2.1)
        self.assertEqual(1, self.runtime.reap()[2])
        final = wait_terminal(record['id'])
        self.assertEqual((status.SUCCEEDED, 'lost'),
                         (final['status'], final['result']))


class OutcomeReporterTestCase(base.DbTestCase):

    def test_stop_gives_up_after_its_timeout(self):
        reporter = outcome_reporter.OutcomeReporter(
            'fake', 'node-a', 'inc-1', faults.Faults('test'))
        reporter.start()
        reporter.report('rec-1', status.SUCCEEDED)
        with mock.patch.object(executions_db, 'finish_many',
                               side_effect=_outage()):
            started = time.monotonic()
            reporter.stop(timeout=0.3)
            self.assertLess(time.monotonic() - started, 1.0)


def _accepted():
    now = timeutils.utcnow()
    return {'id': uuidutils.generate_uuid(), 'service': 'fake',
            'action': 'things.work',
            'args': {'positional': ['x'], 'named': {}},
            'status': status.ACCEPTED, 'origin': status.ORIGIN_API,
            'expires_at': now + datetime.timedelta(seconds=60)}
