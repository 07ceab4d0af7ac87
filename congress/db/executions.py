"""Execution records: the audit trail of every requested action.

State changes are conditional updates (``WHERE status = ...``), so that of
two workers, or a worker and the reaper, only one can move a record on.
"""

from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import group_commit
from congress.db import models
from congress.execution import status

_JSON_FIELDS = ('args', 'why', 'result')


def _to_dict(row):
    record = {c.name: getattr(row, c.name)
              for c in models.Execution.__table__.columns}
    for field in _JSON_FIELDS:
        if record[field] is not None:
            record[field] = jsonutils.loads(record[field])
    return record


_committer = group_commit.GroupCommitter()


def create(values, row_key=None):
    """Store a new record; ``values`` has every non-null column but the
    timestamps, which are set here unless given.

    With ``row_key`` (an action a rule fired), the fired set gets the
    row's entry in the same transaction.

    :raises DBDuplicateEntry: the fired set has ``row_key`` already: an
        engine acted on that row before, and nothing is stored.
    """
    now = timeutils.utcnow()
    row = {c.name: None for c in models.Execution.__table__.columns}
    row.update(values)
    row['created_at'] = row['created_at'] or now
    row['updated_at'] = row['updated_at'] or now
    for field in _JSON_FIELDS:
        if row.get(field) is not None:
            row[field] = jsonutils.dumps(row[field])
    if row_key is None:
        _committer.insert(models.Execution.__table__, row)
    else:
        fired = {'row_key': row_key, 'policy': row['policy'],
                 'execution_id': row['id'], 'created_at': row['created_at']}

        def write(connection):
            connection.execute(sa.insert(models.FiredAction), fired)
            connection.execute(sa.insert(models.Execution), row)
        _committer.run(write)
    record = {c.name: None for c in models.Execution.__table__.columns}
    record.update(values)
    record.update(created_at=row['created_at'], updated_at=row['updated_at'])
    return record


def get(execution_id):
    with db_api.reader() as session:
        row = session.get(models.Execution, execution_id)
        return None if row is None else _to_dict(row)


def list_records(service=None, status_filter=None, limit=100, marker=None,
                 policy=None):
    """Newest first; ``marker`` is the id of the last record of the
    previous page."""
    table = models.Execution
    with db_api.reader() as session:
        query = sa.select(table)
        if service:
            query = query.where(table.service == service)
        if status_filter:
            query = query.where(table.status == status_filter)
        if policy:
            query = query.where(table.policy == policy)
        if marker is not None:
            mark = session.get(table, marker)
            if mark is None:
                return None
            query = query.where(sa.or_(
                table.created_at < mark.created_at,
                sa.and_(table.created_at == mark.created_at,
                        table.id < mark.id)))
        query = query.order_by(table.created_at.desc(),
                               table.id.desc()).limit(limit)
        return [_to_dict(row) for row in session.scalars(query)]


def _transition(execution_id, from_statuses, values, extra_condition=None):
    table = models.Execution
    values = dict(values, updated_at=timeutils.utcnow())
    for field in _JSON_FIELDS:
        if values.get(field) is not None:
            values[field] = jsonutils.dumps(values[field])
    query = (sa.update(table)
             .where(table.id == execution_id)
             .where(table.status.in_(from_statuses))
             .values(**values))
    if extra_condition is not None:
        query = query.where(extra_condition)
    return _committer.run(
        lambda connection: connection.execute(query).rowcount == 1)


def claim(execution_id, worker):
    """Take an accepted, unexpired record for ``worker``.

    :returns: True if this caller may run the action: it is now
        ``dispatched`` to ``worker`` and nobody else will run it.
    """
    now = timeutils.utcnow()
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.DISPATCHED, 'worker': worker, 'started_at': now},
        extra_condition=models.Execution.expires_at > now)


def expire(execution_id):
    """Mark an accepted record that was not taken in time as expired."""
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.EXPIRED, 'finished_at': timeutils.utcnow(),
         'error': 'Not started within its time to live; not run.'})


def refuse(execution_id, error):
    """Mark an accepted record that could not be sent as rejected."""
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.REJECTED, 'finished_at': timeutils.utcnow(),
         'error': error})


def policy_counts(policy):
    """``(sent, rejected)``: how many actions of ``policy``'s rules were
    sent to their service, and how many were refused before."""
    table = models.Execution
    query = (sa.select(table.status, sa.func.count())
             .where(table.policy == policy,
                    table.origin == status.ORIGIN_POLICY)
             .group_by(table.status))
    with db_api.reader() as session:
        counts = dict(session.execute(query).all())
    rejected = counts.pop(status.REJECTED, 0)
    counts.pop(status.DRY_RUN, None)
    return sum(counts.values()), rejected


def finish(execution_id, outcome, result=None, error=None):
    """Record the outcome of a dispatched execution."""
    return finish_many([(execution_id, outcome, result, error)])[0]


@db_api.retry_on_deadlock
def finish_many(outcomes):
    """Record several outcomes ``(id, status, result, error)`` in one
    transaction; returns for each whether it was recorded."""
    table = models.Execution
    now = timeutils.utcnow()
    recorded = []
    with db_api.writer_connection() as connection:
        for execution_id, outcome, result, error in outcomes:
            query = (sa.update(table)
                     .where(table.id == execution_id)
                     .where(table.status == status.DISPATCHED)
                     .values(status=outcome, error=error, finished_at=now,
                             updated_at=now,
                             result=(None if result is None
                                     else jsonutils.dumps(result))))
            recorded.append(connection.execute(query).rowcount == 1)
    return recorded


@db_api.retry_on_deadlock
def reap(alive_workers):
    """End what can no longer end by itself.

    Accepted records past their time to live become ``expired``; records
    dispatched to a worker that is no longer alive become ``failed``: the
    action may or may not have run, and it is never run a second time.

    :returns: (number expired, number failed)
    """
    table = models.Execution
    now = timeutils.utcnow()
    with db_api.writer() as session:
        expired = session.execute(
            sa.update(table)
            .where(table.status == status.ACCEPTED)
            .where(table.expires_at <= now)
            .values(status=status.EXPIRED, updated_at=now, finished_at=now,
                    error='Not started within its time to live; not run.')
        ).rowcount
        orphaned = (sa.update(table)
                    .where(table.status == status.DISPATCHED)
                    .values(status=status.FAILED, updated_at=now,
                            finished_at=now,
                            error='The worker running this action left the '
                                  'bus before reporting an outcome; it may '
                                  'or may not have taken effect, and it is '
                                  'not run again.'))
        if alive_workers:
            orphaned = orphaned.where(table.worker.not_in(alive_workers))
        failed = session.execute(orphaned).rowcount
    return expired, failed
