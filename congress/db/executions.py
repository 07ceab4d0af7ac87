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

"""Execution records: the audit trail of every requested action.

State changes are conditional updates (``WHERE status = ...``), so that of
two workers, or a worker and the reaper, only one can move a record on.
"""

import datetime
import functools

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import group_commit
from congress.db import models
from congress.db import secrets
from congress import exception
from congress.execution import notifications
from congress.execution import status

LOG = logging.getLogger(__name__)

_JSON_FIELDS = ('args', 'why', 'result')

#: The records' table, for the Core statements of the hot paths (an
#: update of the ORM class goes through the ORM's bulk machinery, several
#: times the CPU of the statement itself).
_TABLE = models.Execution.__table__


# Internal: the bookkeeping of delivery to workers.
_HIDDEN_FIELDS = ('incarnation', 'cast_at', 'payload', 'in_doubt')

_NOT_STARTED = 'Not started within its time to live; not run.'
_NOT_APPROVED = 'Not approved within its approval time; not run.'
_IN_DOUBT = ('it may or may not have taken effect, and it is not run '
             'again.')
#: Why a record dispatched to a worker that left the bus failed.
WORKER_LEFT = ('The worker running this action left the bus before '
               'reporting an outcome; ' + _IN_DOUBT)
#: Why a record dispatched to an earlier process of a node failed.
WORKER_RESTARTED = ('The worker running this action restarted before '
                    'reporting an outcome; ' + _IN_DOUBT)


def _to_dict(row):
    record = {c.name: getattr(row, c.name)
              for c in _TABLE.columns
              if c.name not in _HIDDEN_FIELDS}
    for field in _JSON_FIELDS:
        if record[field] is not None:
            record[field] = jsonutils.loads(record[field])
    return record


_committer = group_commit.GroupCommitter()


def _row(values, arguments):
    now = timeutils.utcnow()
    row = {c.name: None for c in _TABLE.columns}
    row.update(values)
    row['created_at'] = row['created_at'] or now
    row['updated_at'] = row['updated_at'] or now
    row['cast_at'] = row['cast_at'] or row['created_at']
    row['in_doubt'] = bool(row['in_doubt'])
    if arguments is not None:
        row['payload'] = secrets.encrypt(jsonutils.dumps(
            {'positional_args': arguments[0], 'named_args': arguments[1]}))
    for field in _JSON_FIELDS:
        if row.get(field) is not None:
            row[field] = jsonutils.dumps(row[field])
    return row


def _record(values, row):
    record = {c.name: None for c in _TABLE.columns
              if c.name not in _HIDDEN_FIELDS}
    record.update((key, value) for key, value in values.items()
                  if key not in _HIDDEN_FIELDS)
    record.update(created_at=row['created_at'], updated_at=row['updated_at'])
    return record


def _notify(changes):
    """Notify committed ``(id, new status, record or None)`` changes (see
    ``congress.execution.notifications``): every state change of a record
    goes through here."""
    notifications.changed(changes, get)


def create(values, arguments=None, row_key=None):
    """Store a new record; ``values`` has every non-null column but the
    timestamps, which are set here unless given.

    ``arguments`` (positional, named), as they are cast to the workers, are
    kept encrypted while the record is accepted, so that the reaper can
    cast the action again (see ``take_for_redelivery``).

    With ``row_key`` (an action a rule fired), the fired set gets the
    row's entry in the same transaction.

    :raises DBDuplicateEntry: the fired set has ``row_key`` already: an
        engine acted on that row before, and nothing is stored.
    """
    if row_key is not None:
        record = create_many([(values, arguments, row_key)])[0]
        if record is None:
            raise db_exc.DBDuplicateEntry(columns=['row_key'])
        return record
    row = _row(values, arguments)
    _committer.insert(_TABLE, row)
    record = _record(values, row)
    _notify([(record['id'], record['status'], record)])
    return record


#: How often ``create_many`` writes its batch again after another engine
#: wrote an entry of the fired set meanwhile.
_FIRED_RACE_RETRIES = 3


