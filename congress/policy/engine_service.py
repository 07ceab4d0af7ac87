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

"""The policy engine on the bus.

It loads policies and rules from the database (the source of truth the
API writes), subscribes to exactly the data-source tables its rules read,
answers queries over RPC and sends the actions its rules fire to
DseRuntime.

Every replica evaluates the same rules; the one holding the engine's
leader lock fires. The fired set (``congress.db.fired_actions``) records
the execute rows acted on, so a replica that takes over fires the rows that
appeared while no engine led (``reconcile``).
"""

import datetime
import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from congress import conf
from congress import context
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import fired_actions as fired_actions_db
from congress.db import policies as policies_db
from congress.dse import periodic
from congress.dse import rpc
from congress.dse import rpcapi
from congress.dse import subscriber as subscriber_mod
from congress.dse import topics
from congress import exception
from congress.policy import action_sink
from congress.policy import compiler
from congress.policy import engine as engine_mod
from congress.policy import exemptions

CONF = conf.CONF
LOG = logging.getLogger(__name__)

KIND = 'engine'


class PolicyEngineService(object):
    """Hosts a ``PolicyEngine`` on ``node``; actions go to ``runtime``."""

    def __init__(self, node, runtime):
        self.node = node
        self.name = topics.ENGINE_SERVICE
        self._lock = threading.RLock()
        self._schemas = {}  # name: ((id, driver), schema or None)
        self._schema_lock = threading.Lock()
        self._fingerprint = None
        self.rule_errors = {}
        sink = action_sink.RuleActionSink(runtime, self.is_leader)
        self.engine = engine_mod.PolicyEngine(
            action_sink=sink,
            schema_lookup=self._schema_lookup,
            max_actions_per_change=CONF.policy_engine.max_actions_per_change,
            simulate_max_steps=CONF.policy_engine.simulate_max_steps,
            simulate_timeout=CONF.policy_engine.simulate_timeout,
            max_table_share_percent=(
                CONF.policy_engine.max_table_share_percent),
            table_share_min_actions=(
                CONF.policy_engine.table_share_min_actions),
            recent_actions=self._recent_actions)
        sink.origin_of = self.engine.action_origin
        self._ds_api = rpcapi.DataSourceAPI()
        self.subscriber = subscriber_mod.TableSubscriber(
            node, self._on_snapshot, self._on_delta)
        self._rpc_server = None
        self._leadership = None
        self._reconciled = (None, 0.0)  # (leadership term, monotonic time)
        self.started = False
        self._task = periodic.PeriodicTask(
            'policy-sync', self.periodic_sync,
            lambda: CONF.datasources.manager_sync_interval)
        self._reconciler = periodic.PeriodicTask(
            'policy-reconcile', self.reconcile_if_due,
            lambda: CONF.coordination.lock_retry_interval)
        self._ticker = periodic.PeriodicTask(
            'policy-time-tick', self.tick,
            lambda: CONF.policy_engine.time_tick_interval)

    # lifecycle (called by DseNode)

    def start(self):
        policies_db.ensure_builtin_policies(engine_mod.BUILTIN_POLICIES)
        self.sync()
        self._rpc_server = rpc.get_server(topics.engine_topic(),
                                          self.node.node_id,
                                          [EngineEndpoint(self)])
        self._rpc_server.start()
        # listed once it consumes (a call sent to an engine listed before
        # would be lost) and before it competes: the leader is chosen
        # among the listed engines
        self.register()
        self.started = True
        self._task.start()
        self._leadership = self.node.leadership(self.name)
        self._reconciler.start()
        self._ticker.start()

    def register(self):
        self.node.directory.register(self.name, self.node.node_id, KIND, [])

    def is_leader(self):
        """Whether this engine holds the engine leader lock: it fires."""
        return self._leadership is not None and self._leadership.is_leader()

    def stop(self, graceful=True):
        self._ticker.stop()
        self._reconciler.stop()
        self.node.coordinator.resign(self.name)
        self._task.stop()
        if self._rpc_server is not None:
            self._rpc_server.stop()
            if graceful:
                self._rpc_server.wait()
        self.subscriber.stop()
        self.node.directory.unregister(self.node.node_id, self.name)

    # data-source schemas

    def _schema_lookup(self, service):
        """The schema last learned for ``service`` (no I/O: the engine asks
        while it holds its lock)."""
        if service == exemptions.SERVICE:
            return exemptions.schema()
        entry = self._schemas.get(service)
        return entry[1] if entry is not None else None

    def refresh_schemas(self):
        """Learn the schemas of the stored data sources from the data
        sources themselves, over the bus (never by importing their driver:
        this node may lack a driver's package), and have the engine compile
        again the rules over those whose schema changed.

        A data source that does not answer yet has no schema: the rules
        naming its columns wait, disabled.  One deleted, or recreated (a
        new id) with another driver, is learned again.
        """
        with self._schema_lock:
            learned = self._learn_schemas()
            changed = {name for name, entry in learned.items()
                       if (entry and entry[1]) != self._schema_lookup(name)}
            # published under the engine's lock, with the recompile: a
            # change applied meanwhile sees either the old schema and the
            # old rules or the new ones, never one with the other
            with self.engine.sending_after(), self._lock:
                for name, entry in learned.items():
                    if entry is None:
                        del self._schemas[name]
                    else:
                        self._schemas[name] = entry
                if changed:
                    self.engine.schemas_changed(changed)
        if changed:
            LOG.info('Schemas of %s changed', ', '.join(sorted(changed)))

    def refresh_schemas_unless_db_down(self):
        """``refresh_schemas``; with the database down, the schemas held
        stay (the outage is logged)."""
        try:
            self.refresh_schemas()
        except exception.DatabaseUnavailable as exc:
            LOG.warning('Schemas not refreshed: %s', exc)

    def _learn_schemas(self):
        """``{name: (identity, schema) or None}``: what to hold of the data
        sources that are new, recreated, still without a schema or deleted
        (None)."""
        stored = {ds['name']: ds for ds in datasources_db.list_all()}
        learned = dict.fromkeys(set(self._schemas) - set(stored))
        for name, datasource in stored.items():
            identity = (datasource['id'], datasource['driver'])
            old_identity, old_schema = self._schemas.get(name, (None, None))
            if old_identity != identity or old_schema is None:
                learned[name] = (identity, self._fetch_schema(name))
        return learned

    def _fetch_schema(self, service):
        # asked only while its schema is unknown: a fresh look, not the
        # directory's cached one from before its worker came
        self.node.directory.forget(service)
        if not self.node.directory.lookup(service):
            return None
        try:
            schema = self._ds_api.get_schema(context.get_admin_context(),
                                             service)
        except exception.CongressException as exc:
            LOG.info('No schema of %(s)s yet: %(e)s',
                     {'s': service, 'e': exc})
            return None
        return {table: [column['name'] if isinstance(column, dict)
                        else column for column in columns]
                for table, columns in (schema or {}).items()}

    def _recent_actions(self, policy, rule_id):
        """What ``rule_id`` fired over the last hour (the records count for
        every replica and across restarts); None on a replica that does
        not fire."""
        if not self.is_leader():
            return None
        return executions_db.count_fired_since(
            rule_id, timeutils.utcnow() - datetime.timedelta(hours=1))

    # changes, each with its cause

    def _on_snapshot(self, service, table, rows, version):
        with self.engine.sending_after(), self._lock:
            self.engine.initialize_table(service, table, rows)

    def _on_delta(self, service, table, added, removed, version):
        with self.engine.sending_after(), self._lock:
            self.engine.receive_delta(service, table, added, removed)

    def tick(self):
        """Time has passed: the rules that read ``now`` are evaluated
        again (``[policy_engine] time_tick_interval``)."""
        self.load_exemptions()
        with self.engine.sending_after(), self._lock:
            self.engine.tick()

    # the fired set

    def reconcile_if_due(self):
        """Reconcile when this engine has just become leader, or every
        ``[policy_engine] reconcile_interval`` seconds while it leads."""
        if not self.is_leader():
            return
        term, last = self._leadership.term, self._reconciled
        if term == last[0] and (time.monotonic() - last[1] <
                                CONF.policy_engine.reconcile_interval):
            return
        try:
            done = self.reconcile()
        except Exception as exc:
            LOG.warning('Reconciling the fired actions failed (retried): '
                        '%s', exc)
            return
        if done:
            self._reconciled = (term, time.monotonic())

    def reconcile(self):
        """Fire the execute rows no engine acted on, forget the fired-set
        entries of rows that are gone.

        Only once every table read has had its snapshot (an engine still
        loading would take rows for gone). Returns whether it ran.
        """
        # outside self._lock: the subscriber holds its own lock while it
        # calls back into the engine, so that lock is always taken first
        if not self.subscriber.ready():
            return False
        # the actions go out after self._lock, which reads take too
        with self.engine.sending_after(), self._lock:
            # no change is applied meanwhile
            if not self.is_leader():
                return False
            fired = fired_actions_db.row_keys()
            present = {}
            missing = {}
            for key, rows in self.engine.action_rows().items():
                service, action = compiler.split_action_table(key[1])
                for row in rows:
                    row_key = action_sink.row_key(key[0], service, action,
                                                  row)
                    present[row_key] = row
                    if row_key not in fired:
                        missing.setdefault(key, set()).add(row)
            gone = fired - set(present)
            if gone:
                fired_actions_db.forget(gone)
            if missing:
                LOG.info('Firing %d execute rows no engine acted on',
                         sum(len(rows) for rows in missing.values()))
                self.engine.enforce_rows(missing)
        return True

    def periodic_sync(self):
        self.sync()
        self.subscriber.check_gaps()

    def sync(self):
        """Make the engine hold exactly the policies and rules stored, and
        subscribe to exactly the tables they read."""
        self.refresh_schemas_unless_db_down()
        self._sync_policies()
        self.load_exemptions()
        # outside self._lock: the subscriber calls back into the engine
        # holding its own lock, so that lock is always taken first
        self._sync_subscriptions()

    def _sync_policies(self):
        with self.engine.sending_after(), self._lock:
            self._fingerprint = policies_db.fingerprint()
            stored = {p['name']: p for p in policies_db.list_policies()}
            rules = policies_db.all_rules()
            for name in self.engine.policy_names():
                if name not in stored and name not in dict(
                        engine_mod.BUILTIN_POLICIES):
                    self.engine.delete_policy(name)
            for name, policy in stored.items():
                if name not in self.engine.policy_names():
                    self.engine.create_policy(
                        name, kind=policy['kind'],
                        abbreviation=policy['abbreviation'],
                        description=policy['description'],
                        owner_id=policy['owner_id'],
                        policy_id=policy['id'],
                        enforcement=policy['enforcement'])
                elif (self.engine.get_policy(name)['enforcement'] !=
                      policy['enforcement']):
                    self.engine.set_enforcement(name, policy['enforcement'])
                self.engine.set_table_share(
                    name, policy.get('max_table_share_percent'))
                self._sync_rules(name, rules.get(policy['id'], []))

    def _sync_rules(self, policy, stored_rules):
        wanted = {rule['id']: rule for rule in stored_rules}
        current = {rule['id'] for rule in self.engine.rules(policy)}
        for rule_id in current - set(wanted):
            self.engine.delete_rule(policy, rule_id)
        for rule_id, rule in wanted.items():
            if rule_id in current:
                continue
            try:
                self.engine.insert_rule(policy, rule['rule'],
                                        rule_id=rule_id, name=rule['name'],
                                        comment=rule['comment'],
                                        user_id=rule['user_id'],
                                        project_id=rule['project_id'])
                self.rule_errors.pop(rule_id, None)
            except exception.CongressException as exc:
                if self.rule_errors.get(rule_id) != str(exc):
                    LOG.warning('Rule %(id)s of policy %(p)s cannot be '
                                'loaded: %(e)s',
                                {'id': rule_id, 'p': policy, 'e': exc})
                self.rule_errors[rule_id] = str(exc)

    def load_exemptions(self):
        """Give the engine the rows of ``congress:exemptions``: the
        exemptions active now (the API tells the engines when they change,
        and expired ones leave at the next time tick)."""
        rows = exemptions.rows()
        with self._lock:
            self.engine.initialize_table(exemptions.SERVICE,
                                         exemptions.TABLE, rows)

    def _sync_subscriptions(self):
        # Congress' own tables come from the database, not over the bus
        wanted = {table for table in self.engine.subscribed_tables()
                  if table[0] != exemptions.SERVICE}
        current = set(self.subscriber.subscriptions())
        for service, table in current - wanted:
            self.subscriber.unsubscribe(service, table)
        for service, table in wanted - current:
            self.subscriber.subscribe(service, table)

    def known_policy(self, policy):
        """True if the engine has ``policy``, after catching up with the
        database: a read through any replica sees every change already
        answered by the API."""
        # a reload under way finishes first
        with self.engine.sending_after(), self._lock:
            stale = (policies_db.fingerprint() != self._fingerprint or
                     bool(self.rule_errors))
            if stale:
                self._sync_policies()
        if stale:
            self._sync_subscriptions()
        return policy in self.engine.policy_names()


