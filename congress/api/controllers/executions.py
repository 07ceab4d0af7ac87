"""/v1/executions: the audit trail of every requested action."""

import urllib.parse

import pecan

from congress.api.controllers import base
from congress import conf
from congress.db import executions as executions_db
from congress import exception
from congress.execution import status as status_mod
from congress.i18n import _

CONF = conf.CONF

DEFAULT_LIMIT = 100


def _limit():
    raw = base.query_param('limit')
    if raw is None:
        return min(DEFAULT_LIMIT, CONF.api.max_limit)
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit < 1:
        raise exception.BadRequest(
            reason=_('"limit" must be a positive integer, not "%s"') % raw)
    return min(limit, CONF.api.max_limit)


class ExecutionController(object):

    def __init__(self, execution_id):
        self.execution_id = execution_id

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:execution:get')
        record = executions_db.get(self.execution_id)
        if record is None:
            raise exception.NotFound(resource=_('Execution'),
                                     id=self.execution_id)
        return base.primitive(record)


class ExecutionsController(object):

    FILTERS = ('service', 'status', 'policy')

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=FILTERS + ('limit', 'marker'))
    def get_all(self, **kwargs):
        base.authorize('congress:execution:list')
        filters = {name: base.query_param(name) for name in self.FILTERS}
        status = filters['status']
        if status is not None and status not in status_mod.ALL:
            raise exception.BadRequest(
                reason=_('unknown status "%(status)s"; one of: %(all)s')
                % {'status': status, 'all': ', '.join(status_mod.ALL)})
        limit = _limit()
        marker = base.query_param('marker')
        records = executions_db.list_records(
            service=filters['service'], status_filter=status, limit=limit,
            marker=marker, policy=filters['policy'])
        if records is None:
            raise exception.BadRequest(
                reason=_('marker %s is not the id of an execution') % marker)
        answer = {'results': base.primitive(records)}
        if len(records) == limit:
            params = [(k, v) for k, v in filters.items() if v is not None]
            params += [('limit', limit), ('marker', records[-1]['id'])]
            answer['next'] = '%s?%s' % (base.link('v1', 'executions'),
                                        urllib.parse.urlencode(params))
        return answer

    @pecan.expose()
    def _lookup(self, execution_id, *remainder):
        return ExecutionController(execution_id), remainder