def create_many(entries):
    """Store the records of ``entries``, ``(values, arguments, row_key)``
    as ``create`` takes them, in one transaction: one multi-row insert of
    the records, one of their fired-set entries.

    An entry whose ``row_key`` the fired set has already (an engine acted
    on that row before, or an earlier entry of this batch has it) is not
    stored.

    :returns: for each entry, its record, or None when it was not stored.
    """
    prepared = [(key, _row(values, arguments), values)
                for values, arguments, key in entries]
    keys = sorted({key for key, _, _ in prepared if key is not None})
    fired_table = models.FiredAction.__table__

    def write(connection):
        taken = set()
        if keys:
            taken = set(connection.execute(
                sa.select(fired_table.c.row_key)
                .where(fired_table.c.row_key.in_(keys))).scalars())
        stored, fired = [], []
        for key, row, _values in prepared:
            if key is None:
                stored.append(row)
            elif key not in taken:
                taken.add(key)
                stored.append(row)
                fired.append({'row_key': key, 'policy': row['policy'],
                              'execution_id': row['id'],
                              'created_at': row['created_at']})
        if fired:
            connection.execute(sa.insert(fired_table), fired)
        if stored:
            connection.execute(sa.insert(_TABLE), stored)
        return {row['id'] for row in stored}

    for attempt in range(_FIRED_RACE_RETRIES + 1):
        try:
            ids = _committer.run(write)
            break
        except db_exc.DBDuplicateEntry:
            # another engine committed an entry between our read of the
            # fired set and our insert: read it again
            if attempt == _FIRED_RACE_RETRIES:
                raise
    records = [_record(values, row) if row['id'] in ids else None
               for _key, row, values in prepared]
    _notify([(record['id'], record['status'], record)
             for record in records if record is not None])
    return records


def get(execution_id):
    with db_api.reader() as session:
        row = session.get(models.Execution, execution_id)
        return None if row is None else _to_dict(row)


#: Columns ``list_records`` filters on by equality.
EQUALITY_FILTERS = ('service', 'origin', 'user_id', 'project_id', 'rule_id')


def list_records(service=None, status_filter=None, limit=100, marker=None,
                 policy=None, created_since=None, created_before=None,
                 ids=None, **equal):
    """Newest first; ``marker`` is the id of the last record of the
    previous page.

    ``equal`` has more of the ``EQUALITY_FILTERS``; ``created_since`` and
    ``created_before`` (datetimes, UTC) bound the creation time, the first
    included; ``ids`` keeps only these records.
    """
    table = models.Execution
    equal['service'] = service
    with db_api.reader() as session:
        query = sa.select(table)
        for name in EQUALITY_FILTERS:
            if equal.get(name):
                query = query.where(getattr(table, name) == equal[name])
        if status_filter:
            query = query.where(table.status == status_filter)
        if policy:
            query = query.where(table.policy == policy)
        if created_since is not None:
            query = query.where(table.created_at >= created_since)
        if created_before is not None:
            query = query.where(table.created_at < created_before)
        if ids is not None:
            query = query.where(table.id.in_(sorted(ids)))
        rows = db_api.newest_first(session, query, table, marker, limit)
        return None if rows is None else [_to_dict(row) for row in rows]


@functools.lru_cache(maxsize=None)
def _transition_statement(from_statuses, columns, expiring):
    """The ``RowUpdate`` of one kind of transition, built once: it moves
    the record ``:b_id`` from one of ``from_statuses`` on, setting each of
    ``columns`` to ``:v_<column>``; if ``expiring``, only while it expires
    after ``:b_unexpired_at``.

    A statement built for each call cost the claim of every action half
    its CPU (the construct, its cache key, and the expansion of an IN
    list at each execution).
    """
    table = _TABLE

    def condition(suffix):
        moves = sa.or_(*(table.c.status == from_status
                         for from_status in from_statuses))
        if not expiring:
            return moves
        return sa.and_(moves, table.c.expires_at > sa.bindparam(
            'b_unexpired_at' + suffix, type_=table.c.expires_at.type))
    return group_commit.RowUpdate(table.c.id, columns, condition=condition)


def _transition(execution_id, from_statuses, values, unexpired_at=None):
    """Move the record from one of ``from_statuses`` on, setting
    ``values``; with ``unexpired_at``, only if it expires after that
    time. Returns whether it moved."""
    values = dict(values, updated_at=timeutils.utcnow())
    for field in _JSON_FIELDS:
        if values.get(field) is not None:
            values[field] = jsonutils.dumps(values[field])
    query = _transition_statement(tuple(from_statuses),
                                  tuple(sorted(values)),
                                  unexpired_at is not None)
    parameters = {'v_' + column: value for column, value in values.items()}
    parameters['b_id'] = execution_id
    if unexpired_at is not None:
        parameters['b_unexpired_at'] = unexpired_at
    changed, = _committer.update(query, [parameters])
    if changed:
        _notify([(execution_id, values['status'], None)])
    return changed


