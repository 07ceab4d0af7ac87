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
from congress.dse import faults
from congress.dse import rpcapi
from congress import exception
from congress.execution import guard
from congress.execution import masking
from congress.execution import names
from congress.execution import status
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def _positional_names(rows, action):
    """The positional parameter names of ``action`` as the directory rows
    of its service list them; None when no row declares it."""
    for row in rows:
        actions = row['actions']
        if isinstance(actions, dict) and action in actions:
            return actions[action]
    return None


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
        self.reaper_faults = faults.Faults('execution reaper')

    def execute(self, name, positional_args=None, named_args=None,
                context=None, dry_run=False, why=None):
        """Run ``name`` (``service:action``) with the given arguments.

        An action that can be named leaves a record even when it is
        refused: the refusals below for an unknown service or action and
        by the allow/deny lists are recorded ``rejected`` first. Malformed
        input is refused before anything is recorded.

        :raises InvalidActionName, InvalidActionArguments: bad input (not
            recorded).
        :raises ServiceNotFound: the service is not on the bus.
        :raises ActionNotFound: the service does not offer the action.
        :raises ActionNotAllowed: the deployment's allow/deny lists refuse
            it.
        :returns: the execution record.
        """
        service, action = names.split_action_name(name)
        return self.execute_on_service(service, action, positional_args,
                                       named_args, context=context,
                                       dry_run=dry_run, why=why)

    def execute_on_service(self, service, action, positional_args=None,
                           named_args=None, context=None, dry_run=False,
                           why=None, row_key=None):
        """Like ``execute`` with the service and action given apart.

        ``row_key`` (rule-fired actions) names the ``execute[...]`` row the
        action comes from: the request is a no-op that returns None when an
        engine has acted on that row already (see ``fired_actions``).

        :raises RPCError: the message bus did not take the action in time;
            its record says it was not run.
        """
        positional_args, named_args = names.check_arguments(positional_args,
                                                            named_args)
        if not isinstance(action, str) or not action:
            raise exception.InvalidActionName(
                name=action, reason=_('the action name must be a string'))
        names.check_name_lengths(service, action)
        context = context or congress_context.get_admin_context()
        rows = self.directory.lookup(service)
        record = self._new_record(service, action, positional_args,
                                  named_args, context, why,
                                  _positional_names(rows, action))
        try:
            self._check_offered(service, action, rows)
            guard.check_allowed(service, action)
        except exception.CongressException as exc:
            self._store_terminal(record, status.REJECTED, exc.message,
                                 row_key)
            raise
        if dry_run or not guard.execution_enabled():
            return self._store_terminal(record, status.DRY_RUN,
                                        row_key=row_key)
        try:
            record = executions_db.create(
                record, arguments=(positional_args, named_args),
                row_key=row_key)
        except db_exc.DBDuplicateEntry:
            LOG.debug('Action %s:%s was already fired for this row',
                      service, action)
            return None
        message = {'id': record['id'], 'action': action,
                   'positional_args': positional_args,
                   'named_args': named_args,
                   'deadline': time.time() + CONF.execution.time_to_live}
        try:
            self._ds_api.execute(context, service, message)
        except Exception as exc:
            LOG.warning('Casting execution %(id)s failed: %(e)s',
                        {'id': record['id'], 'e': exc})
            executions_db.refuse(
                record['id'], _('The message bus could not take the action '
                                '(%s); not run.') % exc)
            if row_key is not None:
                # the leading engine fires the row again on its next
                # reconcile
                fired_actions_db.forget([row_key])
            raise exception.RPCError(reason=str(exc))
        return record

    @staticmethod
    def _check_offered(service, action, rows):
        if not rows:
            raise exception.ServiceNotFound(service=service)
        if not any(action in row['actions'] for row in rows):
            raise exception.ActionNotFound(service=service, action=action)

    def reject(self, service, action, positional_args, context, why,
               reason, row_key=None, outcome=status.REJECTED):
        """Record an action that is refused before it is sent (``outcome``
        ``rejected``, or ``exempted``); None if an engine acted on the row
        of ``row_key`` already."""
        record = self._new_record(
            service, action, list(positional_args), {}, context, why,
            _positional_names(self.directory.lookup(service), action))
        return self._store_terminal(record, outcome, reason, row_key)

    @staticmethod
    def _store_terminal(record, outcome, error=None, row_key=None):
        record.update(status=outcome, error=error,
                      finished_at=record['created_at'])
        try:
            return executions_db.create(record, row_key=row_key)
        except db_exc.DBDuplicateEntry:
            return None

    @staticmethod
    def _new_record(service, action, positional_args, named_args, context,
                    why, positional_names):
        now = timeutils.utcnow()
        positional_args, named_args = masking.mask_arguments(
            positional_args, named_args, positional_names)
        origin = (status.ORIGIN_POLICY if context.policy
                  else status.ORIGIN_API)
        return {
            'id': str(uuid.uuid4()),
            'service': service,
            'action': action,
            'args': {'positional': positional_args, 'named': named_args},
            'status': status.ACCEPTED,
            'origin': origin,
            'policy': context.policy,
            'rule_id': context.rule_id,
            'why': why,
            'user_id': context.user_id,
            'project_id': context.project_id,
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
            if isinstance(exc, (db_exc.DBError, sa_exc.SQLAlchemyError)):
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
