"""DseRuntime: the policy engine's (and the API's) way to run actions on
the cloud services of the bus."""

import datetime
import time
import uuid

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from congress import conf
from congress import context as congress_context
from congress.db import executions as executions_db
from congress.db import fired_actions as fired_actions_db
from congress.dse import rpcapi
from congress import exception
from congress.execution import guard
from congress.execution import masking
from congress.execution import names
from congress.execution import status
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class DseRuntime(object):
    """Checks, records and casts actions to the service that runs them.

    ``execute()`` returns as soon as the action is on its way: the record
    it returns is ``accepted`` (or ``dry-run``), and the worker of the
    service writes the outcome onto the same record.
    """

    def __init__(self, node):
        self.node = node
        self.directory = node.directory
        self._ds_api = rpcapi.DataSourceAPI()

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
        context = context or congress_context.get_admin_context()
        record = self._new_record(service, action, positional_args,
                                  named_args, context, why)
        try:
            self._check_offered(service, action)
            guard.check_allowed(service, action)
        except exception.CongressException as exc:
            self._store_terminal(record, status.REJECTED, exc.message,
                                 row_key)
            raise
        if dry_run or not guard.execution_enabled():
            return self._store_terminal(record, status.DRY_RUN,
                                        row_key=row_key)
        try:
            record = executions_db.create(record, row_key=row_key)
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

    def _check_offered(self, service, action):
        rows = self.directory.lookup(service)
        if not rows:
            raise exception.ServiceNotFound(service=service)
        if not any(action in row['actions'] for row in rows):
            raise exception.ActionNotFound(service=service, action=action)

    def reject(self, service, action, positional_args, context, why,
               reason, row_key=None):
        """Record an action that is refused before it is sent; None if an
        engine acted on the row of ``row_key`` already."""
        record = self._new_record(service, action, list(positional_args),
                                  {}, context, why)
        return self._store_terminal(record, status.REJECTED, reason, row_key)

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
                    why):
        now = timeutils.utcnow()
        origin = (status.ORIGIN_POLICY if context.policy
                  else status.ORIGIN_API)
        return {
            'id': str(uuid.uuid4()),
            'service': service,
            'action': action,
            'args': {'positional': positional_args,
                     'named': masking.mask_named_args(named_args)},
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
        ``executions_db.reap``); run periodically on engine nodes."""
        expired, failed = executions_db.reap(self.directory.alive_nodes())
        if expired or failed:
            LOG.info('Reaper: %(e)d executions expired, %(f)d failed with '
                     'their worker', {'e': expired, 'f': failed})
        self.directory.forget_dead()
        return expired, failed
