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

"""/v1/policies: policies, their rules, tables and rows.

Policies and rules are stored here (the database is the source of truth);
the policy engines check rules before they are stored, reload on
``policies_changed`` and answer queries.
"""

from oslo_log import log as logging
import pecan

from congress.api.controllers import base
from congress.api.controllers import execute as execute_mod
from congress.api.controllers import tables
from congress.api import library_store
from congress.api import validation
from congress import conf
from congress.db import executions as executions_db
from congress.db import models
from congress.db import policies as policies_db
from congress.dse import topics
from congress import exception
from congress.i18n import _
from congress.policy import builtin_functions
from congress.policy import engine as engine_mod
from congress.policy import errors as policy_errors
from congress.policy import lexer
from congress.policy import modes


CONF = conf.CONF
LOG = logging.getLogger(__name__)


# the names the Datalog of the engine can refer to
POLICY_NAME = validation.string(models.Policy.name, minLength=1,
                                pattern='^%s$' % lexer.NAME_PATTERN)

RULE = {
    'type': 'object',
    'properties': {
        'rule': validation.string(models.PolicyRule.rule, minLength=1),
        'name': validation.string(models.PolicyRule.name, nullable=True),
        'comment': validation.string(models.PolicyRule.comment,
                                     nullable=True),
    },
    'required': ['rule'],
    'additionalProperties': False,
}

POLICY = {
    'type': 'object',
    'properties': {
        'name': POLICY_NAME,
        'abbreviation': validation.string(
            models.Policy.abbreviation, nullable=True, minLength=1,
            pattern=r'^[A-Za-z0-9_]+$'),
        'kind': {'enum': list(engine_mod.KINDS) + [None]},
        'description': validation.string(models.Policy.description,
                                         nullable=True),
        'rules': {'type': 'array', 'items': RULE},
        'enforcement': {'enum': list(modes.ALL) + [None]},
        'max_table_share_percent': {'type': ['number', 'null'],
                                    'minimum': 0, 'maximum': 100},
    },
    'required': ['name'],
    'additionalProperties': False,
}

#: What PATCH /v1/policies/{policy} changes: its enforcement mode, its
#: share-of-table limit, or both.
POLICY_UPDATE = {
    'type': 'object',
    'properties': {
        'enforcement': {'enum': list(modes.ALL)},
        'max_table_share_percent': POLICY['properties'][
            'max_table_share_percent'],
    },
    'minProperties': 1,
    'additionalProperties': False,
}

SIMULATE = {
    'type': 'object',
    'properties': {
        'query': {'type': 'string', 'minLength': 1},
        'sequence': {'type': 'string'},
        'action_policy': {'type': 'string', 'minLength': 1},
    },
    'required': ['query', 'sequence', 'action_policy'],
    'additionalProperties': False,
}


def engine():
    """The engine client, once an engine is on the bus (503 otherwise:
    a call would only time out)."""
    backends = base.backends()
    if not backends.node.directory.lookup(topics.ENGINE_SERVICE):
        raise exception.RPCError(reason=_('no policy engine is running'))
    return backends.engine_api


def _notify_engines():
    try:
        base.backends().engine_api.policies_changed(base.context())
    except Exception as exc:
        # engines also reload periodically: a lost fanout only delays
        LOG.warning('Could not tell the policy engines about a change: %s',
                    exc)


def find_policy(ident):
    policy = policies_db.get_policy(ident)
    if policy is None:
        raise exception.NotFound(resource=_('Policy'), id=ident)
    return policy


def create_policy(document, owner_id):
    """Store a policy with its rules, all or nothing; its enforcement mode
    is ``[execution] default_enforcement`` unless the document has one."""
    if document['name'] in builtin_functions.RESERVED_NAMES:
        raise policy_errors.ReservedPolicyName(document['name'])
    policy = policies_db.create_policy(
        document['name'], abbreviation=document.get('abbreviation'),
        kind=document.get('kind') or engine_mod.NONRECURSIVE,
        description=document.get('description'), owner_id=owner_id,
        enforcement=(document.get('enforcement') or
                     CONF.execution.default_enforcement),
        max_table_share_percent=document.get('max_table_share_percent'))
    ctx = base.context()
    try:
        rules = document.get('rules') or []
        if rules:
            api = engine()
            for rule in rules:
                api.check_rule(base.context(), policy['name'], rule['rule'])
                policies_db.create_rule(policy['id'], rule['rule'],
                                        name=rule.get('name'),
                                        comment=rule.get('comment'),
                                        user_id=ctx.user_id,
                                        project_id=ctx.project_id)
    except Exception:
        policies_db.delete_policy(policy['id'])
        raise
    return policy


