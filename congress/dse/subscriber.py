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

"""Receiving the tables of cloud services: a snapshot, then deltas.

A subscriber asks the publishing leader for a snapshot of a table
(``epoch``, ``seq``, rows) and then applies the deltas fanned out on the
service's data topic, in sequence order. A delta from another epoch (the
leader changed) or a gap that is not filled within ``resync_delay``
seconds makes it fetch a fresh snapshot.
"""

import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging

from congress import context as congress_context
from congress.dse import rpc
from congress.dse import rpcapi
from congress.dse import topics

LOG = logging.getLogger(__name__)


class _TableState(object):
    def __init__(self):
        self.epoch = None
        self.seq = 0
        self.pending = {}
        self.gap_since = None


class TableSubscriber(object):
    """Keeps ``on_snapshot(service, table, rows, version)`` and
    ``on_delta(service, table, added, removed, version)`` in step with
    publishers; ``version`` is the ``(epoch, seq)`` the table is at after
    the call.
    """

    def __init__(self, node, on_snapshot, on_delta, resync_delay=1.0):
        self.node = node
        self.on_snapshot = on_snapshot
        self.on_delta = on_delta
        self.resync_delay = resync_delay
        self._tables = {}
        self._servers = {}
        self._lock = threading.RLock()
        self._ds_api = rpcapi.DataSourceAPI()

    def subscribe(self, service, table):
        with self._lock:
            if (service, table) in self._tables:
                return
            self._tables[(service, table)] = _TableState()
            if service not in self._servers:
                server = rpc.get_server(topics.data_topic(service),
                                        self.node.node_id,
                                        [TableDataEndpoint(self)])
                server.start()
                self._servers[service] = server
        self.resync(service, table)

    def unsubscribe(self, service, table):
        with self._lock:
            self._tables.pop((service, table), None)
            server = None
            if not any(s == service for s, _t in self._tables):
                server = self._servers.pop(service, None)
        # outside the lock: a delta being delivered needs it to finish
        if server is not None:
            server.stop()
            server.wait()

    def subscriptions(self):
        with self._lock:
            return sorted(self._tables)

    def ready(self):
        """True when every table subscribed to has had its snapshot."""
        with self._lock:
            return all(state.epoch is not None
                       for state in self._tables.values())

    def stop(self):
        for service, table in self.subscriptions():
            self.unsubscribe(service, table)

    def resync(self, service, table):
        """Replace the table with a snapshot from the service's leader;
        returns False when no leader answered or the engine refused the
        rows (retried later)."""
        try:
            leader = self.node.directory.leader(service)
            if leader is None:
                return False
            snapshot = self._ds_api.get_snapshot(
                congress_context.get_admin_context(), service, table, leader)
        except Exception as exc:
            LOG.warning('Snapshot of %s:%s failed: %s', service, table, exc)
            return False
        with self._lock:
            state = self._tables.get((service, table))
            if state is None:
                return True
            version = (snapshot['epoch'], snapshot['seq'])
            try:
                self.on_snapshot(service, table,
                                 [tuple(r) for r in snapshot['rows']],
                                 version)
            except Exception as exc:
                return self._refused(service, table, state, exc)
            state.epoch, state.seq = version
            state.gap_since = None
            state.pending = {s: d for s, d in state.pending.items()
                             if s > state.seq and d[0] == state.epoch}
            self._apply_pending(service, table, state)
        return True

    def _refused(self, service, table, state, exc):
        """The engine refused a snapshot or delta (rows that do not fit
        the schema it holds, which a schema refresh may change): the table
        waits for a snapshot, which ``check_gaps`` asks for again."""
        LOG.warning('Change of %s:%s not applied (a snapshot is asked for '
                    'again): %s', service, table, exc)
        state.epoch, state.pending, state.gap_since = None, {}, None
        return False

    def receive(self, service, table, epoch, seq, added, removed):
        with self._lock:
            state = self._tables.get((service, table))
            if state is None:
                return
            if epoch == state.epoch and seq <= state.seq:
                return
            state.pending[seq] = (epoch, added, removed)
            self._apply_pending(service, table, state)
            needs_resync = self._gap_too_old(state)
        if needs_resync:
            self.resync(service, table)

    def _apply_pending(self, service, table, state):
        while True:
            nxt = state.pending.get(state.seq + 1)
            if nxt is None or nxt[0] != state.epoch:
                break
            del state.pending[state.seq + 1]
            try:
                self.on_delta(service, table, [tuple(r) for r in nxt[1]],
                              [tuple(r) for r in nxt[2]],
                              (state.epoch, state.seq + 1))
            except Exception as exc:
                self._refused(service, table, state, exc)
                return
            state.seq += 1
        if state.pending and state.gap_since is None:
            state.gap_since = time.monotonic()
        elif not state.pending:
            state.gap_since = None

    def _gap_too_old(self, state):
        if not state.pending:
            return False
        if any(d[0] != state.epoch for d in state.pending.values()):
            return True
        return time.monotonic() - state.gap_since >= self.resync_delay

    def check_gaps(self):
        """Resynchronise tables whose gap outlived ``resync_delay`` or that
        never got a snapshot; call it periodically."""
        with self._lock:
            stale = [key for key, state in self._tables.items()
                     if state.epoch is None or self._gap_too_old(state)]
        for service, table in stale:
            self.resync(service, table)


class TableDataEndpoint(object):
    """RPC endpoint receiving the fanout of ``rpcapi.TableDataAPI``."""

    target = messaging.Target(version=rpcapi.TableDataAPI.RPC_API_VERSION)

    def __init__(self, subscriber):
        self.subscriber = subscriber

    def publish_delta(self, context, service, table, epoch, seq, added,
                      removed):
        self.subscriber.receive(service, table, epoch, seq, added, removed)
