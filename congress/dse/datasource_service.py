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

"""A cloud service on the bus: one driver, its threads and its RPC
endpoint.

The driver's polls (and the other work ``submit`` queues) run one at a time
on the service's own thread; its actions run on ``[datasources]
execution_threads`` action threads, beside the polls and each other, as
they would beside any other client of the cloud service. Of the nodes
serving one service, only the one holding the service's leader lock
polls and publishes table changes; every node runs the actions cast to
it.

An action cast to a worker waits for a free action thread, still
``accepted``; the thread claims it (``dispatched``) only when it starts it
(claims made at once share a transaction of the group committer).
What a worker received but has not started is not lost: a draining worker
casts it back to the other workers at once, and the reaper casts again
what a dead worker held (the conditional claim keeps each run at most
once).
"""

import concurrent.futures
import queue
import threading
import time
import uuid

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from congress.cloudservices import push_driver
from congress import conf
from congress import context as congress_context
from congress.db import executions as executions_db
from congress.dse import faults
from congress.dse import outcome_reporter
from congress.dse import rpc
from congress.dse import rpcapi
from congress.dse import topics
from congress import exception
from congress.execution import calls
from congress.execution import status

CONF = conf.CONF
LOG = logging.getLogger(__name__)

KIND = 'datasource'


#: How often handing work back on shutdown retries the broker.
HAND_BACK_RETRIES = 2


class _Stop(object):
    """Marker task: the worker thread ends after the tasks before it."""


class _Execution(object):
    """Task: an execution received from the bus, not started yet."""

    def __init__(self, context, execution):
        self.context = context
        self.execution = execution


