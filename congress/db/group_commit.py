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

Batches are written one at a time, so a committer keeps the connection it
writes them on while it is busy: a transaction on it is the statements and
the commit, where one on a connection checked out of the pool also pays
the pool's ping before and its rollback after (four round trips to the
database instead of two, for the claim of each action).
"""

import os
import threading
import time

from oslo_db import exception as db_exc
import sqlalchemy as sa

from congress import batching
from congress import conf
from congress.db import api as db_api

CONF = conf.CONF


class RowUpdate(object):
    """An UPDATE of one row, found by primary key column ``key`` (its
    parameter ``b_id``), that sets each of ``columns`` to its parameter
    ``v_<column>`` and each of ``constants`` to its value, where
    ``condition(suffix)`` also holds (a clause on the same table whose
    parameters end with ``suffix``; None: none).

    The group committer runs the updates of a batch by one RowUpdate as
    one statement (``CASE`` on the key for each column, the conditions
    or-ed), one round trip to the database where one for each row cost the
    worker's committer most of its time: each waited for the GIL again.
    """

    #: The most rows one statement updates (SQLite takes 999 parameters).
    MAX_ROWS = 50

    def __init__(self, key, columns, constants=None, condition=None):
        self.key = key
        self.columns = tuple(columns)
        self.constants = dict(constants or {})
        self._condition = condition
        self._statements = {}
        self._lock = threading.Lock()

    def statement(self, rows):
        """The statement for ``rows`` rows: with their parameters renamed
        by ``parameters``, if more than one."""
        with self._lock:
            statement = self._statements.get(rows)
            if statement is None:
                statement = self._statements[rows] = self._build(rows)
            return statement

    def _build(self, rows):
        table, key = self.key.table, self.key
        if rows == 1:
            where = key == sa.bindparam('b_id')
            if self._condition is not None:
                where = sa.and_(where, self._condition(''))
            return sa.update(table).where(where).values(
                dict(self.constants, **{
                    column: sa.bindparam('v_' + column)
                    for column in self.columns}))
        suffixes = ['_%d' % row for row in range(rows)]
        keys = [sa.bindparam('b_id' + suffix, type_=key.type)
                for suffix in suffixes]
        values = dict(self.constants)
        for column in self.columns:
            values[column] = sa.case(*(
                (key == row_key, sa.bindparam('v_%s%s' % (column, suffix),
                                              type_=table.c[column].type))
                for row_key, suffix in zip(keys, suffixes)))
        matches = [key == row_key for row_key in keys]
        if self._condition is not None:
            matches = [sa.and_(match, self._condition(suffix))
                       for match, suffix in zip(matches, suffixes)]
        return (sa.update(table)
                .where(key.in_(keys))
                .where(sa.or_(*matches))
                .values(values))

    @staticmethod
    def parameters(rows):
        """The parameters of ``statement(len(rows))`` for ``rows``, each
        the parameters of one row."""
        if len(rows) == 1:
            return rows[0]
        return {'%s_%d' % (name, row): value
                for row, each in enumerate(rows)
                for name, value in each.items()}


class _Uneven(Exception):
    """A statement run for several updates of a batch did not change one
    row for each: the batch is written again with each update alone, to
    tell which did."""


class _Pending(batching.Job):
    """One write: an insert, an update or a ``write(connection)``."""

    def __init__(self, write=None, insert=None, update=None):
        super().__init__()
        self.write = write
        self.insert = insert
        self.update = update


class GroupCommitter(object):
    """Runs inserts, updates and ``write(connection)`` callables, many to
    a transaction; the inserts into one table go as one statement, and so
    do the updates by one ``RowUpdate`` (the claims and outcomes of a
    worker's actions).

    Batches are written as ``congress.batching`` hands them: by a caller,
    one transaction after the other.
    """

    #: The held connection is pinged before a batch that comes this long
    #: after the last one (the database may have restarted or closed it
    #: since), as the pool pings each connection it hands out.
    IDLE_SECONDS = 1.0

    def __init__(self):
        self._batches = batching.Batches(self._write)
        self._held = None
        self._held_by = None  # (process id, engine) the connection is of
        self._last_write = 0.0
        self._connected = 0.0
        self._inherited = []
        db_api.on_configure(self._release_when_idle)

    def insert(self, table, row):
        """Insert ``row`` (a dict with every column) into ``table``."""
        self._run(_Pending(insert=(table, row)))

    def update(self, row_update, parameters):
        """Run ``row_update`` (a ``RowUpdate``) for each of ``parameters``
        (a list of dicts, one for each row); for each, whether it changed
        its row."""
        return self._run(_Pending(update=(row_update, parameters)))

    def run(self, write):
        """Run ``write(connection)`` in a transaction shared with other
        callers; return its result once committed."""
        return self._run(_Pending(write=write))

    def _run(self, pending):
        return self._batches.run(pending)

    def waiting(self):
        """How many writes wait for the next transaction."""
        return self._batches.waiting()

    def _write(self, batch):
        try:
            try:
                self._commit(batch, grouped=True)
            except _Uneven:
                self._commit(batch, grouped=False)
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

    @db_api.retry_on_deadlock
    def _commit(self, batch, grouped=False):
        """Write ``batch`` in one transaction; with ``grouped``, the
        updates by one ``RowUpdate`` in one statement.

        :raises _Uneven: ``grouped``, and a statement did not change each
            of its rows (rolled back).
        """
        inserts, updates = {}, {}
        for pending in batch:
            if pending.insert is not None:
                table, row = pending.insert
                inserts.setdefault(table, []).append(row)
            elif pending.update is not None:
                row_update = pending.update[0]
                updates.setdefault(row_update if grouped else pending,
                                   []).append(pending)
        connection = self._connection()
        try:
            with connection.begin():
                for table, rows in inserts.items():
                    connection.execute(sa.insert(table), rows)
                changed = {}
                for group in updates.values():
                    changed.update(self._update(connection, group, grouped))
                results = [pending.write(connection) if pending.write
                           else changed.get(pending) for pending in batch]
        except _Uneven:
            # rolled back; the connection is fine
            raise
        except BaseException:
            # rolled back; the pool checks the connection before its next
            # use (it may be the database that failed)
            self._release()
            raise
        self._last_write = time.monotonic()
        for pending, result in zip(batch, results):
            pending.result = result

    @staticmethod
    def _update(connection, group, grouped):
        """Run the updates of ``group`` (one RowUpdate's, if ``grouped``);
        returns ``{pending: [whether each changed its row]}``."""
        row_update = group[0].update[0]
        rows = [each for pending in group for each in pending.update[1]]
        if grouped and len(rows) > 1:
            for start in range(0, len(rows), row_update.MAX_ROWS):
                chunk = rows[start:start + row_update.MAX_ROWS]
                count = connection.execute(
                    row_update.statement(len(chunk)),
                    row_update.parameters(chunk)).rowcount
                if count != len(chunk):
                    raise _Uneven()
            return {pending: [True] * len(pending.update[1])
                    for pending in group}
        statement = row_update.statement(1)
        return {pending: [connection.execute(statement, each).rowcount == 1
                          for each in pending.update[1]]
                for pending in group}

    def _connection(self):
        """The connection to write the next batch on (the same one, while
        the batches come one after the other)."""
        owner = (os.getpid(), db_api.get_engine())
        if self._held is not None and self._held_by[0] != owner[0]:
            # a forked process: the connection is its parent's, and
            # closing it here would end the parent's session; it is kept,
            # unused
            self._inherited.append(self._held)
            self._held = None
        if self._held is not None and (self._held_by != owner or
                                       self._stale()):
            self._release()
        if self._held is None:
            self._held = owner[1].connect()
            self._held_by = owner
            self._connected = time.monotonic()
        return self._held

    def _stale(self):
        """Whether the held connection must not take the next batch: idle
        for IDLE_SECONDS and not answering a ping (invalidated, then), or
        older than ``[database] connection_recycle_time``."""
        now = time.monotonic()
        if now - self._last_write > self.IDLE_SECONDS:
            try:
                self._held_by[1].dialect.do_ping(
                    self._held.connection.dbapi_connection)
            except Exception:
                self._held.invalidate()
                return True
        recycle = CONF.database.connection_recycle_time
        return 0 < recycle < now - self._connected

    def _release_when_idle(self):
        # a batch being written finds the engine changed, and gives its
        # connection back itself
        self._batches.if_idle(self._release)

    def _release(self):
        held, self._held = self._held, None
        if held is not None:
            held.close()
