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

"""A node: one congress-server process on the bus."""

import threading
import uuid

from oslo_log import log as logging

from congress import conf
from congress.db import executions as executions_db
from congress.dse import coordination
from congress.dse import directory as directory_mod
from congress.dse import faults
from congress.dse import periodic

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class DseNode(object):
    """Hosts services and keeps them listed in the service directory.

    A heartbeat refreshes the node's directory rows; if they were removed
    (the node was taken for dead), its services register again.

    Each process is a new ``incarnation`` of its node, even under the same
    node id: on start it resolves what its earlier incarnations left
    running (they can no longer report an outcome).
    """

    def __init__(self, node_id=None, bus_id=None):
        self.node_id = node_id or CONF.node_id
        self.incarnation = uuid.uuid4().hex
        self.directory = directory_mod.ServiceDirectory(bus_id,
                                                        self.incarnation)
        self.faults = faults.Faults('node %s' % self.node_id)
        self.coordinator = coordination.Coordinator(self.node_id,
                                                    self.directory.bus_id)
        self._services = {}
        self._lock = threading.Lock()
        self._heartbeat = periodic.PeriodicTask(
            'heartbeat', self.heartbeat, lambda: CONF.dse.heartbeat_interval)

    def start(self):
        self.forget_earlier_incarnations()
        self.coordinator.start()
        self._heartbeat.start()

    def leadership(self, role):
        """Compete for leading ``role``; the directory names the node that
        wins (see ``ServiceDirectory.leader``)."""
        return self.coordinator.leadership(
            role, on_elected=lambda: self.directory.set_leader(
                role, self.node_id))

    def forget_earlier_incarnations(self):
        """Fail, in doubt, the executions earlier processes of this node
        left dispatched, and delete their directory rows (else the
        reaper does it once it finds them gone)."""
        try:
            failed = executions_db.fail_earlier_incarnations(
                self.node_id, self.incarnation)
            self.directory.forget_earlier_incarnations(self.node_id)
        except Exception as exc:
            self.faults.failed('resolving earlier incarnations', exc)
            return
        if failed:
            LOG.warning('Node %(node)s restarted: %(n)d executions its '
                        'previous process had started are failed (they may '
                        'or may not have taken effect)',
                        {'node': self.node_id, 'n': failed})

    def heartbeat(self):
        with self._lock:
            # a service still starting lists itself once it can take work
            services = [s for s in self._services.values() if s.started]
        try:
            count = self.directory.heartbeat(self.node_id)
        except Exception as exc:
            self.faults.failed('the heartbeat', exc)
            return
        self.faults.succeeded('the heartbeat')
        if count < len(services):
            LOG.warning('Node %s was missing from the service directory; '
                        'registering its services again', self.node_id)
            for service in services:
                service.register()

    def add_service(self, service):
        with self._lock:
            self._services[service.name] = service
        service.start()

    def remove_service(self, name, graceful=True):
        with self._lock:
            service = self._services.pop(name, None)
        if service is not None:
            service.stop(graceful=graceful)

    def service(self, name):
        with self._lock:
            return self._services.get(name)

    def service_names(self):
        with self._lock:
            return sorted(self._services)

    def stop(self, graceful=True):
        """Stop every service, then leave the directory; a database
        outage leaves the rows to go stale."""
        for name in self.service_names():
            self.remove_service(name, graceful=graceful)
        self._heartbeat.stop()
        self.coordinator.stop()
        try:
            self.directory.unregister(self.node_id)
        except Exception as exc:
            LOG.warning('Node %(node)s could not leave the service '
                        'directory (%(e)s); it is off the bus once its '
                        'heartbeat is older than service_down_time',
                        {'node': self.node_id, 'e': faults.describe(exc)})