def claim(execution_id, worker, incarnation=None, started_at=None):
    """Take an accepted, unexpired record for ``worker`` (its process
    ``incarnation``), just before running it.

    ``started_at`` (default: now) identifies the attempt: after a claim
    whose answer was lost, ``claimed_by`` tells whether it was committed.

    :returns: True if this caller may run the action: it is now
        ``dispatched`` to ``worker`` and nobody else will run it.
    """
    now = started_at or timeutils.utcnow()
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.DISPATCHED, 'worker': worker,
         'incarnation': incarnation, 'started_at': now, 'payload': None},
        unexpired_at=now)


def claimed_by(execution_id, worker, incarnation, started_at):
    """Whether the claim ``claim(execution_id, worker, incarnation,
    started_at)`` took the record (it is dispatched by that very call)."""
    table = models.Execution
    with db_api.reader() as session:
        return session.scalar(
            sa.select(sa.func.count()).select_from(table)
            .where(table.id == execution_id,
                   table.status == status.DISPATCHED,
                   table.worker == worker,
                   table.incarnation == incarnation,
                   table.started_at == started_at)) == 1


def expire(execution_id):
    """Mark an accepted record that was not taken in time as expired."""
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.EXPIRED, 'finished_at': timeutils.utcnow(),
         'error': _NOT_STARTED, 'payload': None})


def approve(execution_id, user_id, time_to_live):
    """Accept an action awaiting approval (unexpired), approved by
    ``user_id``: it has ``time_to_live`` seconds from now to start.

    Of two callers at once, one only gets the arguments.

    :returns: the arguments to send (``positional_args``,
        ``named_args``), or None when the record was not awaiting
        approval.
    """
    now = timeutils.utcnow()
    if not _transition(
            execution_id, (status.AWAITING_APPROVAL,),
            {'status': status.ACCEPTED, 'decided_by': user_id,
             'decided_at': now, 'cast_at': now,
             'expires_at': now + datetime.timedelta(seconds=time_to_live)},
            unexpired_at=now):
        return None
    with db_api.reader() as session:
        payload = session.scalar(sa.select(models.Execution.payload).where(
            models.Execution.id == execution_id))
    return jsonutils.loads(secrets.decrypt(payload))


def reject_awaiting(execution_id, user_id, error):
    """Reject an action awaiting approval (unexpired), by ``user_id``;
    returns whether it was."""
    now = timeutils.utcnow()
    return _transition(
        execution_id, (status.AWAITING_APPROVAL,),
        {'status': status.REJECTED, 'decided_by': user_id,
         'decided_at': now, 'finished_at': now, 'error': error,
         'payload': None},
        unexpired_at=now)


def refuse(execution_id, error):
    """Mark an accepted record that could not be sent as rejected; returns
    whether it was still accepted (False: a worker claimed it, so the
    message did reach the bus)."""
    return _transition(
        execution_id, (status.ACCEPTED,),
        {'status': status.REJECTED, 'finished_at': timeutils.utcnow(),
         'error': error, 'payload': None})


def _status_counts(policy):
    table = models.Execution
    query = (sa.select(table.status, sa.func.count())
             .where(table.policy == policy,
                    table.origin == status.ORIGIN_POLICY)
             .group_by(table.status))
    with db_api.reader() as session:
        return dict(session.execute(query).all())


def held_counts(policy):
    """``(proposed, awaiting approval)``: how many actions of ``policy``'s
    rules are recorded and not run because of its enforcement mode."""
    counts = _status_counts(policy)
    return (counts.get(status.PROPOSED, 0),
            counts.get(status.AWAITING_APPROVAL, 0))


def policy_counts(policy):
    """``(sent, rejected)``: how many actions of ``policy``'s rules were
    sent to their service, and how many were refused before."""
    counts = _status_counts(policy)

    rejected = counts.pop(status.REJECTED, 0)
    counts.pop(status.DRY_RUN, None)
    counts.pop(status.PROPOSED, None)
    counts.pop(status.AWAITING_APPROVAL, None)
    counts.pop(status.EXEMPTED, None)
    return sum(counts.values()), rejected


