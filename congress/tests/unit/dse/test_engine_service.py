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

"""The policy engine on the in-process bus: subscriptions, reactive
enforcement through DseRuntime, replicas firing once."""

import datetime
import threading
from unittest import mock

from oslo_db import exception as db_exc
from oslo_utils import timeutils
from sqlalchemy import exc as sa_exc

from congress.cloudservices import fake_driver
from congress import context
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import exemptions as exemptions_db
from congress.db import fired_actions as fired_actions_db
from congress.db import policies as policies_db
from congress.dse import datasource_service
from congress.dse import node as node_mod
from congress.dse import rpcapi
from congress import exception
from congress.execution import status
from congress.policy import dseruntime
from congress.policy import engine_service
from congress.tests import base
from congress.tests.unit.policy import fakes as policy_fakes

wait_for = base.wait_for

PAUSE_RULE = ('execute[fake:things.set_status(id, "PAUSED")] :- '
              'fake:things(id=id, status="ACTIVE"), not spared(id)')


class EngineServiceTestCase(base.BusTestCase):

    def setUp(self):
        super().setUp()
        self.config(manager_sync_interval=0.2, group='datasources')
        # these rules act on every row of a small table: no share limit
        # (ShareLimitTestCase has one)
        self.config(time_tick_interval=0.2, max_table_share_percent=0,
                    group='policy_engine')
        self.clock = policy_fakes.Clock(datetime.datetime(2029, 12, 31, 23,
                                                          59, 59))
        self.clock.install(self)
        datasources_db.create('fake', 'fake', {}, secret_names=())
        self.node = node_mod.DseNode('node-a')
        self.node.start()
        self.addCleanup(self.node.stop)
        self.driver = fake_driver.FakeDriver('fake', {'things': 3})
        self.service = datasource_service.DataSourceService(
            'fake', self.driver, self.node, poll_time=0.2)
        self.node.add_service(self.service)
        self.runtime = dseruntime.DseRuntime(self.node)
        self.engine_service = engine_service.PolicyEngineService(
            self.node, self.runtime)
        self.node.add_service(self.engine_service)
        self.engines = [self.engine_service]
        self.policy = policies_db.create_policy('ops')
        self.api = rpcapi.EngineAPI()
        self.ctx = context.get_admin_context()

    def statuses(self):
        return sorted(t['status'] for t in self.driver.things.list())

    def add_rule(self, text):
        rule = policies_db.create_rule(self.policy['id'], text)
        self.api.policies_changed(self.ctx)
        return rule

    def policy_records(self):
        return [r for r in executions_db.list_records(limit=1000)
                if r['origin'] == status.ORIGIN_POLICY]

    def resign_all(self):
        for engine in self.engines:
            engine.node.coordinator.resign(engine.name)
        self.assertFalse(any(e.is_leader() for e in self.engines))

    def lead(self, engine):
        engine._leadership = engine.node.leadership(engine.name)
        self.assertTrue(engine.is_leader())

    def wait_rows_everywhere(self, count):
        wait_for(lambda: all(
            sum(map(len, e.engine.action_rows().values())) == count
            for e in self.engines), message='%d execute rows' % count)

    def test_builtin_policies_exist(self):
        names = [p['name'] for p in policies_db.list_policies()]
        self.assertIn('classification', names)
        self.assertIn('action', names)

    def test_rule_fires_once_per_row_and_records_why(self):
        rule = self.add_rule(PAUSE_RULE)
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        self.assertEqual({('fake', 'things')},
                         set(self.engine_service.subscriber.subscriptions()))
        records = wait_for(lambda: (lambda rs: rs if [
            r['status'] for r in rs] == [status.SUCCEEDED] * 3 else None)(
                self.policy_records()))
        record = records[0]
        self.assertEqual(('ops', rule['id'], 'things.set_status'),
                         (record['policy'], record['rule_id'],
                          record['action']))
        self.assertEqual('fake', record['why']['rows'][0]['table'].split(
            ':')[0])
        # a new ACTIVE thing is paused after the next poll, and only it
        self.driver.things.create('late')
        wait_for(lambda: self.statuses() == ['PAUSED'] * 4)
        wait_for(lambda: len(self.policy_records()) == 4)
        self.assertEqual(4, len(self.policy_records()))

    def test_actions_are_written_and_sent_after_the_service_lock(self):
        # reads of the engine take the service's lock: firing a batch
        # (its transaction, its casts) must not hold it
        lock_free = []
        execute_many = self.runtime.execute_many

        def check_then_execute(batch):
            def probe():
                taken = self.engine_service._lock.acquire(timeout=5)
                if taken:
                    self.engine_service._lock.release()
                lock_free.append(taken)
            thread = threading.Thread(target=probe)
            thread.start()
            thread.join()
            return execute_many(batch)

        with mock.patch.object(self.runtime, 'execute_many',
                               side_effect=check_then_execute):
            self.add_rule(PAUSE_RULE)
            wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        self.assertTrue(lock_free)
        self.assertTrue(all(lock_free))

    def test_actions_over_the_rate_limit_are_rejected(self):
        self.config(rate_limit_per_service=1, group='policy_engine')
        self.add_rule(PAUSE_RULE)
        records = wait_for(lambda: (lambda rs: rs if len(rs) == 3 else None)(
            self.policy_records()))
        outcome = [r['status'] for r in records]
        self.assertEqual(2, outcome.count(status.REJECTED))
        rejected = [r for r in records if r['status'] == status.REJECTED]
        self.assertIn('rate limit', rejected[0]['error'])
        wait_for(lambda: self.statuses().count('PAUSED') == 1)
        self.assertEqual(2, self.statuses().count('ACTIVE'))

    def test_a_change_over_the_blast_radius_fires_nothing(self):
        for service in self.engines:
            service.engine.max_actions_per_change = 2
        self.add_rule(PAUSE_RULE)
        records = wait_for(lambda: (lambda rs: rs if len(rs) == 3 else None)(
            self.policy_records()))
        self.assertEqual([status.REJECTED] * 3,
                         [r['status'] for r in records])
        self.assertEqual(['ACTIVE'] * 3, self.statuses())
        # any engine answers; a standby may still be catching up
        last_rejected = wait_for(lambda: self.api.get_status(
            self.ctx, 'ops')['last_rejected'])
        self.assertEqual(3, last_rejected['count'])
        self.assertEqual(records[0]['error'], last_rejected['reason'])

    def test_rows_the_database_did_not_record_fire_at_the_next_reconcile(
            self):
        with mock.patch.object(executions_db, 'create_many',
                               side_effect=db_exc.DBConnectionError()):
            self.add_rule(PAUSE_RULE)
            self.wait_rows_everywhere(3)
            self.assertEqual([], self.policy_records())
        self.assertEqual(['ACTIVE'] * 3, self.statuses())
        self.assertTrue(self.engine_service.reconcile())
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        self.assertEqual(3, len(self.policy_records()))

    def test_a_rule_on_the_time_fires_on_a_tick_and_once(self):
        self.add_rule('execute[fake:things.set_status(id, "PAUSED")] :- '
                      'fake:things(id=id), now(t), '
                      'datetime_gt(t, "2030-01-01 00:00:00")')
        wait_for(lambda: self.engine_service.subscriber.ready() and
                 self.engine_service.subscriber.subscriptions())
        self.engine_service.tick()
        self.assertEqual(['ACTIVE'] * 3, self.statuses())
        self.clock.advance(seconds=2)
        # the service's own ticker notices
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        wait_for(lambda: len(self.policy_records()) == 3)
        for _tick in range(3):
            self.clock.advance(hours=1)
            self.engine_service.tick()
            self.assertTrue(self.engine_service.reconcile())
        self.assertEqual(3, len(self.policy_records()))
        self.assertEqual(['PAUSED'] * 3, self.statuses())

    # exemptions, the share limit, the purge

    def exempt(self, minutes=60, **values):
        values = dict({'policy': 'ops', 'rule_id': None, 'action': None,
                       'args': {}, 'reason': 'maintenance', 'user_id': 'u',
                       'project_id': 'p', 'expires_at': timeutils.utcnow() +
                       datetime.timedelta(minutes=minutes)}, **values)
        exemption = exemptions_db.create(values)
        self.api.policies_changed(self.ctx)
        return exemption

    def test_exempted_actions_are_recorded_and_not_run(self):
        thing = self.driver.things.list()[0]['id']
        exemption = self.exempt(args={'0': thing},
                                action='fake:things.set_*')
        self.add_rule(PAUSE_RULE)
        records = wait_for(lambda: (lambda rs: rs if len(rs) == 3 and all(
            r['status'] in status.TERMINAL for r in rs) else None)(
                self.policy_records()))
        exempted = [r for r in records if r['status'] == status.EXEMPTED]
        self.assertEqual([[thing, 'PAUSED']],
                         [r['args']['positional'] for r in exempted])
        self.assertIn(exemption['id'], exempted[0]['error'])
        self.assertEqual([status.SUCCEEDED] * 2, [
            r['status'] for r in records if r['status'] != status.EXEMPTED])
        wait_for(lambda: self.statuses() == ['ACTIVE', 'PAUSED', 'PAUSED'])
        self.assertEqual('ACTIVE', next(
            t['status'] for t in self.driver.things.list()
            if t['id'] == thing))
        # exempted is neither fired nor rejected
        self.assertEqual((2, 0), executions_db.policy_counts('ops'))

    def test_rules_read_the_active_exemptions(self):
        thing = self.driver.things.list()[0]['id']
        self.add_rule('spared(id) :- congress:exemptions(policy="ops", '
                      'arg0=id)')
        self.exempt(args={'0': thing})
        self.exempt(minutes=-1, args={'0': 'expired'})
        wait_for(lambda: self.api.get_rows(self.ctx, 'ops', 'spared')[
            'results'] == [{'data': [thing]}])
        # read from the database, not subscribed to over the bus
        self.assertNotIn(('congress', 'exemptions'),
                         self.engine_service.subscriber.subscriptions())
        # the spared thing never fires: no record at all
        self.add_rule(PAUSE_RULE)
        wait_for(lambda: self.statuses() == ['ACTIVE', 'PAUSED', 'PAUSED'])
        self.assertEqual(2, len(self.policy_records()))

    def test_the_share_limit_counts_the_last_hour(self):
        for engine in self.engines:
            engine.engine.max_table_share_percent = 70
            engine.engine.table_share_min_actions = 1
        rule = self.add_rule('execute[fake:things.set_status(id, '
                             '"PAUSED")] :- fake:things(id=id, '
                             'status="ERROR")')
        things = [t['id'] for t in self.driver.things.list()]
        # 70 % of 3 things: 2 actions an hour
        for count, thing in enumerate(things[:2], 1):
            self.driver.things.set_status(thing, 'ERROR')
            wait_for(lambda: [r['status'] for r in self.policy_records()
                              ] == [status.SUCCEEDED] * count)
        self.assertEqual(2, executions_db.count_fired_since(
            rule['id'], timeutils.utcnow() - datetime.timedelta(hours=1)))
        self.driver.things.set_status(things[2], 'ERROR')
        record = wait_for(lambda: [r for r in self.policy_records()
                                   if r['status'] == status.REJECTED])[0]
        self.assertIn('in the last hour', record['error'])
        self.assertEqual('ERROR', self.driver.things.list()[2]['status'])
        last_rejected = wait_for(lambda: self.api.get_status(
            self.ctx, 'ops')['last_rejected'])
        self.assertEqual(record['error'], last_rejected['reason'])

    def test_purged_records_keep_their_rows_acted_on(self):
        self.add_rule('execute[fake:things.set_status(id, "PAUSED")] :- '
                      'fake:things(id=id)')
        wait_for(lambda: [r['status'] for r in self.policy_records()] ==
                 [status.SUCCEEDED] * 3)
        keys = fired_actions_db.row_keys()
        self.assertEqual(3, len(keys))
        self.config(retention_days=0.0001, group='execution')
        with mock.patch.object(timeutils, 'utcnow', return_value=(
                timeutils.utcnow() + datetime.timedelta(minutes=1))):
            self.assertEqual(3, self.runtime.purge())
        self.assertEqual([], self.policy_records())
        # the rows are still there: acted on, they do not fire again
        self.assertEqual(keys, fired_actions_db.row_keys())
        for engine in self.engines:
            if engine.is_leader():
                self.assertTrue(engine.reconcile())
        self.assertEqual([], self.policy_records())

    def test_rows_and_tables_over_rpc(self):
        self.add_rule('active(id) :- fake:things(id=id, status="ACTIVE")')
        rows = wait_for(lambda: self.api.get_rows(
            self.ctx, 'ops', 'active')['results'])
        self.assertEqual(3, len(rows))
        self.assertIn('active', self.api.get_tables(self.ctx, 'ops'))

    def test_check_rule_reports_errors_across_the_bus(self):
        err = self.assertRaises(exception.PolicySyntaxError,
                                self.api.check_rule, self.ctx, 'ops',
                                'p(x) :- ')
        self.assertIsNotNone(err.line)
        self.assertRaises(exception.UnsafeRule, self.api.check_rule,
                          self.ctx, 'ops', 'p(x) :- q(y)')
        self.assertRaises(exception.SchemaMismatch, self.api.check_rule,
                          self.ctx, 'ops', 'p(x) :- fake:things(nope=x)')
        self.assertIsNone(self.api.check_rule(self.ctx, 'ops',
                                              'p(x) :- q(x)'))
        self.assertRaises(exception.NotFound, self.api.get_tables,
                          self.ctx, 'no-such-policy')

    # rules before their data source, schemas over the bus

    LATE_RULE = 'active(id) :- late:things(id=id, status="ACTIVE")'

    def late_status(self):
        return self.api.get_status(self.ctx, 'ops')

    def start_late(self, driver_class):
        datasource = datasources_db.create('late', 'fake', {},
                                           secret_names=())
        service = datasource_service.DataSourceService(
            'late', driver_class('late', {'things': 2}), self.node,
            poll_time=0.2)
        self.node.add_service(service)
        return datasource

    def test_rule_waits_for_its_data_source_and_follows_its_schema(self):
        patcher = mock.patch(
            'congress.cloudservices.loader.driver_class',
            side_effect=AssertionError('the engine imported a driver'))
        patcher.start()
        self.addCleanup(patcher.stop)
        rule = self.add_rule(self.LATE_RULE)
        # the status may come from any replica: wait for each to have it
        wait_for(lambda: all(_rule_status(e, rule['id']) == 'disabled'
                             for e in self.engines), message='rule disabled')
        self.assertIn('not known yet',
                      self.late_status()['disabled_rules'][rule['id']])
        self.assertEqual([], self.engine_service.engine.select(
            'ops', 'active')[0])

        datasource = self.start_late(fake_driver.FakeDriver)
        wait_for(lambda: len(self.engine_service.engine.select(
            'ops', 'active')[0]) == 2, message='rule enabled over late')
        # every replica (the status may come from any of them)
        wait_for(lambda: self.late_status()['disabled_rules'] == {},
                 message='no rule disabled')
        self.assertEqual('enabled', self.engine_service.engine.get_rule(
            'ops', rule['id'])['status'])

        # deleted and recreated with a schema the rule no longer fits
        self.node.remove_service('late')
        # sqlite in the unit tests may be busy with the replicas' syncs
        wait_for(lambda: _quietly(datasources_db.delete, datasource['id']),
                 message='data source deleted')
        self.start_late(_NamesOnlyDriver)
        wait_for(lambda: 'no column status' in (
            self.late_status()['disabled_rules'].get(rule['id']) or ''),
            message='rule disabled by the new schema')
        wait_for(lambda: _rule_status(self.engine_service, rule['id']) ==
                 'disabled', message='rule disabled in the first engine')
        self.assertEqual([], self.engine_service.engine.select(
            'ops', 'active')[0])