class EngineEndpoint(object):
    """RPC endpoint of the policy engine (server side of
    ``rpcapi.EngineAPI``)."""

    target = messaging.Target(version=rpcapi.EngineAPI.RPC_API_VERSION)

    def __init__(self, service):
        self.service = service
        self.engine = service.engine

    def _policy(self, policy):
        if not self.service.known_policy(policy):
            raise exception.NotFound(resource='Policy', id=policy)
        return policy

    @messaging.expected_exceptions(exception.CongressException)
    def get_tables(self, context, policy):
        return self.engine.tables(self._policy(policy))

    @messaging.expected_exceptions(exception.CongressException)
    def get_rows(self, context, policy, table, trace=False):
        rows, trace_text = self.engine.select(self._policy(policy), table,
                                              trace=trace)
        result = {'results': [{'data': list(row)} for row in rows]}
        if trace:
            result['trace'] = trace_text
        return result

    @messaging.expected_exceptions(exception.CongressException)
    def simulate(self, context, policy, query, sequence, action_policy,
                 delta=False, trace=False):
        return self.engine.simulate(self._policy(policy), query, sequence,
                                    action_policy, delta=delta, trace=trace)

    @messaging.expected_exceptions(exception.CongressException)
    def get_status(self, context, policy):
        status = dict(self.engine.policy_status(self._policy(policy)))
        # the records count for every replica and across restarts
        status['actions_fired'], status['actions_rejected'] = (
            executions_db.policy_counts(policy))
        status['actions_proposed'], status['actions_awaiting_approval'] = (
            executions_db.held_counts(policy))
        status['enforcement_changes'] = [
            dict(change, changed_at=change['changed_at'].isoformat())
            for change in policies_db.enforcement_changes(
                policies_db.get_policy(policy)['id'])]
        status['rule_errors'] = {
            rule['id']: self.service.rule_errors[rule['id']]
            for rule in policies_db.list_rules(
                policies_db.get_policy(policy)['id'])
            if rule['id'] in self.service.rule_errors}
        return status

    @messaging.expected_exceptions(exception.CongressException)
    def check_rule(self, context, policy, rule):
        # a data source that came up since the last sync is checked
        # against at once, not taken for one whose schema is unknown yet
        self.service.refresh_schemas_unless_db_down()
        self.engine.check_rule(self._policy(policy), rule)

    def policies_changed(self, context):
        self.service.sync()
