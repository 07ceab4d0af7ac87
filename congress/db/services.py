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

"""Rows of the bus service directory: who offers which service, and when
each node last said it is alive."""

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models


def _upsert(table, keys, values):
    """Update the row of ``table`` with the column values ``keys``, or
    insert it (a concurrent insert of the same row makes it an update)."""
    where = sa.and_(*(getattr(table, k) == v for k, v in keys.items()))
    with db_api.writer() as session:
        if session.execute(sa.update(table).where(where)
                           .values(**values)).rowcount:
            return
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(table).values(**keys, **values))
    except db_exc.DBDuplicateEntry:
        with db_api.writer() as session:
            session.execute(sa.update(table).where(where).values(**values))


@db_api.retry_on_deadlock
def register(bus_id, service, node_id, kind, actions, incarnation=None):
    """Add or refresh the row of ``service`` on ``node_id``, written by
    process ``incarnation`` of the node."""
    now = timeutils.utcnow()
    _upsert(models.DseService,
            {'bus_id': bus_id, 'service': service, 'node_id': node_id},
            {'kind': kind, 'actions': jsonutils.dumps(actions),
             'started_at': now, 'heartbeat_at': now,
             'incarnation': incarnation})


@db_api.retry_on_deadlock
def unregister(bus_id, node_id, service=None):
    table = models.DseService
    query = sa.delete(table).where(table.bus_id == bus_id,
                                   table.node_id == node_id)
    if service is not None:
        query = query.where(table.service == service)
    with db_api.writer() as session:
        session.execute(query)


@db_api.retry_on_deadlock
def forget_earlier_incarnations(bus_id, node_id, incarnation):
    """Delete the rows earlier processes of ``node_id`` left behind."""
    table = models.DseService
    with db_api.writer() as session:
        return session.execute(
            sa.delete(table).where(
                table.bus_id == bus_id, table.node_id == node_id,
                table.incarnation.is_distinct_from(incarnation))).rowcount


@db_api.retry_on_deadlock
def heartbeat(bus_id, node_id, incarnation=None):
    """Refresh every row process ``incarnation`` of ``node_id`` wrote;
    returns how many there are."""
    table = models.DseService
    with db_api.writer() as session:
        return session.execute(
            sa.update(table)
            .where(table.bus_id == bus_id, table.node_id == node_id,
                   table.incarnation.is_not_distinct_from(incarnation))
            .values(heartbeat_at=timeutils.utcnow()),
            # no ORM object to keep in step: no SELECT of the rows first
            execution_options={'synchronize_session': False}).rowcount


def alive(bus_id, since, service=None):
    """Rows whose heartbeat is newer than ``since``, oldest start first."""
    table = models.DseService
    query = (sa.select(table)
             .where(table.bus_id == bus_id, table.heartbeat_at > since)
             .order_by(table.started_at, table.node_id))
    if service is not None:
        query = query.where(table.service == service)
    with db_api.reader() as session:
        return [{'service': row.service, 'node_id': row.node_id,
                 'kind': row.kind,
                 'actions': jsonutils.loads(row.actions),
                 'started_at': row.started_at,
                 'heartbeat_at': row.heartbeat_at,
                 'incarnation': row.incarnation}
                for row in session.scalars(query)]


@db_api.retry_on_deadlock
def forget_dead(bus_id, before):
    """Delete rows whose last heartbeat is older than ``before``."""
    table = models.DseService
    with db_api.writer() as session:
        return session.execute(
            sa.delete(table).where(table.bus_id == bus_id,
                                   table.heartbeat_at <= before)).rowcount


@db_api.retry_on_deadlock
def set_leader(bus_id, role, node_id):
    """Record that ``node_id`` holds the leader lock of ``role``."""
    _upsert(models.DseLeader, {'bus_id': bus_id, 'role': role},
            {'node_id': node_id, 'elected_at': timeutils.utcnow()})


def leader(bus_id, role):
    """The node that last took the leader lock of ``role``, or None."""
    table = models.DseLeader
    with db_api.reader() as session:
        return session.scalars(sa.select(table.node_id).where(
            table.bus_id == bus_id, table.role == role)).first()