def _rule_status(service, rule_id):
    """The status of ``rule_id`` of policy ops in the engine of
    ``service``; None before that engine has loaded the rule."""
    try:
        return service.engine.get_rule('ops', rule_id)['status']
    except exception.NotFound:
        return None


def _quietly(function, *args):
    try:
        return function(*args)
    except (db_exc.DBError, sa_exc.OperationalError):
        return None


class _NamesOnlyDriver(fake_driver.FakeDriver):
    """The fake service recreated with another schema (no status)."""

    TABLES = (fake_driver.translators.Table(
        'things', (fake_driver.translators.Column('id', 'ID'),
                   fake_driver.translators.Column('name', 'Name'))),)


class ReplicatedEngineTestCase(EngineServiceTestCase):
    """Two engines; the first leads. Rows are fired once whoever leads,
    also those that appear while none does."""

    def setUp(self):
        super().setUp()
        self.node_b = node_mod.DseNode('node-b')
        self.node_b.start()
        self.addCleanup(self.node_b.stop)
        self.engine_b = engine_service.PolicyEngineService(
            self.node_b, dseruntime.DseRuntime(self.node_b))
        self.node_b.add_service(self.engine_b)
        self.engines.append(self.engine_b)

    def test_replicas_fire_each_action_once(self):
        self.add_rule(PAUSE_RULE)
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        wait_for(lambda: all(
            r['status'] == status.SUCCEEDED for r in self.policy_records()))
        self.assertEqual(3, len(self.policy_records()))
        self.assertEqual(3, len({r['args']['positional'][0]
                                 for r in self.policy_records()}))

    def test_rows_that_appear_while_no_engine_leads_fire_once_after(self):
        self.resign_all()
        self.add_rule(PAUSE_RULE)
        self.wait_rows_everywhere(3)
        self.assertEqual([], self.policy_records())
        self.assertEqual(set(), fired_actions_db.row_keys())
        self.lead(self.engine_b)
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        records = wait_for(lambda: (lambda rs: rs if [
            r['status'] for r in rs] == [status.SUCCEEDED] * 3 else None)(
                self.policy_records()))
        self.assertEqual(3, len({r['args']['positional'][0]
                                 for r in records}))
        status_b = self.api.get_status(self.ctx, 'ops')
        self.assertEqual((3, 0), (status_b['actions_fired'],
                                  status_b['actions_rejected']))
        # the paused things left the table: the fired set forgets them
        wait_for(lambda: fired_actions_db.row_keys() == set(),
                 message='fired set emptied')
        self.assertEqual(3, len(self.policy_records()))

    def test_a_row_that_comes_back_fires_again(self):
        self.add_rule(PAUSE_RULE)
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        wait_for(lambda: fired_actions_db.row_keys() == set(),
                 message='fired set emptied')
        thing = self.driver.things.list()[0]
        self.driver.things.set_status(thing['id'], 'ACTIVE')
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        wait_for(lambda: len(self.policy_records()) == 4)
        self.assertEqual(
            2, [r['args']['positional'][0] for r in self.policy_records()]
            .count(thing['id']))

    def test_two_leaders_reconciling_at_once_fire_each_row_once(self):
        self.resign_all()
        self.add_rule(PAUSE_RULE)
        self.wait_rows_everywhere(3)
        for engine in self.engines:
            engine.is_leader = lambda: True
            engine.engine.action_sink.is_leader = lambda: True
        threads = [threading.Thread(target=e.reconcile)
                   for e in self.engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wait_for(lambda: self.statuses() == ['PAUSED'] * 3)
        self.assertEqual(3, len(self.policy_records()))

    def test_the_reconcile_batch_has_the_limits_of_a_change(self):
        for engine in self.engines:
            engine.engine.max_actions_per_change = 2
        self.resign_all()
        self.add_rule(PAUSE_RULE)
        self.wait_rows_everywhere(3)
        self.lead(self.engine_service)
        records = wait_for(lambda: (lambda rs: rs if len(rs) == 3 else None)(
            self.policy_records()))
        self.assertEqual([status.REJECTED] * 3,
                         [r['status'] for r in records])
        self.assertEqual(['ACTIVE'] * 3, self.statuses())
        # rejected rows are acted on: the next reconcile leaves them
        self.assertTrue(self.engine_service.reconcile())
        self.assertEqual(3, len(self.policy_records()))