#: Records of actions that were not sent: they act on nothing.
_NOT_SENT = (status.REJECTED, status.EXEMPTED, status.DRY_RUN)


def count_fired_since(rule_id, since):
    """How many actions rule ``rule_id`` fired since ``since`` that were
    sent to their service (whatever became of them)."""
    table = models.Execution
    query = (sa.select(sa.func.count()).select_from(table)
             .where(table.rule_id == rule_id,
                    table.created_at >= since,
                    table.origin == status.ORIGIN_POLICY,
                    table.status.not_in(_NOT_SENT)))
    with db_api.reader() as session:
        return session.scalar(query)


def finish(execution_id, outcome, result=None, error=None):
    """Record the outcome of a dispatched execution."""
    return finish_many([(execution_id, outcome, result, error)])[0]


@functools.lru_cache(maxsize=None)
def _finish_statement(by_worker):
    """The ``RowUpdate`` that records one outcome (built once, as
    ``_transition_statement``); ``by_worker``: as ``finish_many``'s
    ``worker``."""
    columns = _TABLE.c

    def condition(suffix):
        open_record = columns.status == status.DISPATCHED
        if not by_worker:
            return open_record
        return sa.and_(
            columns.worker == sa.bindparam('b_worker' + suffix,
                                           type_=columns.worker.type),
            columns.incarnation == sa.bindparam(
                'b_incarnation' + suffix, type_=columns.incarnation.type),
            sa.or_(open_record, sa.and_(columns.status == status.FAILED,
                                        columns.in_doubt)))
    return group_commit.RowUpdate(
        columns.id, ('status', 'error', 'result', 'finished_at',
                     'updated_at'),
        constants={'in_doubt': False}, condition=condition)


def finish_many(outcomes, worker=None, incarnation=None):
    """Record several outcomes ``(id, status, result, error)`` in one
    transaction; returns for each whether it was recorded.

    Given the ``worker`` and ``incarnation`` that ran them, an outcome also
    replaces an in-doubt failure recorded meanwhile (the reaper took the
    worker for gone): the record tells what really happened.
    """
    # one statement for the batch, run for each outcome: each tells
    # whether its record was still open
    query = _finish_statement(worker is not None)
    now = timeutils.utcnow()
    shared = {'v_finished_at': now, 'v_updated_at': now}
    if worker is not None:
        shared.update(b_worker=worker, b_incarnation=incarnation)
    parameters = [dict(shared, b_id=execution_id, v_status=outcome,
                       v_error=error, v_result=(None if result is None
                                                else jsonutils.dumps(result)))
                  for execution_id, outcome, result, error in outcomes]
    # in a transaction shared with the claims of the process's other
    # writers (see group_commit)
    recorded = _committer.update(query, parameters)
    _notify([(outcome[0], outcome[1], None)
             for outcome, done in zip(outcomes, recorded) if done])
    return recorded


def _update_where(session, where, values):
    """Update the records matching ``where`` (locked first, so that they
    are the ones updated); returns their ids."""
    table = models.Execution
    ids = list(session.scalars(
        sa.select(table.id).where(where).with_for_update()))
    if ids:
        session.execute(sa.update(table).where(table.id.in_(ids))
                        .where(where).values(**values))
    return ids


def _fail_in_doubt(session, where, error, now):
    table = models.Execution
    return _update_where(
        session, sa.and_(table.status == status.DISPATCHED, where),
        dict(status=status.FAILED, in_doubt=True, updated_at=now,
             finished_at=now, error=error))


@db_api.retry_on_deadlock
def reap(alive_workers):
    """End what can no longer end by itself.

    Accepted records past their time to live, and records awaiting
    approval past their approval time, become ``expired``; records
    dispatched to a worker process that is no longer alive become
    ``failed`` in doubt: the action may or may not have run, and it is
    never run a second time.

    :param alive_workers: ``(node_id, incarnation)`` of every worker process
        alive; None when that is not known for sure, and no record is
        failed.
    :returns: (number expired, number failed)
    """
    table = models.Execution
    now = timeutils.utcnow()
    failed = []
    with db_api.writer() as session:
        expired = _update_where(
            session, sa.and_(table.status == status.ACCEPTED,
                             table.expires_at <= now),
            dict(status=status.EXPIRED, updated_at=now, finished_at=now,
                 error=_NOT_STARTED, payload=None))
        expired += _update_where(
            session, sa.and_(table.status == status.AWAITING_APPROVAL,
                             table.expires_at <= now),
            dict(status=status.EXPIRED, updated_at=now, finished_at=now,
                 error=_NOT_APPROVED, payload=None))
        if alive_workers is not None:
            failed = _reap_dead(session, alive_workers, now)
    _notify([(i, status.EXPIRED, None) for i in expired] +
            [(i, status.FAILED, None) for i in failed])
    return len(expired), len(failed)


