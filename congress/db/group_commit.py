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

"""Group commit of short writes made at the same time by several threads.

Each caller waits until its write is committed, but callers that arrive
while a transaction is being written share the next one: under load, one
commit (one fsync on MariaDB/PostgreSQL) serves many writes.
"""

import threading

from oslo_db import exception as db_exc
import sqlalchemy as sa

from congress.db import api as db_api


class _Pending(object):
    def __init__(self, write=None, insert=None):
        self.write = write
        self.insert = insert
        self.wakeup = threading.Event()
        self.finished = False
        self.result = None
        self.error = None


class GroupCommitter(object):
    """Runs inserts and ``write(connection)`` callables, many to a
    transaction; the inserts into one table go as one statement.

    The caller that finds no transaction under way writes one batch (its
    own write and all that queued up), then hands the next batch to the
    first caller still waiting, so nobody writes on behalf of others for
    longer than one transaction.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []
        self._writing = False

    def insert(self, table, row):
        """Insert ``row`` (a dict with every column) into ``table``."""
        self._run(_Pending(insert=(table, row)))

    def run(self, write):
        """Run ``write(connection)`` in a transaction shared with other
        callers; return its result once committed."""
        return self._run(_Pending(write=write))

    def _run(self, pending):
        with self._lock:
            self._queue.append(pending)
            lead = not self._writing
            self._writing = True
        while not pending.finished:
            if not lead:
                pending.wakeup.wait()
                pending.wakeup.clear()
                lead = not pending.finished
                continue
            with self._lock:
                batch, self._queue = self._queue, []
            self._write(batch)
            with self._lock:
                if self._queue:
                    self._queue[0].wakeup.set()
                else:
                    self._writing = False
        if pending.error is not None:
            raise pending.error
        return pending.result

    def _write(self, batch):
        try:
            self._commit(batch)
        except db_exc.DBDuplicateEntry:
            # one write broke the batch: run each alone to find it
            for pending in batch:
                try:
                    self._commit([pending])
                except Exception as exc:
                    pending.error = exc
        except Exception as exc:
            for pending in batch:
                pending.error = exc
        for pending in batch:
            pending.finished = True
            pending.wakeup.set()

    @staticmethod
    @db_api.retry_on_deadlock
    def _commit(batch):
        inserts = {}
        for pending in batch:
            if pending.insert is not None:
                table, row = pending.insert
                inserts.setdefault(table, []).append(row)
        with db_api.writer_connection() as connection:
            for table, rows in inserts.items():
                connection.execute(sa.insert(table), rows)
            results = [pending.write(connection) if pending.write else None
                       for pending in batch]
        for pending, result in zip(batch, results):
            pending.result = result
