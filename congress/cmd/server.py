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

"""congress-server: the API, the policy engine and the data-source drivers.

Each role can run in its own process (``--api``, ``--policy-engine``,
``--datasources``); with no role given, one process runs all three.
"""

import os
import signal
import sys
import threading

from oslo_config import cfg
from oslo_log import log as logging

from congress.cmd import common
from congress.cmd import supervisor
from congress import conf
from congress.db import api as db_api
from congress.db import migration
from congress.dse import datasource_manager
from congress.dse import node as node_mod
from congress.dse import periodic
from congress.dse import preload
from congress.dse import rpc
from congress import heap
from congress.policy import dseruntime
from congress.policy import engine_service

CONF = conf.CONF
LOG = logging.getLogger(__name__)

ROLE_OPTS = [
    cfg.BoolOpt('api', dest='run_api', default=False,
                help='Run the REST API in this process.'),
    cfg.BoolOpt('policy-engine', dest='run_policy_engine', default=False,
                help='Run the policy engine in this process.'),
    cfg.BoolOpt('datasources', dest='run_datasources', default=False,
                help='Run the data-source drivers in this process.'),
]


class Server(object):
    """The roles of one process, started and stopped together."""

    def __init__(self, api=True, policy_engine=True, datasources=True,
                 node_id=None, listening=None, prepared=False):
        self.roles = {'api': api, 'policy_engine': policy_engine,
                      'datasources': datasources}
        self.node = node_mod.DseNode(node_id)
        # the API's socket, bound by the parent of several API processes
        self.listening = listening
        # the parent made the state directory and upgraded the schema
        self.prepared = prepared
        self._stoppables = []

    def start(self):
        if not self.prepared:
            prepare()
        self.node.start()
        manager = None
        if self.roles['datasources']:
            preload.preload()
            manager = datasource_manager.DataSourceManager(self.node)
            manager.start()
            self._stoppables.append(manager)
        if self.roles['policy_engine']:
            runtime = dseruntime.DseRuntime(self.node)
            reaper = periodic.PeriodicTask(
                'execution-reaper', runtime.reap,
                lambda: CONF.execution.reaper_interval)
            reaper.start()
            self._stoppables.append(reaper)
            purger = periodic.PeriodicTask(
                'execution-purge', runtime.purge,
                lambda: CONF.execution.purge_interval)
            purger.start()
            self._stoppables.append(purger)
            self.node.add_service(
                engine_service.PolicyEngineService(self.node, runtime))
        if self.roles['api']:
            from congress.api import library_store
            from congress.api import server as api_server
            library_store.load_at_start()
            api = api_server.ApiServer(self.node, manager=manager,
                                       listening=self.listening)
            api.start()
            self._stoppables.append(api)
        heap.freeze_started_process()
        LOG.info('congress-server node %(node)s started with roles %(r)s',
                 {'node': self.node.node_id,
                  'r': ', '.join(r for r, on in self.roles.items() if on)})

    def stop(self):
        """Stop taking work, let work in flight finish, leave the bus.

        A component that cannot stop cleanly (its database or broker is
        down) is logged and the others still stop.
        """
        for component in reversed(self._stoppables):
            _stop_quietly(component.stop)
        _stop_quietly(self.node.stop, graceful=True)
        _stop_quietly(rpc.cleanup)
        LOG.info('congress-server node %s stopped', self.node.node_id)


def prepare():
    """What comes before any process serves: the state directory, and the
    schema upgrade with ``[database] auto_upgrade``."""
    os.makedirs(CONF.state_path, exist_ok=True)
    if CONF.database.auto_upgrade:
        migration.upgrade('head')


def _stop_quietly(stop, **kwargs):
    try:
        stop(**kwargs)
    except Exception:
        LOG.exception('Stopping %s failed; shutting down anyway',
                      getattr(stop, '__qualname__', stop))


def _exit_if_stuck(timeout):
    def force_exit():
        LOG.error('Shutdown took longer than %s s; exiting anyway', timeout)
        os._exit(1)
    timer = threading.Timer(timeout, force_exit)
    timer.daemon = True
    timer.start()


def api_workers():
    """``[api] workers``, or the number of CPUs when unset; 1 on the
    in-process transport (``fake://``, the embedded default), which cannot
    reach from one process to another."""
    workers = CONF.api.workers or os.cpu_count() or 1
    if workers > 1 and rpc.in_process():
        if CONF.api.workers:
            LOG.warning('[api] workers = %d ignored: the in-process '
                        'transport serves one process only', workers)
        return 1
    return workers


def serve(server):
    """Start ``server``, serve until SIGTERM or SIGINT (or, in a forked
    process, until its parent is gone), then stop it; returns 0."""
    stop = threading.Event()
    parent = os.getppid()

    def on_signal(signum, frame):
        LOG.info('Signal %d received: shutting down', signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.start()
    # short waits: a signal that another thread received runs its
    # handler only once the main thread runs Python code again
    while not stop.wait(1):
        if os.getppid() != parent:
            LOG.error('The parent process is gone: shutting down')
            break
    _exit_if_stuck(CONF.shutdown_timeout)
    server.stop()
    return 0


def serve_with_workers(roles, workers):
    """Bind the API's port once and fork ``workers`` API processes that
    serve it, and one more for the other roles, if any; supervise them.

    Each forked process joins the bus as a node of its own and opens its
    own bus and database connections (the parent keeps none).
    """
    from congress.api import server as api_server
    prepare()
    db_api.configure()  # no connection of the parent's outlives the fork
    listening = api_server.listen()
    processes = [supervisor.Process('api', lambda: serve(Server(
        api=True, policy_engine=False, datasources=False,
        node_id=api_server.worker_node_id(), listening=listening,
        prepared=True)))] * workers
    if roles[1] or roles[2]:
        processes.append(supervisor.Process('engine', lambda: serve(Server(
            api=False, policy_engine=roles[1], datasources=roles[2],
            prepared=True))))
    LOG.info('congress-server: %(n)d API processes on %(address)s',
             {'n': workers, 'address': listening.getsockname()[:2]})
    try:
        return supervisor.Supervisor(processes).run()
    finally:
        listening.close()


def main(argv=None):
    common.prepare(argv, cli_opts=ROLE_OPTS)
    roles = [CONF.run_api, CONF.run_policy_engine, CONF.run_datasources]
    if not any(roles):
        roles = [True, True, True]
    if roles[0] and api_workers() > 1:
        return serve_with_workers(roles, api_workers())
    return serve(Server(*roles))


if __name__ == '__main__':
    sys.exit(main())