def _reap_dead(session, alive_workers, now):
    """Fail what is dispatched to no process of ``alive_workers``;
    returns the ids."""
    table = models.Execution
    # records taken before incarnations were recorded belong to any
    # process of their node
    alive = sa.or_(sa.false(), *(
        sa.and_(table.worker == node_id,
                sa.or_(table.incarnation == incarnation,
                       table.incarnation.is_(None)))
        for node_id, incarnation in sorted(alive_workers)))
    return _fail_in_doubt(session, sa.not_(alive), WORKER_LEFT, now)


@db_api.retry_on_deadlock
def fail_earlier_incarnations(worker, incarnation):
    """Fail, in doubt, what earlier processes of node ``worker`` left
    dispatched: a process starting as ``incarnation`` calls this, since no
    outcome of theirs can come any more.

    :returns: the number of records failed.
    """
    table = models.Execution
    with db_api.writer() as session:
        failed = _fail_in_doubt(
            session, sa.and_(table.worker == worker,
                             table.incarnation.is_distinct_from(incarnation)),
            WORKER_RESTARTED, timeutils.utcnow())
    _notify([(i, status.FAILED, None) for i in failed])
    return len(failed)


def take_for_redelivery(services, cast_before, limit):
    """Accepted, unexpired records of ``services`` last cast before
    ``cast_before``: the worker that got them may have died before taking
    them. Each is marked cast now, conditionally, so that of two reapers
    only one sends it again.

    :returns: ``[(service, message)]``, the messages to cast, in the shape
        DseRuntime casts them.
    """
    table = models.Execution
    now = timeutils.utcnow()
    if not services:
        return []
    with db_api.reader() as session:
        candidates = session.execute(
            sa.select(table.id, table.service, table.action, table.payload,
                      table.expires_at, table.cast_at)
            .where(table.status == status.ACCEPTED)
            .where(table.expires_at > now)
            .where(table.cast_at <= cast_before)
            .where(table.payload.is_not(None))
            .where(table.service.in_(sorted(services)))
            .order_by(table.expires_at)
            .limit(limit)).all()
    taken = []
    with db_api.writer_connection() as connection:
        for row in candidates:
            marked = connection.execute(
                sa.update(table)
                .where(table.id == row.id)
                .where(table.status == status.ACCEPTED)
                .where(table.cast_at == row.cast_at)
                .values(cast_at=now)).rowcount == 1
            if marked:
                taken.append(row)
    messages = []
    for row in taken:
        try:
            arguments = jsonutils.loads(secrets.decrypt(row.payload))
        except exception.CongressException as exc:
            LOG.error('Execution %(id)s cannot be sent again: %(e)s',
                      {'id': row.id, 'e': exc})
            continue
        deadline = row.expires_at.replace(
            tzinfo=datetime.timezone.utc).timestamp()
        messages.append((row.service, dict(arguments, id=row.id,
                                           action=row.action,
                                           deadline=deadline)))
    return messages


@db_api.retry_on_deadlock
def _purge_batch(before, batch_size):
    table = models.Execution
    ended = sa.and_(table.status.in_(sorted(status.TERMINAL)),
                    table.finished_at < before)
    with db_api.writer() as session:
        ids = list(session.scalars(
            sa.select(table.id).where(ended).limit(batch_size)))
        if not ids:
            return 0
        return session.execute(
            sa.delete(table).where(table.id.in_(ids)).where(ended)).rowcount


def purge(before, batch_size=1000):
    """Delete the records that ended (a terminal status) before
    ``before``, ``batch_size`` at a time, one transaction each; records
    still pending are never deleted. Returns how many were deleted.

    The fired set keeps the entries of purged records: a fired row is
    forgotten only when it leaves its table (``fired_actions.forget``),
    else the engine would act on it again.
    """
    purged = 0
    while True:
        count = _purge_batch(before, batch_size)
        purged += count
        if count < batch_size:
            return purged