class DataSourceService(object):
    """Hosts driver ``driver`` as service ``name`` on ``node``."""

    def __init__(self, name, driver, node, poll_time):
        self.name = name
        self.driver = driver
        self.node = node
        self.poll_time = poll_time
        self.epoch = uuid.uuid4().hex
        self.seq = {}
        self.published = {}
        self._tasks = queue.Queue()
        # executions received, waiting for an action thread
        self._executions = queue.Queue()
        self._refresh = threading.Event()
        self._draining = threading.Event()
        # executions the action threads did not start for a shutdown
        self._set_aside = queue.Queue()
        self._thread = threading.Thread(target=self._run,
                                        name='service-%s' % name,
                                        daemon=True)
        self._action_threads = [
            threading.Thread(target=self._run_executions,
                             name='action-%s-%d' % (name, index),
                             daemon=True)
            for index in range(CONF.datasources.execution_threads)]
        self._rpc_server = None
        self._leadership = None
        self.started = False
        self._data_api = rpcapi.TableDataAPI()
        self._ds_api = rpcapi.DataSourceAPI()
        self.faults = faults.Faults('service %s' % name)
        self.reporter = outcome_reporter.OutcomeReporter(
            name, node.node_id, node.incarnation, self.faults)

    # lifecycle

    def start(self):
        self.reporter.start()
        self._rpc_server = rpc.get_server(topics.service_topic(self.name),
                                          self.node.node_id,
                                          [DataSourceEndpoint(self)])
        self._rpc_server.start()
        # listed before the first poll, which only the leader makes
        self.register()
        self._leadership = self.node.leadership(self.name)
        self.started = True
        self._thread.start()
        for thread in self._action_threads:
            thread.start()

    def register(self):
        """List this service of this node in the directory."""
        actions = getattr(self.driver, 'action_signatures', dict)()
        self.node.directory.register(self.name, self.node.node_id, KIND,
                                     actions)

    def stop(self, graceful=True):
        """Leave the bus; with ``graceful`` the actions in flight finish
        first.

        Executions received but not started go back to the service's topic
        at once, for the other workers (once this worker no longer
        consumes: the broker would hand them to it again). The directory
        row goes last: while work is in flight the node is still on the
        bus, so its executions are not taken for orphans. Database faults
        do not hold the shutdown: outcomes not recorded within
        ``shutdown_timeout / 4`` seconds are left to the reaper.
        """
        self._draining.set()
        if self._rpc_server is not None:
            self._rpc_server.stop()
            # quick: the endpoint only queues work
            self._rpc_server.wait()
        self._hand_back_waiting()
        self._tasks.put(_Stop())
        for _thread in self._action_threads:
            self._executions.put(_Stop())
        if graceful:
            for thread in [self._thread] + self._action_threads:
                if thread.is_alive():
                    thread.join()
            self._hand_back_waiting()
        self.reporter.stop(timeout=CONF.shutdown_timeout / 4)
        self.node.coordinator.resign(self.name)
        try:
            self.node.directory.unregister(self.node.node_id, self.name)
        except Exception as exc:
            LOG.warning('Service %(svc)s could not leave the service '
                        'directory: %(e)s', {'svc': self.name,
                                             'e': faults.describe(exc)})

    def _hand_back_waiting(self):
        """Cast back the executions waiting for an action thread and those
        set aside; the stop markers stay queued."""
        stops = 0
        for tasks in (self._executions, self._set_aside):
            while True:
                try:
                    task = tasks.get_nowait()
                except queue.Empty:
                    break
                if isinstance(task, _Execution):
                    self._hand_back(task)
                else:
                    stops += 1
        for _stop in range(stops):
            self._executions.put(_Stop())

    def _hand_back(self, task):
        execution_id = task.execution['id']
        try:
            self._ds_api.execute(task.context, self.name, task.execution,
                                 retry=HAND_BACK_RETRIES)
        except Exception as exc:
            LOG.warning('Execution %(id)s could not be handed back (%(e)s); '
                        'the reaper sends it again',
                        {'id': execution_id, 'e': faults.describe(exc)})
            return
        LOG.info('Execution %s handed back to the other workers of %s',
                 execution_id, self.name)

    def status(self):
        """The driver's status, with the faults of this service and its
        node as ``last_error`` while they last."""
        state = self.driver.get_status()
        errors = [e for e in (self.faults.summary(),
                              self.node.faults.summary(),
                              state['typed']['last_error']) if e]
        if errors:
            state['last_error'] = state['typed']['last_error'] = \
                '; '.join(errors)
        return state

    # the service thread

    def submit(self, fn, *args):
        """Run ``fn(*args)`` on the service thread; returns a future."""
        future = concurrent.futures.Future()
        self._tasks.put((future, fn, args))
        return future

    def enqueue_execution(self, context, execution):
        """Queue ``execution`` for the action threads (it stays
        ``accepted`` until one starts it)."""
        self._executions.put(_Execution(context, execution))

    def _run(self):
        next_poll = time.monotonic()
        while True:
            timeout = (None if self._draining.is_set()
                       else max(0.0, next_poll - time.monotonic()))
            try:
                task = self._tasks.get(timeout=timeout)
            except queue.Empty:
                task = None
            if isinstance(task, _Stop):
                return
            if task is not None:
                future, fn, args = task
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args))
                    except BaseException as exc:
                        future.set_exception(exc)
            if self._draining.is_set():
                continue
            if self._refresh.is_set() or time.monotonic() >= next_poll:
                self._refresh.clear()
                self._poll_if_leader()
                next_poll = time.monotonic() + self.poll_time

    def request_refresh(self):
        self._refresh.set()
        self._tasks.put(None)

    def is_leader(self):
        """Whether this node holds the service's leader lock."""
        return self._leadership is not None and self._leadership.is_leader()

    def _poll_if_leader(self):
        try:
            polls = hasattr(self.driver, 'poll') and self.is_leader()
            state = self.driver.poll() if polls else None
        except Exception as exc:
            self.faults.failed('polling', exc)
            return
        self.faults.succeeded('polling')
        if state is not None:
            self._publish(state)

    def _publish(self, state):
        context = congress_context.get_admin_context()
        for table, rows in state.items():
            old = self.published.get(table, frozenset())
            added, removed = rows - old, old - rows
            if not added and not removed and table in self.published:
                continue
            self.published[table] = frozenset(rows)
            seq = self.seq[table] = self.seq.get(table, 0) + 1
            try:
                self._data_api.publish_delta(
                    context, self.name, table, self.epoch, seq,
                    [list(r) for r in added], [list(r) for r in removed])
            except Exception:
                LOG.exception('Publishing %s:%s failed; subscribers will '
                              'resynchronise', self.name, table)

    def push(self, method, *args):
        """Run push driver method ``method`` (``replace_table``,
        ``handle_webhook``) with ``args`` on the service thread and
        publish the tables it changed, as a poll would; waits for it and
        raises what it raised.

        Only the leading node publishes, so only it takes pushes: another
        node (the leader changed since the caller looked) answers
        ServiceUnavailable, to be tried again. A push still queued
        behind a long action when the caller's wait ends is applied later
        (a PUT replaces the table, so sending it again is harmless).
        """
        if self._draining.is_set():
            raise exception.ServiceUnavailable(
                reason='data source %s is stopping on node %s' % (
                    self.name, self.node.node_id))
        future = self.submit(self._push, method, args)
        try:
            return future.result(timeout=CONF.dse.rpc_response_timeout)
        except concurrent.futures.TimeoutError:
            # a PUT replaces the table: the caller may send it again
            raise exception.ServiceUnavailable(
                reason='data source %s is busy; the push is queued' %
                self.name)

    def _push(self, method, args):
        if not self.is_leader():
            raise exception.ServiceUnavailable(
                reason='node %s no longer leads data source %s' % (
                    self.node.node_id, self.name))
        state = getattr(self.driver, method)(*args)
        if state is not None:
            self._publish(state)

    def snapshot(self, table):
        rows = self.published.get(table, frozenset())
        return {'epoch': self.epoch, 'seq': self.seq.get(table, 0),
                'rows': [list(r) for r in rows]}

    # executions, on the action threads

    def _run_executions(self):
        while True:
            task = self._executions.get()
            if isinstance(task, _Stop):
                return
            self._take_execution(task)

    def _take_execution(self, task):
        """Claim the execution and run it."""
        if self._draining.is_set():
            self._set_aside.put(task)
        elif self._claim(task):
            self._run_action(task.execution)

    def _claim(self, task):
        """Whether this worker may run the execution now; database faults
        are retried until its deadline or a shutdown (which sets it aside
        to be handed back)."""
        execution_id = task.execution['id']
        deadline = task.execution.get('deadline', float('inf'))
        backoff = faults.Backoff()
        attempts = []
        while True:
            try:
                claimed = self._claim_once(execution_id, attempts)
                if not claimed:
                    self._not_claimed(execution_id)
            except Exception as exc:
                self.faults.failed('claiming executions', exc)
            else:
                self.faults.succeeded('claiming executions')
                return claimed
            if time.time() > deadline:
                LOG.warning('Execution %s could not be claimed within its '
                            'time to live; not run', execution_id)
                return False
            if self._draining.wait(backoff.next()):
                self._set_aside.put(task)
                return False

    @staticmethod
    def _not_claimed(execution_id):
        if executions_db.expire(execution_id):
            LOG.info('Execution %s expired before it could run',
                     execution_id)
        else:
            LOG.debug('Execution %s was taken by another delivery',
                      execution_id)

    def _claim_once(self, execution_id, attempts):
        """One claim; ``attempts`` holds the earlier ones' start times, one
        of which may have been committed though its answer was lost."""
        if any(executions_db.claimed_by(execution_id, self.node.node_id,
                                        self.node.incarnation, started_at)
               for started_at in attempts):
            return True
        started_at = timeutils.utcnow()
        attempts.append(started_at)
        return executions_db.claim(execution_id, self.node.node_id,
                                   self.node.incarnation, started_at)

    def _run_action(self, execution):
        execution_id = execution['id']
        try:
            # what the bus brought is checked again here, at this edge
            call = calls.ActionCall(self.name, execution.get('action'),
                                    execution.get('positional_args'),
                                    execution.get('named_args'))
            result = self.driver.execute(call.action, *call.arguments())
        except Exception as exc:
            LOG.info('Execution %(id)s of %(svc)s:%(action)s failed: %(e)s',
                     {'id': execution_id, 'svc': self.name,
                      'action': execution['action'], 'e': exc})
            self.reporter.report(execution_id, status.FAILED,
                                 error=_error_text(exc))
        else:
            self.reporter.report(execution_id, status.SUCCEEDED,
                                 result=result)


