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
from congress import conf
from congress.db import migration
from congress.dse import datasource_manager
from congress.dse import node as node_mod
from congress.dse import periodic
from congress.dse import preload
from congress.dse import rpc
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

    def __init__(self, api=True, policy_engine=True, datasources=True):
        self.roles = {'api': api, 'policy_engine': policy_engine,
                      'datasources': datasources}
        self.node = node_mod.DseNode()
        self._stoppables = []

    def start(self):
        os.makedirs(CONF.state_path, exist_ok=True)
        if CONF.database.auto_upgrade:
            migration.upgrade('head')
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
            api = api_server.ApiServer(self.node, manager=manager)
            api.start()
            self._stoppables.append(api)
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


def main(argv=None):
    common.prepare(argv, cli_opts=ROLE_OPTS)
    roles = [CONF.run_api, CONF.run_policy_engine, CONF.run_datasources]
    if not any(roles):
        roles = [True, True, True]
    server = Server(*roles)
    stop = threading.Event()

    def on_signal(signum, frame):
        LOG.info('Signal %d received: shutting down', signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.start()
    # short waits: a signal that another thread received runs its
    # handler only once the main thread runs Python code again
    while not stop.wait(1):
        pass
    _exit_if_stuck(CONF.shutdown_timeout)
    server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