def with_status(policy, rules):
    """``rules`` (stored rows) with the engine's ``status`` of each:
    ``enabled``, or ``disabled`` with a ``status_reason`` (a rule waiting
    for the schema of its data source, or one the engine cannot load).
    Without them when no engine answers: the stored rules stay readable."""
    try:
        status = engine().get_status(base.context(), policy['name']) or {}
    except exception.CongressException as exc:
        LOG.info('Rules of %(p)s without their status: %(e)s',
                 {'p': policy['name'], 'e': exc})
        return rules
    reasons = dict(status.get('rule_errors') or {})
    reasons.update(status.get('disabled_rules') or {})
    return [dict(rule, status='disabled' if rule['id'] in reasons
                 else 'enabled', status_reason=reasons.get(rule['id']))
            for rule in rules]


class RuleController(object):

    def __init__(self, policy_ident, rule_id):
        self.policy_ident = policy_ident
        self.rule_id = rule_id

    def _rule(self):
        policy = find_policy(self.policy_ident)
        rule = policies_db.get_rule(policy['id'], self.rule_id)
        if rule is None:
            raise exception.NotFound(resource=_('Rule'), id=self.rule_id)
        return policy, rule

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:policy_rule:get')
        policy, rule = self._rule()
        return with_status(policy, [rule])[0]

    @base.when(index, 'DELETE')
    def delete(self, **kwargs):
        base.authorize('congress:policy_rule:delete')
        policy, rule = self._rule()
        deleted = policies_db.delete_rule(policy['id'], rule['id'])
        if deleted is None:
            raise exception.NotFound(resource=_('Rule'), id=self.rule_id)
        _notify_engines()
        return deleted


class RulesController(object):

    def __init__(self, policy_ident):
        self.policy_ident = policy_ident

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get_all(self, **kwargs):
        base.authorize('congress:policy_rule:list')
        policy = find_policy(self.policy_ident)
        return {'results': with_status(
            policy, policies_db.list_rules(policy['id']))}

    @base.when(index, 'POST')
    def post(self, **kwargs):
        base.authorize('congress:policy_rule:create')
        body = base.json_object()
        validation.validate(body, RULE)
        policy = find_policy(self.policy_ident)
        engine().check_rule(base.context(), policy['name'], body['rule'])
        rule = policies_db.create_rule(policy['id'], body['rule'],
                                       name=body.get('name'),
                                       comment=body.get('comment'),
                                       user_id=base.context().user_id,
                                       project_id=base.context().project_id)
        _notify_engines()
        base.set_status(201, base.link('v1', 'policies', policy['name'],
                                       'rules', rule['id']))
        return rule

    @pecan.expose()
    def _lookup(self, rule_id, *remainder):
        return RuleController(self.policy_ident, rule_id), remainder


class PolicyRowsController(object):

    def __init__(self, policy_ident, table):
        self.policy_ident = policy_ident
        self.table = table

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=('trace',))
    def get(self, **kwargs):
        base.authorize('congress:policy:get_rows')
        trace = base.bool_param('trace')
        policy = find_policy(self.policy_ident)
        answer = engine().get_rows(base.context(), policy['name'],
                                   self.table, trace=trace)
        if not trace and isinstance(answer, dict):
            answer.pop('trace', None)
        return answer


class PolicyTables(tables.TableSource):
    """The tables of a policy, as its engine derives them."""

    def __init__(self, policy_ident):
        self.policy_ident = policy_ident

    def check_access(self):
        base.authorize('congress:policy:get_tables')

    def table_names(self):
        policy = find_policy(self.policy_ident)
        found = engine().get_tables(base.context(), policy['name']) or []
        return sorted(t['id'] if isinstance(t, dict) else t for t in found)

    def rows_controller(self, table):
        return PolicyRowsController(self.policy_ident, table)


