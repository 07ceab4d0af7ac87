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

"""PolicyEngine: the policies, their rules and the data they read.

The engine is a library: the code around it feeds it data source tables
(``initialize_table``, ``receive_delta``) and rules, and it keeps every
policy table up to date incrementally.  When a row appears in an
``execute[service:action]`` table it hands an :class:`ActionRequest` to
the ``action_sink``.  Every public method is thread-safe; the sink is
called after the engine's lock is released.
"""

import contextlib
import dataclasses
import re
import threading
import uuid

from oslo_log import log as logging
from oslo_utils import timeutils

from congress import exception
from congress.i18n import _
from congress.policy import builtin_functions
from congress.policy import compiler
from congress.policy import dependency_graph
from congress.policy import enforcement
from congress.policy import errors
from congress.policy import evaluation
from congress.policy import explanation
from congress.policy import lexer
from congress.policy import modes
from congress.policy import parser
from congress.policy import simulation
from congress.policy import syntax_tree
from congress.policy import tables as tables_mod

LOG = logging.getLogger(__name__)

ActionRequest = enforcement.ActionRequest
ActionSink = enforcement.ActionSink

NONRECURSIVE = 'nonrecursive'
ACTION = compiler.ACTION_KIND
DATABASE = 'database'
MATERIALIZED = 'materialized'
KINDS = (NONRECURSIVE, ACTION, DATABASE, MATERIALIZED)
BUILTIN_POLICIES = (('classification', NONRECURSIVE), ('action', ACTION))
MAX_ABBREVIATION = 5

_POLICY_NAME_RE = re.compile('^%s$' % lexer.NAME_PATTERN)


ENABLED = 'enabled'
DISABLED = 'disabled'


@dataclasses.dataclass
class _Rule:
    """A rule of a policy.

    ``compiled`` is None while the rule is disabled: ``disabled`` then says
    why (it names columns of a data source whose schema is not known yet,
    or that schema no longer fits it); it is compiled again whenever the
    schema of a data source it reads changes.
    """

    id: str
    compiled: compiler.CompiledRule
    name: str
    comment: str
    source: syntax_tree.Rule = None
    disabled: str = None
    user_id: str = None
    project_id: str = None

    @property
    def text(self):
        return str(self.source)

    def to_dict(self):
        return {'id': self.id, 'rule': self.text,
                'name': self.name, 'comment': self.comment,
                'status': DISABLED if self.disabled else ENABLED,
                'status_reason': self.disabled}

    def reads(self, services):
        """Whether the rule reads a table of one of ``services``."""
        return any(atom.qualifier in services for atom in self.source.body)


@dataclasses.dataclass
class _Policy:
    id: str
    name: str
    kind: str
    abbreviation: str
    description: str
    owner_id: str
    rules: dict = dataclasses.field(default_factory=dict)
    fired: int = 0
    rejected: int = 0
    last_rejected: dict = None
    last_error: str = None
    enforcement: str = modes.ENFORCE
    # the policy's own share-of-table limit (None: the engine's)
    max_table_share_percent: float = None

    def to_dict(self):
        return {'id': self.id, 'name': self.name, 'kind': self.kind,
                'abbreviation': self.abbreviation,
                'description': self.description, 'owner_id': self.owner_id,
                'enforcement': self.enforcement}


