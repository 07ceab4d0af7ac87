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

"""Database engine and transactions.

One oslo.db transaction context serves the process; ``reader()`` and
``writer()`` give a session inside a transaction. Tests point it at another
database with ``configure()``.
"""

import threading
import weakref

from oslo_db import api as oslo_db_api
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from congress import conf

CONF = conf.CONF

_lock = threading.Lock()
_context = None


def _get_context():
    global _context
    with _lock:
        if _context is None:
            _context = enginefacade.transaction_context()
            _context.configure(sqlite_fk=True, thread_checkin=False,
                               **_connection_settings(CONF.database))
            _context.append_on_engine_create(_serialize_sqlite_writers)
        return _context


#: How long a SQLite transaction waits for the database lock (ms).
SQLITE_BUSY_TIMEOUT_MS = 30000


def _serialize_sqlite_writers(engine):
    """SQLite transactions take the write lock when they begin.

    A deferred transaction (SQLite's default BEGIN, which oslo.db emits)
    that reads, then writes while another connection writes cannot wait
    for the lock: SQLite answers "database is locked" at once, to avoid a
    deadlock. ``BEGIN IMMEDIATE`` takes the lock first, so concurrent
    transactions of the embedded default queue for it (up to
    SQLITE_BUSY_TIMEOUT_MS) instead of failing. oslo.db's own BEGIN
    listener is replaced by one that emits ``BEGIN IMMEDIATE`` and keeps
    its bookkeeping (``in_transaction``, cleared on commit and rollback
    by oslo.db).
    """
    if engine.dialect.name != 'sqlite':
        return

    def on_connect(dbapi_connection, _record):
        dbapi_connection.execute('PRAGMA busy_timeout = %d'
                                 % SQLITE_BUSY_TIMEOUT_MS)

    def on_begin(connection):
        if 'in_transaction' not in connection.info:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
            connection.info['in_transaction'] = True

    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__name__', None) == '_sqlite_emit_begin':
            sa.event.remove(engine, 'begin', listener)
    sa.event.listen(engine, 'connect', on_connect)
    sa.event.listen(engine, 'begin', on_begin)


def connection_url(url):
    """``url`` with the connection character set a MySQL/MariaDB
    database needs: utf8mb4 whatever the URL says (``charset=utf8``, as
    devstack writes it, is utf8mb3 there and refuses 4-byte characters
    that the utf8mb4 tables hold)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != 'mysql':
        return url
    return parsed.update_query_dict({'charset': 'utf8mb4'}).render_as_string(
        hide_password=False)


#: Threads of a process that use the database besides the API's: the
#: heartbeat, coordination, the reaper and the periodic syncs.
BACKGROUND_DB_THREADS = 4


def pool_size(group):
    """The connections the pool keeps open: ``[database] max_pool_size``,
    but at least ``[api] threads`` + BACKGROUND_DB_THREADS (0: no limit).

    A pool smaller than the threads that use it at once opens a new
    connection for each checkout over its size and closes it on return:
    under concurrent requests every request pays a connection (TCP, the
    handshake, PyMySQL's TLS context), serialized on the GIL, and the
    API's throughput falls as its callers grow in number.
    """
    if not group.max_pool_size:
        return group.max_pool_size
    return max(group.max_pool_size,
               CONF.api.threads + BACKGROUND_DB_THREADS)


def _connection_settings(group):
    return {'connection': connection_url(group.connection),
            'max_pool_size': pool_size(group),
            'max_overflow': group.max_overflow,
            'pool_timeout': group.pool_timeout,
            'connection_recycle_time': group.connection_recycle_time,
            'mysql_sql_mode': group.mysql_sql_mode}


_on_configure = []


def on_configure(method):
    """Call ``method()`` (a bound method, referenced weakly) whenever
    ``configure`` forgets the engine, before its pool is closed: to give
    back a connection held out of the pool."""
    _on_configure.append(weakref.WeakMethod(method))


def configure(connection=None):
    """Forget the current engine; the next transaction opens ``connection``
    (or the configured one)."""
    global _context
    with _lock:
        if _context is not None:
            for reference in _on_configure:
                method = reference()
                if method is not None:
                    method()
            _context.dispose_pool()
        _context = None
    if connection is not None:
        CONF.set_override('connection', connection, group='database')


#: Retries a whole transaction that the database aborted for a deadlock
#: (InnoDB does this to concurrent writers of the same index pages).
retry_on_deadlock = oslo_db_api.wrap_db_retry(
    max_retries=10, retry_on_deadlock=True, retry_interval=0.01,
    inc_retry_interval=True, max_retry_interval=0.5)


class _Holder(object):
    """Object enginefacade attaches the session of one transaction to."""


def writer():
    """A read-write transaction: ``with writer() as session: ...``."""
    return _get_context().writer.using(_Holder())


def reader():
    """A read-only transaction: ``with reader() as session: ...``."""
    return _get_context().reader.using(_Holder())


def writer_connection():
    """A read-write transaction on a Core connection, without an ORM
    session: for the hot paths that only run single statements."""
    return _get_context().writer.connection.using(_Holder())


def find_by_name_or_id(session, model, name_or_id):
    """The row of ``model`` whose id or name is ``name_or_id``, or None."""
    return session.scalars(sa.select(model).where(
        sa.or_(model.id == name_or_id, model.name == name_or_id))).first()


def newest_first(session, query, model, marker, limit):
    """The rows of ``query`` newest first (by ``created_at``, then ``id``),
    one page of at most ``limit`` after the row whose id is ``marker``;
    None when ``marker`` is not the id of a row of ``model``."""
    if marker is not None:
        mark = session.get(model, marker)
        if mark is None:
            return None
        query = query.where(sa.or_(
            model.created_at < mark.created_at,
            sa.and_(model.created_at == mark.created_at,
                    model.id < mark.id)))
    query = query.order_by(model.created_at.desc(),
                           model.id.desc()).limit(limit)
    return list(session.scalars(query))


def get_dict(model, name_or_id, to_dict):
    """``to_dict(row)`` of the row named or identified, or None."""
    with reader() as session:
        row = find_by_name_or_id(session, model, name_or_id)
        return None if row is None else to_dict(row)


def delete_dict(model, name_or_id, to_dict):
    """Delete the row named or identified; ``to_dict`` of it, or None."""
    with writer() as session:
        row = find_by_name_or_id(session, model, name_or_id)
        if row is None:
            return None
        result = to_dict(row)
        session.delete(row)
        return result


def get_engine():
    return _get_context().writer.get_engine()
