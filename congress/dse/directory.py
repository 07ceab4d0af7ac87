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

"""The service directory: which services are on the bus right now.

Nodes write a row per service they offer and refresh them with heartbeats;
a service is on the bus while some node offering it has a heartbeat newer
than ``[dse] service_down_time``. Each row names the process (incarnation)
of the node that wrote it, so a node restarted under the same node id is
told apart from its earlier self.
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
    execute path does not read the database every time; while the database
    cannot be read, a lookup answers with what it last read.

    The directory also knows whether its heartbeats could be trusted: after
    any of its database accesses failed, ``fresh_for()`` counts from the
    first one that worked again.
    """

    def __init__(self, bus_id=None, incarnation=None):
        self.bus_id = bus_id or CONF.dse.bus_id
        self.incarnation = incarnation
        self._cache = {}
        self._lock = threading.Lock()
        # nothing is known of the heartbeats written before we started
        self._fresh_since = time.monotonic()

    def _db(self, fn, *args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except Exception:
            self.note_failure()
            raise
        with self._lock:
            if self._fresh_since is None:
                self._fresh_since = time.monotonic()
        return result

    def note_failure(self):
        """A database access of this process failed: the heartbeats read
        now or soon may be stale."""
        with self._lock:
            self._fresh_since = None

    def fresh_for(self):
        """Seconds since the database has been reachable without a
        failure (0 while it is not)."""
        with self._lock:
            since = self._fresh_since
        return 0.0 if since is None else time.monotonic() - since

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
        try:
            rows = self._db(services_db.alive, self.bus_id, self._horizon(),
                            service=service)
        except Exception:
            if cached is None:
                raise
            return cached[1]
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
        for row in self._db(services_db.alive, self.bus_id, self._horizon()):
            result.setdefault(row['service'], []).append(row)
        return result

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
        self._db(services_db.register, self.bus_id, service, node_id, kind,
                 actions, self.incarnation)
        self.forget(service)

    def unregister(self, node_id, service=None):
        self._db(services_db.unregister, self.bus_id, node_id,
                 service=service)
        self.forget(service)

    def forget_earlier_incarnations(self, node_id):
        """Delete the rows earlier processes of ``node_id`` wrote."""
        self._db(services_db.forget_earlier_incarnations, self.bus_id,
                 node_id, self.incarnation)
        self.forget()

    def heartbeat(self, node_id):
        return self._db(services_db.heartbeat, self.bus_id, node_id,
                        self.incarnation)

    def forget_dead(self):
        """Delete rows of nodes gone for twice the down time."""
        before = timeutils.utcnow() - datetime.timedelta(
            seconds=2 * CONF.dse.service_down_time)
        return self._db(services_db.forget_dead, self.bus_id, before)
