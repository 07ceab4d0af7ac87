"""A cloud service on the bus: one driver, its worker thread and its RPC
endpoint.

The driver's polls and executions run one at a time on the service's own
thread, so a poll never races an action on the same service. Of the nodes
serving one service, only the one holding the service's leader lock
polls and publishes table changes; every node runs the actions cast to
it.
"""

import concurrent.futures
import queue
import threading
import time
import uuid

from oslo_log import log as logging
import oslo_messaging as messaging

from congress import context as congress_context
from congress.db import executions as executions_db
from congress.dse import outcome_reporter
from congress.dse import rpc
from congress.dse import rpcapi
from congress.dse import topics
from congress import exception
from congress.execution import status

LOG = logging.getLogger(__name__)

KIND = 'datasource'


class _Stop(object):
    """Marker task: the worker thread ends after the tasks before it."""


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
        self._refresh = threading.Event()
        self._thread = threading.Thread(target=self._run,
                                        name='service-%s' % name,
                                        daemon=True)
        self._rpc_server = None
        self._leadership = None
        self.started = False
        self._data_api = rpcapi.TableDataAPI()
        self.reporter = outcome_reporter.OutcomeReporter(name)

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

    def register(self):
        """List this service of this node in the directory."""
        actions = getattr(self.driver, 'action_names', list)()
        self.node.directory.register(self.name, self.node.node_id, KIND,
                                     actions)

    def stop(self, graceful=True):
        """Leave the bus; with ``graceful`` the actions already taken
        finish first.

        The directory row goes last: while work is in flight the node is
        still on the bus, so its executions are not taken for orphans.
        """
        if self._rpc_server is not None:
            self._rpc_server.stop()
            if graceful:
                self._rpc_server.wait()
        self._tasks.put(_Stop())
        if graceful:
            self._thread.join()
        self.reporter.stop()
        self.node.coordinator.resign(self.name)
        self.node.directory.unregister(self.node.node_id, self.name)

    # the worker thread

    def submit(self, fn, *args):
        """Run ``fn(*args)`` on the service thread; returns a future."""
        future = concurrent.futures.Future()
        self._tasks.put((future, fn, args))
        return future

    def _run(self):
        next_poll = time.monotonic()
        while True:
            timeout = max(0.0, next_poll - time.monotonic())
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
        if not hasattr(self.driver, 'poll') or not self.is_leader():
            return
        state = self.driver.poll()
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

    def snapshot(self, table):
        rows = self.published.get(table, frozenset())
        return {'epoch': self.epoch, 'seq': self.seq.get(table, 0),
                'rows': [list(r) for r in rows]}

    # executions

    def take_execution(self, execution):
        """Claim an execution and run it on the service thread; returns when
        it has run (on an RPC thread: the broker keeps the messages this
        worker has not taken, and hands them to another if it dies).
        """
        execution_id = execution['id']
        if not executions_db.claim(execution_id, self.node.node_id):
            if executions_db.expire(execution_id):
                LOG.info('Execution %s expired before it could run',
                         execution_id)
            return
        self.submit(self._run_action, execution).result()

    def _run_action(self, execution):
        execution_id = execution['id']
        if time.time() > execution.get('deadline', float('inf')):
            self.reporter.report(execution_id, status.EXPIRED,
                                 error='Waited past its time to live on '
                                       'the worker; not run.')
            return
        try:
            result = self.driver.execute(execution['action'],
                                         execution.get('positional_args'),
                                         execution.get('named_args'))
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
        self.service.take_execution(execution)

    def request_refresh(self, context):
        self.service.request_refresh()

    def get_status(self, context):
        return self.service.driver.get_status()

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