class PolicyController(object):

    def __init__(self, ident):
        self.ident = ident
        self.rules = RulesController(ident)
        self.tables = tables.TablesController(PolicyTables(ident))

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:policy:get')
        return find_policy(self.ident)

    @base.when(index, 'DELETE')
    def delete(self, **kwargs):
        base.authorize('congress:policy:delete')
        policy = find_policy(self.ident)
        if policy['name'] in dict(engine_mod.BUILTIN_POLICIES):
            raise exception.Forbidden(
                reason=_('policy %s is built in and cannot be deleted')
                % policy['name'])
        deleted = policies_db.delete_policy(policy['id'])
        if deleted is None:
            raise exception.NotFound(resource=_('Policy'), id=self.ident)
        _notify_engines()
        return deleted

    @base.when(index, 'PATCH')
    def patch(self, **kwargs):
        """Change the policy's enforcement mode or share-of-table limit.

        The actions its rules fired before stay as they are: leaving
        ``audit`` runs none of those it proposed, leaving ``approve`` none
        awaiting approval (they still can be approved or rejected); only
        rows that appear from now on follow the new mode."""
        base.authorize('congress:policy:update')
        body = base.json_object()
        validation.validate(body, POLICY_UPDATE)
        policy = find_policy(self.ident)
        answer = dict(policy)
        if 'max_table_share_percent' in body:
            answer = policies_db.set_table_share(
                policy['id'], body['max_table_share_percent'])
            if answer is None:
                raise exception.NotFound(resource=_('Policy'), id=self.ident)
        if 'enforcement' in body:
            answer.update(self._set_enforcement(policy,
                                                body['enforcement']))
        _notify_engines()
        return answer

    def _set_enforcement(self, policy, mode):
        """Record the policy's new mode; returns what the answer says of
        it."""
        ctx = base.context()
        previous = policies_db.set_enforcement(
            policy['id'], mode, user_id=ctx.user_id,
            project_id=ctx.project_id)
        if previous is None:
            raise exception.NotFound(resource=_('Policy'), id=self.ident)
        answer = {'enforcement': mode, 'previous_enforcement': previous}
        if previous != mode:
            proposed, awaiting = executions_db.held_counts(policy['name'])
            answer['note'] = _(
                'Enforcement changed from %(old)s to %(new)s for the actions '
                'the rules fire from now on. Nothing fired before is run by '
                'this change: %(proposed)d proposed actions stay proposed, '
                '%(awaiting)d awaiting approval still wait for an admin.') % {
                    'old': previous, 'new': mode, 'proposed': proposed,
                    'awaiting': awaiting}
        return answer

    @base.when(index, 'POST', params=base.BY_ACTION)
    def post(self, **kwargs):
        handler = base.action_param({'execute': self._execute,
                                     'simulate': self._simulate})
        return handler()

    @base.allows('trace', 'delta')
    def _execute(self):
        base.authorize('congress:policy:execute')
        # trace and delta may be given by old clients; they mean nothing
        # here
        call = execute_mod.parse_body()
        policy = find_policy(self.ident)
        ctx = base.context().to_dict()
        ctx = type(base.context()).from_dict(ctx)
        ctx.policy = policy['name']
        record = base.backends().runtime.run(call, context=ctx)
        return execute_mod.accepted(record)

    @base.allows('trace', 'delta')
    def _simulate(self):
        base.authorize('congress:policy:simulate')
        delta = base.bool_param('delta')
        trace = base.bool_param('trace')
        body = base.json_object()
        validation.validate(body, SIMULATE)
        policy = find_policy(self.ident)
        return engine().simulate(base.context(), policy['name'],
                                 body['query'], body['sequence'],
                                 body['action_policy'], delta=delta,
                                 trace=trace)

    @base.expose_resource
    def status(self):
        pass

    @base.when(status, 'GET')
    def get_status(self, **kwargs):
        base.authorize('congress:policy:get_status')
        policy = find_policy(self.ident)
        status = dict(engine().get_status(base.context(), policy['name'])
                      or {})
        status.setdefault('name', policy['name'])
        status.setdefault('id', policy['id'])
        return status


class PoliciesController(object):

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get_all(self, **kwargs):
        base.authorize('congress:policy:list')
        return {'results': policies_db.list_policies()}

    @base.when(index, 'POST', params=('library_policy',))
    def post(self, **kwargs):
        base.authorize('congress:policy:create')
        library_id = base.query_param('library_policy')
        if library_id is not None:
            body = base.json_object(required=False)
            if body:
                raise exception.BadRequest(
                    reason=_('with ?library_policy= the body must be '
                             'empty'))
            document = library_store.get_store().get(library_id)
            document = {k: v for k, v in document.items() if k != 'id'}
        else:
            document = base.json_object()
        validation.validate(document, POLICY)
        owner = base.context().user_id or 'user'
        policy = create_policy(document, owner)
        _notify_engines()
        base.set_status(201, base.link('v1', 'policies', policy['id']))
        return policy

    @pecan.expose()
    def _lookup(self, ident, *remainder):
        return PolicyController(ident), remainder
