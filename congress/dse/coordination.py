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

"""Leader election with tooz locks.

A role that only one node may play at a time (the engine that fires
actions, the node that polls a data source) is held by whoever holds the
role's tooz lock. A node's ``Coordinator`` thread tries the locks its
services want every ``[coordination] lock_retry_interval`` seconds and,
for the locks it holds, confirms it still does. The default backend is the
deployment's own database: a MySQL/MariaDB ``GET_LOCK`` or a PostgreSQL
advisory lock lives as long as the holder's connection, so the server
frees the lock of a holder that dies (its socket closes) and a standby
takes it on its next try.
"""

import hashlib
import os
import threading
import time

from oslo_log import log as logging
import sqlalchemy as sa
import tooz
from tooz import coordination as tooz_coordination

from congress import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)

#: A leader that has not confirmed its lock for this many retry intervals
#: stops acting as leader (its check may be stuck on a dead connection).
LEASE_INTERVALS = 3

#: MySQL's limit on the length of a lock name.
_MAX_LOCK_NAME = 64


def backend_url():
    """``[coordination] backend_url``, or the URL derived from ``[database]
    connection``."""
    if CONF.coordination.backend_url:
        return CONF.coordination.backend_url
    url = sa.engine.make_url(CONF.database.connection or 'sqlite://')
    backend = url.get_backend_name()
    if backend in ('mysql', 'postgresql'):
        # the driver's own URL: no "+pymysql", no SQLAlchemy query options
        return url.set(drivername=backend, query={}).render_as_string(
            hide_password=False)
    return 'file://' + os.path.join(CONF.state_path, 'coordination')


