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

"""DseRuntime: the policy engine's (and the API's) way to run actions on
the cloud services of the bus."""

import datetime
import time
import uuid

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import timeutils
from sqlalchemy import exc as sa_exc

from congress import conf
from congress import context as congress_context
from congress.db import executions as executions_db
from congress.db import fired_actions as fired_actions_db
from congress.dse import execution_casts
from congress.dse import faults
from congress.dse import rpcapi
from congress import exception
from congress.execution import calls
from congress.execution import guard
from congress.execution import masking
from congress.execution import status
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)

#: What a failed database access raises.
_DATABASE_ERRORS = (db_exc.DBError, sa_exc.SQLAlchemyError)


def _positional_names(rows, action):
    """The positional parameter names of ``action`` as the directory rows
    of its service list them; None when no row declares it."""
    for row in rows:
        actions = row['actions']
        if isinstance(actions, dict) and action in actions:
            return actions[action]
    return None


class Fired(object):
    """One action on its way through ``DseRuntime.execute_many``: what was
    asked (``call``, an ``ActionCall`` checked where it entered Congress),
    and what became of it.

    Whoever hands it over may set ``refusal`` (a reason) first: it is then
    recorded rejected and not sent; or ``held``, a status the action is
    recorded with, after the same checks, instead of being sent
    (``proposed``, ``awaiting-approval``: see ``congress.policy.modes``;
    ``exempted``), ``note`` saying why. ``record``, ``arguments`` and
    ``error`` are set by the runtime.
    """

    def __init__(self, call, context=None, why=None, row_key=None,
                 refusal=None, held=None, note=None):
        self.call = call
        self.service = call.service
        self.action = call.action
        self.context = context or congress_context.get_admin_context()
        self.why = why
        self.row_key = row_key
        self.refusal = refusal
        self.held = held
        self.note = note
        self.record = None
        self.arguments = None
        self.error = None