class PolicyEngine(object):
    """Datalog policies evaluated incrementally, with reactive enforcement.

    :param action_sink: an :class:`ActionSink`; None drops the actions.
    :param schema_lookup: ``schema_lookup(service)`` returns
        ``{table: [column, ...]}`` or None for an unknown service.
    :param max_actions_per_change: most actions one rule may fire from one
        change; a larger batch is rejected whole (None: no limit).
    :param simulate_max_steps, simulate_timeout: bounds of one simulation
        (elements of its sequence, seconds of evaluation; None: none).
    :param max_table_share_percent, table_share_min_actions: the
        share-of-table limit (see ``enforcement.limit_share``; None or 0:
        none) of the policies that set none of their own.
    :param recent_actions: ``recent_actions(policy, rule_id)``, how many
        actions the rule fired over the last hour, for the hourly share
        limit (None, or a call answering None: no hourly limit); called
        outside the engine's lock.
    """

    def __init__(self, action_sink=None, schema_lookup=None,
                 max_actions_per_change=10, simulate_max_steps=None,
                 simulate_timeout=None, max_table_share_percent=None,
                 table_share_min_actions=0, recent_actions=None):
        self.action_sink = action_sink
        self.max_table_share_percent = max_table_share_percent
        self.table_share_min_actions = table_share_min_actions
        self.recent_actions = recent_actions
        self.schema_lookup = schema_lookup
        self.max_actions_per_change = max_actions_per_change
        self.simulate_max_steps = simulate_max_steps
        self.simulate_timeout = simulate_timeout
        self._lock = threading.RLock()
        # per thread: the batches a caller of sending_after() holds back
        self._held = threading.local()
        self._policies = {}
        self._arities = {}
        self._simulating = False
        self.evaluator = evaluation.Evaluator(
            watched=lambda key: key[1].startswith('execute['))
        for name, kind in BUILTIN_POLICIES:
            self.create_policy(name, kind=kind,
                               description=_('Built-in policy'))

    # Policies

    def create_policy(self, name, kind=NONRECURSIVE, abbreviation=None,
                      description=None, owner_id='user', policy_id=None,
                      enforcement=modes.ENFORCE):
        """Create an empty policy and return its description."""
        kind = kind or NONRECURSIVE
        if not isinstance(name, str) or not _POLICY_NAME_RE.match(name):
            raise exception.PolicyException(
                _('Invalid policy name %r: use letters, digits and "_", '
                  'starting with a letter or "_", with single "." or "-" '
                  'between them') % (name,))
        if name in builtin_functions.RESERVED_NAMES:
            raise errors.ReservedPolicyName(name)
        if kind not in KINDS:
            raise exception.PolicyException(
                _('Invalid policy kind %(kind)r: one of %(kinds)s') %
                {'kind': kind, 'kinds': ', '.join(KINDS)})
        if abbreviation is not None and len(abbreviation) > MAX_ABBREVIATION:
            raise exception.PolicyException(
                _('The abbreviation %(a)r is longer than %(n)d characters') %
                {'a': abbreviation, 'n': MAX_ABBREVIATION})
        with self._lock:
            if name in self._policies:
                raise errors.PolicyExists(name)
            policy = _Policy(policy_id or str(uuid.uuid4()), name, kind,
                             abbreviation or name[:MAX_ABBREVIATION],
                             description or '', owner_id,
                             enforcement=enforcement or modes.ENFORCE)
            self._policies[name] = policy
            return policy.to_dict()

    def delete_policy(self, name):
        """Delete a policy and its rules (not a built-in one)."""
        with self._lock:
            policy = self._policy(name)
            if policy.name in dict(BUILTIN_POLICIES):
                raise errors.BuiltinPolicy(policy.name)
            batches = []
            for rule in list(policy.rules.values()):
                del policy.rules[rule.id]
                if rule.compiled is not None:
                    batches += self.remove_compiled(rule.compiled)
            del self._policies[policy.name]
        self._send(batches)

    def set_enforcement(self, name, mode):
        """Switch the policy to ``mode`` (see :mod:`congress.policy.modes`):
        the actions fired from now on follow it."""
        with self._lock:
            self._policy(name).enforcement = mode

    def action_origin(self, policy, rule_id):
        """What the actions of rule ``rule_id`` of ``policy`` are recorded
        and treated with: ``{'enforcement', 'owner_id', 'user_id',
        'project_id'}`` (the user and project who created the rule);
        None for a policy the engine no longer has."""
        with self._lock:
            record = self._policies.get(policy)
            if record is None:
                return None
            rule = record.rules.get(rule_id)
            return {'enforcement': record.enforcement,
                    'owner_id': record.owner_id,
                    'user_id': rule.user_id if rule else None,
                    'project_id': rule.project_id if rule else None}

    def set_table_share(self, name, percent):
        """Set the share-of-table limit of policy ``name`` (None: the
        engine's)."""
        with self._lock:
            self._policy(name).max_table_share_percent = percent

    def _table_share(self, name):
        policy = self._policies.get(name)
        if policy is not None and policy.max_table_share_percent is not None:
            return policy.max_table_share_percent
        return self.max_table_share_percent

    def policy_names(self):
        with self._lock:
            return list(self._policies)

    def get_policy(self, name):
        """The policy's description; ``name`` may also be its id."""
        with self._lock:
            return self._policy(name).to_dict()

    def policy_status(self, policy):
        """Counters of the policy's actions and the last rejected batch."""
        with self._lock:
            record = self._policy(policy)
            status = record.to_dict()
            status.update(rules=len(record.rules),
                          disabled_rules={
                              rule.id: rule.disabled
                              for rule in record.rules.values()
                              if rule.disabled},
                          actions_fired=record.fired,
                          actions_rejected=record.rejected,
                          last_rejected=record.last_rejected,
                          last_error=record.last_error)
            return status

    def _policy(self, name):
        policy = self._policies.get(name)
        if policy is None:
            for candidate in self._policies.values():
                if candidate.id == name:
                    return candidate
            raise errors.PolicyNotFound(name)
        return policy

    # Rules

    def insert_rule(self, policy, text, rule_id=None, name=None,
                    comment=None, user_id=None, project_id=None):
        """Parse, check and add one rule or fact.

        A rule naming columns of a data source whose schema is not known
        yet is kept, disabled, until :meth:`schemas_changed` brings it.

        :raises PolicySyntaxError, UnsafeRule, SchemaMismatch,
            RecursionNotAllowed, InvalidRule: the rule is refused.
        :raises DuplicateRule: the policy already has this rule.
        """
        with self._lock:
            record = self._policy(policy)
            source, compiled, waiting = self._compile_new(record, text)
            rule_id = rule_id or str(uuid.uuid4())
            if any(rule_id in p.rules for p in self._policies.values()):
                raise exception.Conflict(
                    reason=_('rule id %s is taken') % rule_id)
            rule = _Rule(rule_id, compiled, name or '', comment or '',
                         source, waiting, user_id, project_id)
            record.rules[rule_id] = rule
            batches = self.add_compiled(compiled) if compiled else []
        self._send(batches)
        return rule.to_dict()

    def check_rule(self, policy, text):
        """Raise what ``insert_rule`` would raise for ``text``, changing
        nothing."""
        with self._lock:
            self._compile_new(self._policy(policy), text)

    def _compile_new(self, record, text):
        """Compile a rule new to ``record``, checking everything that
        inserting it would check.

        Returns (parsed rule, compiled rule or None, why it waits or None).
        """
        source = parser.parse_rule(text)
        for existing in record.rules.values():
            if existing.text == str(source):
                raise exception.DuplicateRule(policy=record.name,
                                              rule=str(source))
        try:
            compiled = self.compile(record, source)
        except errors.SchemaUnknown as exc:
            return source, None, str(exc)
        self.check_strata(list(self.evaluator.rules) + [compiled])
        return source, compiled, None

    def delete_rule(self, policy, rule_id):
        """Remove a rule; returns it."""
        with self._lock:
            record = self._policy(policy)
            rule = record.rules.pop(rule_id, None)
            if rule is None:
                raise errors.RuleNotFound(rule_id)
            batches = (self.remove_compiled(rule.compiled)
                       if rule.compiled is not None else [])
        self._send(batches)
        return rule.to_dict()

    def schemas_changed(self, services):
        """The schemas of ``services`` were learned, changed or forgotten:
        compile again every rule that reads them.

        A disabled rule that now fits is enabled; an enabled rule that no
        longer fits (its data source was recreated with another schema, or
        its schema is unknown again) is disabled with the reason.
        """
        services = set(services)
        batches = []
        with self._lock:
            affected = [(record, rule)
                        for record in list(self._policies.values())
                        for rule in record.rules.values()
                        if rule.reads(services)]
            for _record, rule in affected:
                if rule.compiled is not None:
                    batches += self.remove_compiled(rule.compiled)
                    rule.compiled = None
            batches += self._drop_misfit_tables(services)
            for record, rule in affected:
                batches += self._recompile(record, rule)
        self._send(batches)

    def _drop_misfit_tables(self, services):
        """Forget the rows of the tables of ``services`` whose schema is
        now unknown (deleted, or recreated and not answering yet) or of
        another width (rows of a data source recreated with another schema
        mean nothing now); its next snapshot fills them. No rule reads them
        meanwhile."""
        batches = []
        for key in [key for key in self.evaluator.tables
                    if key[0] in services]:
            table = self.evaluator.tables[key]
            columns = self.columns(*key)
            if columns is not None and table.arity in (None, len(columns)):
                continue
            batches += self._enforce(self.evaluator.update_base(
                key, (), list(table.rows)))
            del self.evaluator.tables[key]
        return batches

    def _recompile(self, record, rule):
        """Compile ``rule`` (not compiled now) again: enabled if it fits,
        else disabled with the reason."""
        try:
            compiled = self.compile(record, rule.source)
            self.check_strata(list(self.evaluator.rules) + [compiled])
        except exception.PolicyException as exc:
            if not isinstance(exc, errors.SchemaUnknown):
                LOG.warning('Rule %(id)s of policy %(p)s is disabled: %(e)s',
                            {'id': rule.id, 'p': record.name, 'e': exc})
            rule.disabled = str(exc)
            return []
        rule.compiled, rule.disabled = compiled, None
        return self.add_compiled(compiled)

    def rules(self, policy):
        with self._lock:
            return [rule.to_dict()
                    for rule in self._policy(policy).rules.values()]

    def get_rule(self, policy, rule_id):
        with self._lock:
            rule = self._policy(policy).rules.get(rule_id)
            if rule is None:
                raise errors.RuleNotFound(rule_id)
            return rule.to_dict()

    def compile(self, record, rule, unqualified=None):
        """Compile a parsed rule for policy ``record`` (no side effect)."""
        return compiler.compile_rule(rule, record.name, record.kind,
                                     self.resolver(), unqualified)

    def compile_fact(self, policy, atom):
        """Compile the fact ``atom`` of ``policy`` (for simulation)."""
        return self.compile(self._policy(policy),
                            syntax_tree.Rule(atom))

    def facts(self, key, row):
        """The compiled facts (rules without body) that state ``row``."""
        return list(self.evaluator.facts.get((key, row), ()))

    def resolver(self):
        """What the compiler needs to know about names and schemas."""
        return _Resolver(self)

    def is_policy(self, name):
        return name in self._policies

    def check_strata(self, rules):
        dependency_graph.Strata(rules).check(self._recursion_allowed)

    def _recursion_allowed(self, namespace):
        policy = self._policies.get(namespace)
        return policy is None or policy.kind != NONRECURSIVE

    def add_compiled(self, compiled):
        for lit in (compiled.head,) + compiled.body:
            if lit.table is not None:
                arity, count = self._arities.get(lit.table, (len(lit.args),
                                                             0))
                self._arities[lit.table] = (arity, count + 1)
        return self._enforce(self.evaluator.add_rule(compiled))

    def remove_compiled(self, compiled):
        for lit in (compiled.head,) + compiled.body:
            if lit.table is not None:
                arity, count = self._arities[lit.table]
                if count == 1:
                    del self._arities[lit.table]
                else:
                    self._arities[lit.table] = (arity, count - 1)
        return self._enforce(self.evaluator.remove_rule(compiled))

    # Tables and queries

    def tables(self, policy):
        """Names of the tables the policy's rules define or read.

        Names are as the policy writes them (``nova:servers``, ``error``).
        """
        with self._lock:
            record = self._policy(policy)
            names = set()
            for rule in record.rules.values():
                if rule.compiled is None:
                    continue
                for lit in (rule.compiled.head,) + rule.compiled.body:
                    if lit.table is not None:
                        names.add(compiler.display_table(lit.table,
                                                         record.name))
            return sorted(names)

    def table_key(self, policy, table):
        """The (namespace, table) key of ``table`` as ``policy`` names it.

        An action policy's ``other:table+`` is its own table (the rows its
        rules derive for ``other``)."""
        if table.startswith('execute[') or ':' not in table:
            return (policy, table)
        record = self._policies.get(policy)
        if (record is not None and record.kind == ACTION and
                table.endswith(compiler.UPDATE_SUFFIXES)):
            return (policy, table)
        namespace, _sep, name = table.partition(':')
        return (namespace, name)

    def select(self, policy, table, trace=False):
        """The sorted rows of a table, and optionally where they come from.

        Returns (rows, trace text or None).  The rows are sorted after the
        engine lock is released.
        """
        with self._lock:
            record = self._policy(policy)
            key = self.table_key(record.name, table)
            rows = self.evaluator.rows(key)
            text = None
            if trace:
                rows.sort(key=_sort_key)
                text = explanation.trace_rows(self.evaluator, key, rows,
                                              record.name)
        if not trace:
            rows.sort(key=_sort_key)
        return rows, text

    def query(self, policy, query_text, trace=False):
        """Instances of a query such as ``error(x, y)``, as Datalog text.

        Returns (sorted instances, trace text or None).  A query that takes
        longer than a short slice under the engine lock is answered again
        on a fork, outside the lock (see :mod:`congress.policy.simulation`).
        """
        with self._lock:
            record = self._policy(policy)
            try:
                rule, solutions = simulation.query_solutions(
                    self, record.name, query_text, simulation.query_clock())
            except simulation.SliceOver:
                fork = self._fork()
            else:
                if trace:
                    return simulation.render_query(self, rule, solutions,
                                                   trace)
                fork = None
        if fork is None:
            # the text of the answers needs no table: outside the lock
            return simulation.render_query(None, rule, solutions)
        return simulation.run_query(fork, record.name, query_text, trace)

    def simulate(self, policy, query, sequence, action_policy, delta=False,
                 trace=False):
        """Answer ``query`` as if ``sequence`` had happened.

        ``sequence`` lists updates (``p+(1)``, ``nova:servers-("id", ...)``),
        rule updates (``p+(x) :- q(x)``) and actions described by
        ``action_policy``.  Returns ``{"result": [...], "trace": text or
        None}``.  It runs on a fork of the engine, outside its lock, and
        changes nothing (see :mod:`congress.policy.simulation`).

        :raises SimulationTooLarge: beyond ``simulate_max_steps`` or
            ``simulate_timeout``.
        """
        elements = simulation.parse_sequence(sequence,
                                             self.simulate_max_steps)
        with self._lock:
            record = self._policy(policy)
            action_record = (self._policy(action_policy)
                             if action_policy else None)
            fork = self._fork()
        return simulation.simulate(
            fork, record.name, query, elements,
            action_record.name if action_record else None, delta, trace,
            self.simulate_timeout)

    def _fork(self):
        """A private copy of the engine that never fires: a simulation or a
        long query runs on it without the engine lock."""
        fork = PolicyEngine.__new__(PolicyEngine)
        fork.action_sink = None
        fork.schema_lookup = self.schema_lookup
        fork.max_actions_per_change = None
        fork.simulate_max_steps = self.simulate_max_steps
        fork.simulate_timeout = self.simulate_timeout
        fork._lock = threading.RLock()
        fork._policies = {
            name: dataclasses.replace(policy, rules={
                rule_id: dataclasses.replace(rule)
                for rule_id, rule in policy.rules.items()})
            for name, policy in self._policies.items()}
        fork._arities = dict(self._arities)
        fork._simulating = True
        fork.evaluator = self.evaluator.fork()
        return fork

    def subscribed_tables(self):
        """(service, table) pairs that the rules read from data sources."""
        with self._lock:
            return {lit.table for rule in self.evaluator.rules
                    for lit in rule.body if lit.service and
                    lit.table[0] not in self._policies}

    # Data

    def initialize_table(self, service, table, rows):
        """Replace all rows of a data source table."""
        with self._lock:
            key = (service, table)
            new = self.check_rows(key, rows)
            old = self.evaluator.tables.get(key)
            old = set(old.rows) if old is not None else set()
            batches = self._enforce(self.evaluator.update_base(
                key, [row for row in new if row not in old],
                [row for row in old if row not in new]))
        self._send(batches)

    def receive_delta(self, service, table, added, removed):
        """Apply a change of a data source table.

        Rows in ``removed`` are deleted first, then ``added`` are inserted.
        """
        with self._lock:
            key = (service, table)
            added = self.check_rows(key, added)
            removed = self.check_rows(key, removed)
            batches = self._enforce(self.evaluator.update_base(
                key, added, removed))
        self._send(batches)

    def tick(self):
        """Evaluate again the rules that read the time (``now``): the
        execute rows that appear as time passes fire, once (a row still
        there at the next tick fires nothing new)."""
        with self._lock:
            batches = self._enforce(self.evaluator.refresh_volatile())
        self._send(batches)

    def check_rows(self, key, rows):
        """Rows as frozen tuples, all of the table's arity."""
        if key[0] in self._policies:
            raise exception.PolicyException(
                _('%s is a policy, not a data source: its tables are '
                  'derived by its rules') % key[0])
        frozen = dict.fromkeys(tables_mod.freeze_row(row) for row in rows)
        if not frozen:
            return frozen
        arity = self.arity(key)
        if arity is None:
            arity = len(next(iter(frozen)))
        for row in frozen:
            if len(row) != arity:
                raise exception.SchemaMismatch(
                    _('Rows of %(s)s:%(t)s have %(n)d columns, not %(m)d') %
                    {'s': key[0], 't': key[1], 'n': len(row), 'm': arity})
        self.evaluator.table(key).arity = arity
        return frozen

    def arity(self, key):
        """The known number of columns of a table, or None."""
        columns = self.columns(*key)
        if columns is not None:
            return len(columns)
        if key in self._arities:
            return self._arities[key][0]
        table = self.evaluator.tables.get(key)
        return table.arity if table is not None else None

    def columns(self, service, table):
        """Column names of a data source table, or None when unknown."""
        schema = self.schema(service)
        columns = schema.get(table) if schema else None
        return list(columns) if columns is not None else None

    def schema(self, service):
        """``{table: [column, ...]}`` of a data source, or None when
        unknown."""
        if self.schema_lookup is None or service in self._policies:
            return None
        try:
            return self.schema_lookup(service)
        except Exception:
            LOG.exception('Schema lookup of service %s failed', service)
            return None

    # Enforcement

    def action_rows(self):
        """``{(policy, execute table): rows}`` of every execute table."""
        with self._lock:
            return {key: set(table.rows)
                    for key, table in self.evaluator.tables.items()
                    if compiler.split_action_table(key[1]) is not None and
                    table.rows}

    def enforce_rows(self, rows):
        """Fire ``{(policy, execute table): rows}`` as if they had just
        appeared (rows that are not in their table are ignored), with the
        limits of a change."""
        with self._lock:
            changes = {}
            for key, wanted in rows.items():
                table = self.evaluator.tables.get(key)
                present = table.rows if table is not None else ()
                changes[key] = {row: 1 for row in wanted if row in present}
            batches = self._enforce(changes)
        self._send(batches)

    # Enforcement

    def _enforce(self, changes):
        """Batches of requests for the execute rows this change added, and
        the ``Withdrawal`` of those it removed."""
        if self._simulating or not changes:
            return []
        rule_ids = {rule.compiled: rule.id
                    for policy in self._policies.values()
                    for rule in policy.rules.values()
                    if rule.compiled is not None}
        batches = enforcement.limit_batches(
            enforcement.new_requests(self.evaluator, changes, rule_ids),
            self.max_actions_per_change)
        enforcement.note_sources(batches, self.evaluator,
                                 {v: k for k, v in rule_ids.items()})
        for batch in batches:
            enforcement.limit_share(batch, self._table_share(batch.policy),
                                    self.table_share_min_actions)
        batches = enforcement.explain(self.evaluator, batches)
        withdrawal = enforcement.withdrawn_rows(changes)
        return batches + ([withdrawal] if withdrawal else [])

    @contextlib.contextmanager
    def sending_after(self):
        """The actions the rules fire in this block (on this thread) go to
        the sink when it ends: a caller that holds a lock of its own across
        a change (one that reads of the engine take too) sends them, and
        writes their records, once it has let go."""
        if getattr(self._held, 'batches', None) is not None:
            yield  # an enclosing block sends them
            return
        self._held.batches = []
        try:
            yield
        finally:
            batches, self._held.batches = self._held.batches, None
            self._deliver(batches)

    def _send(self, batches):
        """Hand the batches to the sink (at the end of the enclosing
        ``sending_after`` block, if any)."""
        held = getattr(self._held, 'batches', None)
        if held is not None:
            held.extend(batches)
        else:
            self._deliver(batches)

    def _deliver(self, batches):
        """Hand the batches to the sink and count what it sent or
        refused."""
        if self.action_sink is None:
            return
        for batch in batches:
            policy = getattr(batch, 'policy', None)
            try:
                self._limit_hourly_share(batch)
                if isinstance(batch, enforcement.Withdrawal):
                    self.action_sink.withdraw(batch.rows)
                elif batch.reason is None:
                    sent, refused = self.action_sink.fire(batch.requests)
                    self._count(policy, sent, refused)
                else:
                    LOG.warning(batch.reason)
                    self._count(policy, 0, self.action_sink.reject(
                        batch.requests, batch.reason), batch)
            except Exception as exc:
                LOG.exception('The action sink failed')
                with self._lock:
                    record = self._policies.get(policy)
                    if record is not None:
                        record.last_error = str(exc)

    def _limit_hourly_share(self, batch):
        """Reject ``batch`` over its share of its table per hour (outside
        the lock: the count of the last hour may be read from afar)."""
        if (self.recent_actions is None or
                getattr(batch, 'table_rows', None) is None or batch.reason):
            return
        with self._lock:
            percent = self._table_share(batch.policy)
        if not percent:
            return
        recent = self.recent_actions(batch.policy, batch.rule_id)
        if recent is not None:
            enforcement.limit_share(batch, percent,
                                    self.table_share_min_actions, recent)

    def _count(self, name, sent, rejected, batch=None):
        with self._lock:
            policy = self._policies.get(name)
            if policy is None:
                return
            policy.fired += sent
            policy.rejected += rejected
            if batch is not None and rejected:
                policy.last_rejected = {
                    'rule_id': batch.rule_id, 'count': rejected,
                    'reason': batch.reason,
                    'time': timeutils.utcnow().isoformat()}


class _Resolver(object):
    """What the compiler asks the engine about names and schemas."""

    def __init__(self, engine):
        self.engine = engine

    def is_policy(self, name):
        return self.engine.is_policy(name)

    def has_schema(self, service):
        return self.engine.schema(service) is not None

    def columns(self, service, table):
        return self.engine.columns(service, table)

    def arity(self, key):
        return self.engine.arity(key)


def _sort_key(row):
    """Orders rows of mixed types: numbers, then strings, then others."""
    key = []
    for value in row:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            key.append((0, value, ''))
        elif isinstance(value, str):
            key.append((1, 0, value))
        else:
            key.append((2, 0, repr(value)))
    return tuple(key)