def lock_scope(url):
    """What tells deployments apart on the backend of ``url``: the
    database name for MySQL/MariaDB, whose lock names are server-wide (two
    deployments with the same bus_id in two databases of one server must
    not wait for each other's locks); nothing elsewhere (PostgreSQL's
    advisory locks are per database, file locks live in state_path)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return ''
    if parsed.get_backend_name() == 'mysql':
        return parsed.database or ''
    return ''


def lock_name(bus_id, role, scope=''):
    """The backend's name of ``role``'s lock on bus ``bus_id`` within
    ``scope`` (see lock_scope; a MySQL lock name is server-wide and at
    most 64 characters)."""
    name = 'congress.%s%s.%s' % ('%s.' % scope if scope else '', bus_id,
                                 role)
    if len(name) > _MAX_LOCK_NAME:
        name = 'congress.%s' % hashlib.sha256(name.encode()).hexdigest()[
            :_MAX_LOCK_NAME - len('congress.')]
    return name.encode('utf-8')


def _session_alive(lock):
    """Whether the database session holding ``lock`` is still open: a
    session-level lock is held exactly as long as its session lives."""
    connection = lock._conn  # tooz keeps the lock's session there
    if hasattr(connection, 'ping'):  # PyMySQL
        connection.ping(reconnect=False)
    else:  # psycopg2
        with connection.cursor() as cursor:
            cursor.execute('SELECT 1')
    return True


def _still_held(lock):
    """Confirm that ``lock`` (acquired earlier) is still ours; raises or
    returns False if not."""
    module = type(lock).__module__
    if module.endswith(('.mysql', '.pgsql')):
        return _session_alive(lock)
    if module.endswith('.file'):
        # a file lock lasts as long as this process
        return True
    # redis, etcd, zookeeper...: the lock's own refresh says
    heartbeat = getattr(lock, 'heartbeat', None)
    return heartbeat() if heartbeat is not None else True


class Leadership(object):
    """One role this node would like to lead; ``is_leader()`` says whether
    it does right now.

    ``on_elected()`` runs on the coordinator's thread each time the lock
    is taken, until it succeeds: the node leads from then on (others can
    find it). ``term`` counts the times this node became leader.
    """

    def __init__(self, role, name, on_elected=None):
        self.role = role
        self.name = name
        self.term = 0
        self._on_elected = on_elected
        self._announced = False
        self._lock = None
        self._confirmed = None

    def is_leader(self):
        confirmed = self._confirmed
        return self._announced and confirmed is not None and (
            time.monotonic() - confirmed <
            LEASE_INTERVALS * CONF.coordination.lock_retry_interval)

    def _tick(self, coordinator):
        if self._confirmed is None:
            self._try_acquire(coordinator)
        else:
            self._confirm()
        if self._confirmed is not None and not self._announced:
            self._announce()

    def _try_acquire(self, coordinator):
        if self._lock is None:
            self._lock = coordinator.get_lock(self.name)
        if self._lock.acquire(blocking=False):
            self._confirmed = time.monotonic()
            self._announced = False

    def _confirm(self):
        try:
            held = _still_held(self._lock)
        except Exception as exc:
            held = False
            LOG.debug('Checking the lock of %s failed: %s', self.role, exc)
        if held:
            self._confirmed = time.monotonic()
        else:
            LOG.warning('This node lost the lock of %s: it stops leading',
                        self.role)
            self._lose()

    def _announce(self):
        try:
            if self._on_elected is not None:
                self._on_elected()
        except Exception as exc:
            LOG.warning('Announcing the leader of %s failed (retried): %s',
                        self.role, exc)
            return
        self.term += 1
        self._announced = True
        LOG.info('This node now leads %s', self.role)

    def _lose(self):
        """Forget the lock (a new one is made for the next try)."""
        self._confirmed = None
        self._announced = False
        lock, self._lock = self._lock, None
        if lock is not None:
            try:
                lock.release()
            except Exception as exc:
                LOG.debug('Releasing the lock of %s: %s', self.role, exc)

    def _release(self):
        held = self._confirmed is not None
        self._lose()
        if held:
            LOG.info('This node no longer leads %s', self.role)


class Coordinator(object):
    """This node's member of the coordination backend and the thread that
    keeps its leaderships."""

    def __init__(self, member_id, bus_id):
        self.member_id = member_id
        self.bus_id = bus_id
        self._leaderships = {}
        self._io = threading.RLock()  # tooz objects are not thread-safe
        self._wakeup = threading.Event()
        self._stopped = threading.Event()
        self._tooz = None
        self._thread = threading.Thread(target=self._run,
                                        name='coordination', daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stopped.set()
        self._wakeup.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._io:
            for leadership in self._leaderships.values():
                leadership._release()
            self._leaderships.clear()
            self._disconnect()

    def leadership(self, role, on_elected=None):
        """Start competing for ``role``; returns its ``Leadership``, after
        a first try of its lock."""
        with self._io:
            leadership = self._leaderships.get(role)
            if leadership is None:
                name = lock_name(self.bus_id, role,
                                 lock_scope(backend_url()))
                leadership = self._leaderships[role] = Leadership(
                    role, name, on_elected)
                if self._connect():
                    self._tick(leadership)
        return leadership

    def resign(self, role):
        """Stop competing for ``role``, releasing its lock if held."""
        with self._io:
            leadership = self._leaderships.pop(role, None)
            if leadership is not None:
                leadership._release()

    def _run(self):
        while not self._stopped.is_set():
            self._wakeup.clear()
            self.tick()
            self._wakeup.wait(CONF.coordination.lock_retry_interval)

    def tick(self):
        """One round: try the locks not held, confirm those held."""
        with self._io:
            if not self._leaderships or not self._connect():
                return
            for leadership in list(self._leaderships.values()):
                self._tick(leadership)

    def _tick(self, leadership):
        try:
            leadership._tick(self)
        except tooz.ToozError as exc:
            LOG.debug('Lock of %s not taken: %s', leadership.role, exc)
            leadership._lose()

    def get_lock(self, name):
        return self._tooz.get_lock(name)

    def _connect(self):
        if self._tooz is not None:
            return True
        try:
            coordinator = tooz_coordination.get_coordinator(
                backend_url(), self.member_id.encode('utf-8'))
            coordinator.start(start_heart=True)
        except tooz.ToozError as exc:
            LOG.warning('Coordination backend unreachable (retried): %s',
                        exc)
            return False
        self._tooz = coordinator
        return True

    def _disconnect(self):
        if self._tooz is None:
            return
        try:
            self._tooz.stop()
        except tooz.ToozError as exc:
            LOG.debug('Leaving the coordination backend: %s', exc)
        self._tooz = None
