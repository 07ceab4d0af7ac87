"""The service directory: which services are on the bus right now.

Nodes write a row per service they offer and refresh them with heartbeats;
a service is on the bus while some node offering it has a heartbeat newer
than ``[dse] service_down_time``.
"""

import datetime
import threading
import time

from oslo_utils import timeutils

from congress import conf
from congress.db import services as services_db

CONF = conf.CONF


class ServiceDirectory(object):
    """Answers "is this service on the bus, and what does it offer?".

    Lookups are cached for ``[dse] directory_cache_time`` seconds, so a hot
    execute path does not read the database every time.
    """

    def __init__(self, bus_id=None):
        self.bus_id = bus_id or CONF.dse.bus_id
        self._cache = {}
        self._lock = threading.Lock()

    def _horizon(self):
        return timeutils.utcnow() - datetime.timedelta(
            seconds=CONF.dse.service_down_time)

    def lookup(self, service):
        """Alive rows of ``service`` (oldest start first); empty if none.
        """
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(service)
            if cached and now - cached[0] < CONF.dse.directory_cache_time:
                return cached[1]
        rows = services_db.alive(self.bus_id, self._horizon(),
                                 service=service)
        with self._lock:
            self._cache[service] = (now, rows)
        return rows

    def forget(self, service=None):
        """Drop cached lookups (all, or those of one service)."""
        with self._lock:
            if service is None:
                self._cache.clear()
            else:
                self._cache.pop(service, None)

    def services(self):
        """``{service: [alive rows]}`` of every service on the bus."""
        result = {}
        for row in services_db.alive(self.bus_id, self._horizon()):
            result.setdefault(row['service'], []).append(row)
        return result

    def alive_nodes(self):
        return sorted({row['node_id']
                       for row in services_db.alive(self.bus_id,
                                                    self._horizon())})

    def leader(self, role):
        """The node that leads ``role`` (for a data source: polls and
        publishes it), or None: the node that last took the role's leader
        lock, while it offers the role."""
        node_id = services_db.leader(self.bus_id, role)
        if any(row['node_id'] == node_id for row in self.lookup(role)):
            return node_id
        return None

    def set_leader(self, role, node_id):
        services_db.set_leader(self.bus_id, role, node_id)

    def register(self, service, node_id, kind, actions):
        services_db.register(self.bus_id, service, node_id, kind, actions)
        self.forget(service)

    def unregister(self, node_id, service=None):
        services_db.unregister(self.bus_id, node_id, service=service)
        self.forget(service)

    def heartbeat(self, node_id):
        return services_db.heartbeat(self.bus_id, node_id)

    def forget_dead(self):
        """Delete rows of nodes gone for twice the down time."""
        before = timeutils.utcnow() - datetime.timedelta(
            seconds=2 * CONF.dse.service_down_time)
        return services_db.forget_dead(self.bus_id, before)
