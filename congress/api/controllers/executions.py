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

"""/v1/executions: the audit trail of every requested action."""

import urllib.parse

from oslo_utils import timeutils
import pecan

from congress.api.controllers import base
from congress.api import validation
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


def _time(name, raw):
    """A query parameter's ISO 8601 time as naive UTC."""
    if raw is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(raw))
    except ValueError:
        raise exception.BadRequest(
            reason=_('"%(name)s" must be an ISO 8601 time, e.g. '
                     '2026-12-01T15:00:00Z, not "%(value)s"')
            % {'name': name, 'value': raw})


def _status(value):
    if value is not None and value not in status_mod.ALL:
        raise exception.BadRequest(
            reason=_('unknown status "%(status)s"; one of: %(all)s')
            % {'status': value, 'all': ', '.join(status_mod.ALL)})
    return value


_FILTER_STRING = {'type': 'string', 'minLength': 1, 'maxLength': 255}

#: The body of a batch approval or rejection: which records awaiting
#: approval it decides (all of the filters given must match).
BATCH = {
    'type': 'object',
    'properties': {
        'ids': {'type': 'array', 'minItems': 1,
                'items': {'type': 'string', 'minLength': 1,
                          'maxLength': 36}},
        'policy': _FILTER_STRING,
        'rule_id': _FILTER_STRING,
        'service': _FILTER_STRING,
        'created_before': {'type': 'string'},
        'reason': {'type': 'string', 'maxLength': 1024},
    },
    'additionalProperties': False,
}

#: A batch names at least one of these, lest it decide everything.
BATCH_REQUIRED = ('ids', 'policy', 'rule_id')

DECISION = {
    'type': 'object',
    'properties': {'reason': {'type': 'string', 'maxLength': 1024}},
    'additionalProperties': False,
}


def _decide(execution_id, action, reason=None):
    """Approve or reject one record; returns it."""
    runtime = base.backends().runtime
    if action == 'approve':
        return runtime.approve(execution_id, base.context())
    return runtime.reject_awaiting(execution_id, base.context(), reason)


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

    @base.when(index, 'POST', params=base.BY_ACTION)
    def post(self, **kwargs):
        return base.action_param({'approve': self._approve,
                                  'reject': self._reject})()

    def _approve(self):
        return self._decision('approve')

    def _reject(self):
        return self._decision('reject')

    def _decision(self, action):
        base.authorize('congress:execution:approve')
        body = base.json_object(empty={}, required=False)
        validation.validate(body, DECISION)
        return base.primitive(_decide(self.execution_id, action,
                                      body.get('reason')))


class ExecutionsController(object):

    FILTERS = ('service', 'status', 'policy', 'origin', 'user_id',
               'project_id', 'rule_id', 'created_since', 'created_before')

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=FILTERS + ('limit', 'marker'))
    def get_all(self, **kwargs):
        base.authorize('congress:execution:list')
        filters = {name: base.query_param(name) for name in self.FILTERS}
        status = _status(filters['status'])
        if filters['origin'] not in (None, status_mod.ORIGIN_API,
                                     status_mod.ORIGIN_POLICY):
            raise exception.BadRequest(
                reason=_('"origin" is "%(api)s" or "%(policy)s", not '
                         '"%(value)s"') % {'api': status_mod.ORIGIN_API,
                                           'policy': status_mod.ORIGIN_POLICY,
                                           'value': filters['origin']})
        limit = _limit()
        marker = base.query_param('marker')
        records = executions_db.list_records(
            status_filter=status, limit=limit, marker=marker,
            created_since=_time('created_since', filters['created_since']),
            created_before=_time('created_before',
                                 filters['created_before']),
            **{name: filters[name] for name in
               executions_db.EQUALITY_FILTERS + ('policy',)})
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

    @base.when(index, 'POST', params=base.BY_ACTION)
    def post(self, **kwargs):
        return base.action_param({'approve': self._approve_batch,
                                  'reject': self._reject_batch})()

    def _approve_batch(self):
        return self._batch('approve')

    def _reject_batch(self):
        return self._batch('reject')

    def _batch(self, action):
        """Decide the records awaiting approval that the body's filters
        match: the newest ``[api] max_limit`` of them (``more`` tells
        whether others are left); one another admin decided meanwhile is
        listed under ``conflicts``."""

        base.authorize('congress:execution:approve')
        body = base.json_object()
        validation.validate(body, BATCH)
        if not any(name in body for name in BATCH_REQUIRED):
            raise exception.BadRequest(
                reason=_('a batch decision needs at least one of %s') %
                ', '.join('"%s"' % name for name in BATCH_REQUIRED))
        limit = CONF.api.max_limit
        records = executions_db.list_records(
            status_filter=status_mod.AWAITING_APPROVAL, limit=limit + 1,
            policy=body.get('policy'), rule_id=body.get('rule_id'),
            service=body.get('service'), ids=body.get('ids'),
            created_before=_time('created_before',
                                 body.get('created_before')))
        decided, conflicts = [], []
        for record in reversed(records[:limit]):
            try:
                decided.append(_decide(record['id'], action,
                                       body.get('reason')))
            except exception.ExecutionNotAwaitingApproval as exc:
                conflicts.append({'id': record['id'], 'reason': str(exc)})
        key = 'approved' if action == 'approve' else 'rejected'
        return {key: base.primitive(decided), 'conflicts': conflicts,
                'more': len(records) > limit}

    @pecan.expose()
    def _lookup(self, execution_id, *remainder):

        return ExecutionController(execution_id), remainder