class DseRuntime(object):
    """Checks, records and casts actions to the service that runs them.

    ``execute()`` returns as soon as the action is on its way: the record
    it returns is ``accepted`` (or ``dry-run``), and the worker of the
    service writes the outcome onto the same record.
    """

    #: Most executions one sweep of the reaper sends again.
    REDELIVER_BATCH = 500
    #: How often a cast of the reaper retries the broker.
    REDELIVER_RETRIES = 1

    def __init__(self, node):
        self.node = node
        self.directory = node.directory
        self._ds_api = rpcapi.DataSourceAPI()
        self._casts = execution_casts.ExecutionCasts(self._ds_api)
        self.reaper_faults = faults.Faults('execution reaper')

    def execute(self, name, positional_args=None, named_args=None,
                context=None, dry_run=False, why=None):
        """``run`` the call of ``name`` (``service:action``) with the given
        arguments, checked here (see ``ActionCall``): for callers that hold
        a name and raw arguments rather than a call.

        :raises InvalidActionName, InvalidActionArguments: bad input (not
            recorded).
        """
        return self.run(calls.ActionCall.parse(name, positional_args,
                                               named_args, dry_run=dry_run),
                        context=context, why=why)

    def run(self, call, context=None, why=None, row_key=None, held=None):
        """Record and cast ``call`` (an ``ActionCall``, checked where it
        entered Congress) to a worker of its service.

        A call leaves a record even when it is refused: the refusals below
        for an unknown service or action and by the allow/deny lists are
        recorded ``rejected`` first.

        ``row_key`` (rule-fired actions) names the ``execute[...]`` row the
        action comes from: the request is a no-op that returns None when an
        engine has acted on that row already (see ``fired_actions``).
        ``held``: as ``Fired.held``.

        :raises ServiceNotFound: the service is not on the bus.
        :raises ActionNotFound: the service does not offer the action.
        :raises ActionNotAllowed: the deployment's allow/deny lists refuse
            it.
        :raises RPCError: the message bus did not take the action in time;
            its record says it was not run.
        :returns: the execution record.
        """
        service, action = call.service, call.action
        fired = Fired(call, context=context, why=why, row_key=row_key,
                      held=held)
        self._check(fired, self.directory.lookup(service))
        try:
            record = executions_db.create(
                fired.record, arguments=fired.arguments, row_key=row_key)
        except db_exc.DBDuplicateEntry:
            record = None
            LOG.debug('Action %s:%s was already fired for this row',
                      service, action)
        if fired.error is not None:
            raise fired.error
        if record is not None and record['status'] == status.ACCEPTED:
            self._cast(fired, record)
        return record

    def execute_many(self, batch):
        """Record the ``Fired`` actions of ``batch`` in one transaction
        (one multi-row insert), then cast those accepted, those of a
        service together (see ``ExecutionCasts``): each is a durable
        record before its cast.

        A ``Fired`` with a ``refusal`` is recorded rejected with that
        reason; one the checks of ``execute_on_service`` refuse is recorded
        rejected too, its ``error`` set. A row the fired set has already
        (see ``row_key``) is not recorded again.

        :returns: for each ``Fired``, its record, or None when it was not
            recorded (an engine acted on its row already); ``error`` is set
            on those refused by the checks or by the bus.
        """
        rows = {}
        for fired in batch:
            if fired.service not in rows:
                rows[fired.service] = self.directory.lookup(fired.service)
            self._check(fired, rows[fired.service])
        records = executions_db.create_many(
            [(fired.record, fired.arguments, fired.row_key)
             for fired in batch])
        accepted = {}
        for fired, record in zip(batch, records):
            if record is not None and record['status'] == status.ACCEPTED:
                accepted.setdefault(fired.service, []).append(
                    (fired, record))
        for service, sending in accepted.items():
            try:
                self._casts.send(service, [self._message(fired, record)
                                           for fired, record in sending])
            except Exception as exc:
                for fired, record in sending:
                    try:
                        self._cast_failed(fired, record, exc)
                    except exception.RPCError as error:
                        fired.error = error
        return records

    def _check(self, fired, rows):
        """Build ``fired.record`` and decide its outcome: accepted, dry
        run, or rejected (``refusal`` given, or ``error`` set by the checks
        of the service, its actions and the allow/deny lists)."""
        service, action = fired.service, fired.action
        fired.arguments = fired.call.arguments()
        fired.record = self._new_record(
            fired.call, fired.context, fired.why,
            _positional_names(rows, action))
        try:
            self._check_offered(service, action, rows)
            guard.check_allowed(service, action)
        except exception.CongressException as exc:
            fired.error = exc
        if fired.error is not None or fired.refusal is not None:
            outcome = status.REJECTED
        elif fired.call.dry_run or not guard.execution_enabled():
            outcome = status.DRY_RUN
        else:
            outcome = fired.held or status.ACCEPTED
        if outcome == status.AWAITING_APPROVAL:
            # the arguments are kept (encrypted) for the approval
            fired.record.update(
                status=outcome, expires_at=fired.record['created_at'] +
                datetime.timedelta(
                    seconds=CONF.execution.approval_time_to_live))
        elif outcome != status.ACCEPTED:
            fired.arguments = None
            fired.record.update(
                status=outcome, finished_at=fired.record['created_at'],
                error=(fired.error.message if fired.error is not None
                       else fired.refusal or fired.note))

    def _cast(self, fired, record):
        """Send the accepted ``record`` to a worker of its service.

        A cast can fail after the broker took the message (the connection
        lost before the send returned): a worker that claimed the record
        meanwhile runs it, and then the action is accepted, not refused.
        So is one whose refusal the database did not take (it failed with
        the bus): the record stays accepted, with what the reaper needs to
        cast it again (see ``_redeliver``), so it is not refused either.

        :raises RPCError: the bus did not take it; the record says it was
            not run (no worker can claim it after that), and its row leaves
            the fired set.
        """
        try:
            self._casts.send(fired.service, [self._message(fired, record)])
        except Exception as exc:
            self._cast_failed(fired, record, exc)

    @staticmethod
    def _message(fired, record):
        """What the worker of the ``fired`` action gets of it."""
        positional_args, named_args = fired.arguments
        return {'id': record['id'], 'action': fired.action,
                'positional_args': positional_args,
                'named_args': named_args,
                'deadline': time.time() + CONF.execution.time_to_live}

    @staticmethod
    def _cast_failed(fired, record, exc):
        """The cast of ``record`` raised ``exc``: refuse it, unless a
        worker has it (see ``_cast``).

        :raises RPCError: refused.
        """
        try:
            refused = executions_db.refuse(
                record['id'], _('The message bus could not take the '
                                'action (%s); not run.') % exc)
        except _DATABASE_ERRORS as db_error:
            LOG.warning('Casting execution %(id)s failed (%(e)s) and its '
                        'record could not say so (%(db)s): it stays '
                        'accepted, for the reaper to cast again',
                        {'id': record['id'], 'e': exc, 'db': db_error})
            return
        if not refused:
            LOG.warning('Casting execution %(id)s reported a failure, but '
                        'a worker has it: %(e)s',
                        {'id': record['id'], 'e': exc})
            return
        LOG.warning('Casting execution %(id)s failed: %(e)s',
                    {'id': record['id'], 'e': exc})
        if fired.row_key is not None:
            # the leading engine fires the row again on its next reconcile
            fired_actions_db.forget([fired.row_key])
        raise exception.RPCError(reason=str(exc))

    def approve(self, execution_id, context):
        """An admin (``context``) approves an action awaiting approval: it
        is accepted and sent, once, however many approve it at once.

        The allow/deny lists are checked again: they may have changed
        since the action was proposed.

        :raises NotFound: no such record.
        :raises ActionNotAllowed: the lists refuse it now; it still awaits
            approval (an admin may reject it).
        :raises ExecutionNotAwaitingApproval: it is not (or no longer)
            awaiting approval: approved, rejected or expired meanwhile.
        :returns: the record, now accepted.
        """
        held = executions_db.get(execution_id)
        if held is None:
            raise exception.NotFound(resource=_('Execution'),
                                     id=execution_id)
        guard.check_allowed(held['service'], held['action'])
        arguments = executions_db.approve(
            execution_id, context.user_id, CONF.execution.time_to_live)
        if arguments is None:
            self._not_awaiting(execution_id)
        record = executions_db.get(execution_id)
        fired = Fired(calls.ActionCall(
            record['service'], record['action'],
            arguments['positional_args'], arguments['named_args']),
            context=context)
        fired.arguments = fired.call.arguments()
        self._cast(fired, record)
        return record

    def reject_awaiting(self, execution_id, context, reason=None):
        """An admin (``context``) rejects an action awaiting approval: it
        never runs.

        :raises NotFound, ExecutionNotAwaitingApproval: as ``approve``.
        :returns: the record, now rejected.
        """
        error = _('Rejected by user %(user)s of project %(project)s') % {
            'user': context.user_id, 'project': context.project_id}
        if reason:
            error += ': %s' % reason
        if not executions_db.reject_awaiting(execution_id, context.user_id,
                                             error):
            self._not_awaiting(execution_id)
        return executions_db.get(execution_id)

    @staticmethod
    def _not_awaiting(execution_id):
        record = executions_db.get(execution_id)
        if record is None:
            raise exception.NotFound(resource=_('Execution'),
                                     id=execution_id)
        if (record['status'] == status.AWAITING_APPROVAL and
                record['expires_at'] <= timeutils.utcnow()):
            record['status'] = status.EXPIRED
        raise exception.ExecutionNotAwaitingApproval(
            id=execution_id, status=record['status'],
            by=record['decided_by'] or '-',
            at=(record['decided_at'].isoformat() if record['decided_at']
                else '-'))

    @staticmethod
    def _check_offered(service, action, rows):
        if not rows:
            raise exception.ServiceNotFound(service=service)
        if not any(action in row['actions'] for row in rows):
            raise exception.ActionNotFound(service=service, action=action)

    @staticmethod
    def _new_record(call, context, why, positional_names):
        now = timeutils.utcnow()
        positional_args, named_args = masking.mask_arguments(
            call.positional_args, dict(call.named_args), positional_names)
        origin = (status.ORIGIN_POLICY if context.policy
                  else status.ORIGIN_API)
        return {
            'id': str(uuid.uuid4()),
            'service': call.service,
            'action': call.action,
            'args': {'positional': positional_args, 'named': named_args},
            'status': status.ACCEPTED,
            'origin': origin,
            'policy': context.policy,
            'rule_id': context.rule_id,
            'why': why,
            'user_id': context.user_id,
            'project_id': context.project_id,
            'policy_owner': getattr(context, 'policy_owner', None),
            'request_id': context.request_id,
            'created_at': now,
            'updated_at': now,
            'expires_at': now + datetime.timedelta(
                seconds=CONF.execution.time_to_live),
        }

    def reap(self):
        """End executions that cannot end by themselves (see
        ``executions_db.reap``) and send again those a dead worker may
        have held; run periodically on engine nodes.

        Executions are failed with their worker only on fresh heartbeats:
        after a database access of this node failed, not before a full
        ``service_down_time`` of working database (live workers have had
        the time to write theirs).

        :returns: (number expired, failed, sent again)
        """
        try:
            counts = self._reap()
        except Exception as exc:
            if isinstance(exc, _DATABASE_ERRORS):
                self.directory.note_failure()
            self.reaper_faults.failed('reaping executions', exc)
            return 0, 0, 0
        self.reaper_faults.succeeded('reaping executions')
        if any(counts):
            LOG.info('Reaper: %d executions expired, %d failed with their '
                     'worker, %d sent again', *counts)
        return counts

    @staticmethod
    def purge():
        """Purge the records that ended more than ``[execution]
        retention_days`` ago (none when it is 0); run periodically on
        engine nodes. Returns how many were purged."""
        days = CONF.execution.retention_days
        if not days:
            return 0
        purged = executions_db.purge(
            timeutils.utcnow() - datetime.timedelta(days=days),
            CONF.execution.purge_batch_size)
        if purged:
            LOG.info('Purged %d execution records that ended more than '
                     '%s days ago', purged, days)
        return purged

    def _reap(self):
        alive = self.directory.services()
        workers = None
        if self.directory.fresh_for() >= CONF.dse.service_down_time:
            workers = {(row['node_id'], row['incarnation'])
                       for rows in alive.values() for row in rows}
        expired, failed = executions_db.reap(workers)
        self.directory.forget_dead()
        return expired, failed, self._redeliver(alive)

    def _redeliver(self, services):
        """Cast again what has waited ``redeliver_after`` seconds on a
        service that has a worker."""
        before = timeutils.utcnow() - datetime.timedelta(
            seconds=CONF.execution.redeliver_after)
        messages = executions_db.take_for_redelivery(
            services, before, self.REDELIVER_BATCH)
        context = congress_context.get_admin_context()
        for service, message in messages:
            try:
                self._ds_api.execute(context, service, message,
                                     retry=self.REDELIVER_RETRIES)
            except Exception as exc:
                # sent again after the next redeliver_after
                self.reaper_faults.failed('sending executions again', exc)
                return 0
        self.reaper_faults.succeeded('sending executions again')
        return len(messages)