def _error_text(exc):
    text = str(exc) or exc.__class__.__name__
    if not isinstance(exc, exception.CongressException):
        text = '%s: %s' % (exc.__class__.__name__, text)
    return text


class DataSourceEndpoint(object):
    """RPC endpoint of a data source service (server side of
    ``rpcapi.DataSourceAPI``)."""

    target = messaging.Target(version=rpcapi.DataSourceAPI.RPC_API_VERSION)

    def __init__(self, service):
        self.service = service

    def execute(self, context, execution):
        """Queue an execution cast by ``rpcapi.DataSourceAPI.execute``; a
        message without an execution id names no record to end, and is
        dropped (its action and arguments are checked when it runs)."""
        if not isinstance(execution, dict) or not isinstance(
                execution.get('id'), str):
            LOG.warning('Service %s dropped a malformed execution message',
                        self.service.name)
            return
        self.service.enqueue_execution(context, execution)

    def execute_batch(self, context, executions):
        """Queue each execution of a batch cast by
        ``rpcapi.DataSourceAPI.execute_batch``, as ``execute`` does."""
        if not isinstance(executions, list):
            LOG.warning('Service %s dropped a malformed batch of '
                        'executions', self.service.name)
            return
        for execution in executions:
            self.execute(context, execution)

    def request_refresh(self, context):
        self.service.request_refresh()

    def get_status(self, context):
        return self.service.status()

    def get_actions(self, context):
        driver = self.service.driver
        return driver.get_actions() if hasattr(driver, 'get_actions') else []

    def get_schema(self, context):
        return self.service.driver.get_schema()

    def get_rows(self, context, table):
        rows = self.service.driver.state.get(table)
        return None if rows is None else [list(r) for r in rows]

    def get_snapshot(self, context, table):
        return self.service.snapshot(table)

    def push_rows(self, context, table, rows):
        self._require_push_driver()
        self.service.push('replace_table', table, rows)

    def push_webhook(self, context, payload):
        self._require_push_driver()
        self.service.push('handle_webhook', payload)

    def _require_push_driver(self):
        if not isinstance(self.service.driver, push_driver.PushDriver):
            raise exception.BadRequest(
                reason='data source %s is not a push driver' %
                self.service.name)
