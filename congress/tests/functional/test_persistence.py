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

"""The same persistence tests on SQLite, MariaDB and PostgreSQL."""

import concurrent.futures
import datetime
import functools
import os
import subprocess
import sys
import threading
import time

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import exemptions as exemptions_db
from congress.db import fired_actions as fired_actions_db
from congress.db import library_policies as library_db
from congress.db import migration
from congress.db import policies as policies_db
from congress.db import pushed_tables as pushed_tables_db
from congress.db import services as services_db
from congress import exception
from congress.execution import status
from congress.tests import base
from congress.tests.functional import databases


class _PersistenceTests(object):
    BACKEND = None

    def database_url(self):
        url = databases.create(self.BACKEND, self.state_dir)
        self.addCleanup(databases.drop, url)
        return url

    def _values(self, **values):
        now = timeutils.utcnow()
        record = {'id': values.pop('id', None) or str(time.time_ns()),
                  'service': 'fake', 'action': 'things.create',
                  'args': {'positional': ['x'], 'named': {}},
                  'status': status.ACCEPTED, 'origin': status.ORIGIN_API,
                  'expires_at': now + datetime.timedelta(seconds=60)}
        record.update(values)
        return record

    def _record(self, row_key=None, **values):
        return executions_db.create(self._values(**values), row_key=row_key)

    def test_schema_is_at_head(self):
        self.assertEqual(migration.head_revision(),
                         migration.current_revision())
        inspector = sa.inspect(db_api.get_engine())
        self.assertTrue({'executions', 'dse_services', 'datasources',
                         'policies', 'policy_rules', 'library_policies',
                         'fired_actions', 'dse_leaders', 'pushed_tables'} <=
                        set(inspector.get_table_names()))

    def test_claim_is_exclusive(self):
        record = self._record()
        self.assertTrue(executions_db.claim(record['id'], 'node-a'))
        self.assertFalse(executions_db.claim(record['id'], 'node-b'))
        stored = executions_db.get(record['id'])
        self.assertEqual((status.DISPATCHED, 'node-a'),
                         (stored['status'], stored['worker']))
        self.assertTrue(executions_db.finish(record['id'], status.SUCCEEDED,
                                             result={'k': [1, 'v']}))
        stored = executions_db.get(record['id'])
        self.assertEqual(status.SUCCEEDED, stored['status'])
        self.assertEqual({'k': [1, 'v']}, stored['result'])
        self.assertFalse(executions_db.finish(record['id'], status.FAILED))

    def _in_one_batch(self, calls):
        """Run ``calls`` (callables) at once, their writes in one batch of
        the records' group committer; returns their results and, for each
        UPDATE of executions run meanwhile, how many records it names."""
        committer = executions_db._committer
        held, holding = threading.Event(), threading.Event()

        def hold(connection):
            holding.set()
            held.wait(10)
        holder = threading.Thread(target=committer.run, args=(hold,))
        holder.start()
        self.assertTrue(holding.wait(10))
        updates = []

        def seen(conn, cursor, statement, parameters, context, many):
            if statement.startswith('UPDATE executions'):
                updates.append(len([name for name in context.compiled.binds
                                    if name.startswith('b_id')]))
        engine = db_api.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', seen)
        self.addCleanup(sa.event.remove, engine, 'before_cursor_execute',
                        seen)
        with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
            futures = [pool.submit(call) for call in calls]
            base.wait_for(lambda: committer.waiting() == len(calls),
                          timeout=10, message='the writes queued')
            held.set()
            results = [future.result() for future in futures]
        holder.join()
        return results, updates

    def test_claims_of_one_batch_are_one_statement(self):
        records = [self._record() for _ in range(4)]
        results, updates = self._in_one_batch([
            functools.partial(executions_db.claim, record['id'], 'node-a')
            for record in records])
        self.assertEqual([True] * 4, results)
        self.assertEqual([4], updates)
        self.assertEqual(
            {(status.DISPATCHED, 'node-a')},
            {(r['status'], r['worker']) for r in
             (executions_db.get(record['id']) for record in records)})

    def test_many_outcomes_go_in_statements_of_max_rows(self):
        records = [self._record() for _ in range(120)]
        for record in records:
            executions_db.claim(record['id'], 'node-a', 'inc-1')
        results, updates = self._in_one_batch([functools.partial(
            executions_db.finish_many,
            [(record['id'], status.SUCCEEDED, {'n': n}, None)
             for n, record in enumerate(records)],
            worker='node-a', incarnation='inc-1')])
        self.assertEqual([[True] * 120], results)
        self.assertEqual([50, 50, 20], updates)
        self.assertEqual(
            [(status.SUCCEEDED, {'n': n}) for n in range(120)],
            [(r['status'], r['result']) for r in (
                executions_db.get(record['id']) for record in records)])

    def test_claims_and_outcomes_of_one_batch_are_each_told_apart(self):
        # one claim finds its record taken, one outcome finds its record
        # ended: the batch is written again with each alone
        taken, fresh, running, ended = (self._record() for _ in range(4))
        for record in (taken, running, ended):
            self.assertTrue(executions_db.claim(record['id'], 'node-b'))
        self.assertTrue(executions_db.finish(ended['id'], status.FAILED))
        results, updates = self._in_one_batch([
            functools.partial(executions_db.claim, taken['id'], 'node-a'),
            functools.partial(executions_db.claim, fresh['id'], 'node-a'),
            functools.partial(executions_db.finish_many, [
                (running['id'], status.SUCCEEDED, {'ok': 1}, None),
                (ended['id'], status.SUCCEEDED, None, None)])])
        self.assertEqual([False, True, [True, False]], results)
        # the first statement of the batch finds it uneven
        self.assertEqual([2] + [1] * 4, updates)
        self.assertEqual(
            [(status.DISPATCHED, 'node-b'), (status.DISPATCHED, 'node-a'),
             (status.SUCCEEDED, 'node-b'), (status.FAILED, 'node-b')],
            [(r['status'], r['worker']) for r in (
                executions_db.get(record['id'])
                for record in (taken, fresh, running, ended))])

    def test_expired_record_cannot_be_claimed(self):
        past = timeutils.utcnow() - datetime.timedelta(seconds=1)
        record = self._record(expires_at=past)
        self.assertFalse(executions_db.claim(record['id'], 'node-a'))
        self.assertTrue(executions_db.expire(record['id']))
        self.assertEqual(status.EXPIRED,
                         executions_db.get(record['id'])['status'])

    def test_reap_ends_what_is_left_behind(self):
        past = timeutils.utcnow() - datetime.timedelta(seconds=1)
        stale = self._record(expires_at=past)
        orphan = self._record()
        executions_db.claim(orphan['id'], 'dead-node', 'inc-1')
        running = self._record()
        executions_db.claim(running['id'], 'live-node', 'inc-2')
        alive = {('live-node', 'inc-2')}
        self.assertEqual((1, 1), executions_db.reap(alive))
        self.assertEqual(status.EXPIRED,
                         executions_db.get(stale['id'])['status'])
        self.assertEqual(status.FAILED,
                         executions_db.get(orphan['id'])['status'])
        self.assertEqual(executions_db.WORKER_LEFT,
                         executions_db.get(orphan['id'])['error'])
        self.assertEqual(status.DISPATCHED,
                         executions_db.get(running['id'])['status'])

    def test_reap_tells_incarnations_of_a_node_apart(self):
        before = self._record()
        executions_db.claim(before['id'], 'node-a', 'inc-1')
        now = self._record()
        executions_db.claim(now['id'], 'node-a', 'inc-2')
        self.assertEqual((0, 1), executions_db.reap({('node-a', 'inc-2')}))
        self.assertEqual([status.FAILED, status.DISPATCHED],
                         [executions_db.get(r['id'])['status']
                          for r in (before, now)])

    def test_reap_without_liveness_fails_nothing(self):
        record = self._record()
        executions_db.claim(record['id'], 'node-a', 'inc-1')
        self.assertEqual((0, 0), executions_db.reap(None))
        self.assertEqual(status.DISPATCHED,
                         executions_db.get(record['id'])['status'])

    def test_restarted_node_fails_what_its_earlier_process_started(self):
        records = [self._record() for _ in range(3)]
        executions_db.claim(records[0]['id'], 'node-a', 'inc-1')
        executions_db.claim(records[1]['id'], 'node-a', 'inc-2')
        executions_db.claim(records[2]['id'], 'node-b', 'inc-1')
        self.assertEqual(1, executions_db.fail_earlier_incarnations(
            'node-a', 'inc-2'))
        stored = [executions_db.get(r['id']) for r in records]
        self.assertEqual([status.FAILED, status.DISPATCHED,
                          status.DISPATCHED], [r['status'] for r in stored])
        self.assertEqual(executions_db.WORKER_RESTARTED, stored[0]['error'])

    def test_late_outcome_replaces_an_in_doubt_failure_only(self):
        late, other, real = (self._record() for _ in range(3))
        for record in (late, other, real):
            executions_db.claim(record['id'], 'node-a', 'inc-1')
        self.assertTrue(executions_db.finish(real['id'], status.FAILED,
                                             error='it broke'))
        executions_db.reap(set())

        def finish(record, incarnation):
            return executions_db.finish_many(
                [(record['id'], status.SUCCEEDED, {'ok': 1}, None)],
                worker='node-a', incarnation=incarnation)[0]
        self.assertEqual([True, False, False],
                         [finish(late, 'inc-1'), finish(other, 'inc-2'),
                          finish(real, 'inc-1')])
        stored = executions_db.get(late['id'])
        self.assertEqual((status.SUCCEEDED, {'ok': 1}, None),
                         (stored['status'], stored['result'],
                          stored['error']))
        self.assertEqual(status.FAILED,
                         executions_db.get(other['id'])['status'])
        self.assertEqual('it broke', executions_db.get(real['id'])['error'])

    def test_redelivery_sends_each_record_once_until_it_is_due_again(self):
        old = timeutils.utcnow() - datetime.timedelta(seconds=10)
        due = executions_db.create(
            dict(self._values(), cast_at=old),
            arguments=(['x'], {'password': 'pw'}))
        self._record(cast_at=old)  # no arguments kept: cannot be sent
        executions_db.create(dict(self._values(), service='other',
                                  cast_at=old), arguments=([], {}))
        fresh = executions_db.create(self._values(), arguments=([], {}))
        taken = executions_db.claim(
            executions_db.create(dict(self._values(), cast_at=old),
                                 arguments=([], {}))['id'], 'node-a')
        self.assertTrue(taken)
        cutoff = timeutils.utcnow() - datetime.timedelta(seconds=5)
        sent = executions_db.take_for_redelivery({'fake'}, cutoff, 10)
        self.assertEqual(1, len(sent))
        service, message = sent[0]
        self.assertEqual('fake', service)
        self.assertEqual({'id': due['id'], 'action': 'things.create',
                          'positional_args': ['x'],
                          'named_args': {'password': 'pw'}},
                         {k: v for k, v in message.items()
                          if k != 'deadline'})
        self.assertAlmostEqual(
            due['expires_at'].replace(
                tzinfo=datetime.timezone.utc).timestamp(),
            message['deadline'], places=3)
        self.assertEqual([], executions_db.take_for_redelivery(
            {'fake'}, cutoff, 10))
        self.assertNotEqual(fresh['id'], message['id'])
        with db_api.reader() as session:
            payloads = session.execute(sa.text(
                'SELECT payload FROM executions')).scalars().all()
        # encrypted at rest (quotes are not in the token's alphabet)
        kept = [p for p in payloads if p is not None]
        self.assertEqual(3, len(kept))
        self.assertFalse(any('"pw"' in p or not p.startswith('fernet:')
                             for p in kept))

    def test_claim_clears_the_kept_arguments(self):
        record = executions_db.create(self._values(),
                                      arguments=(['x'], {}))
        executions_db.claim(record['id'], 'node-a', 'inc-1')
        with db_api.reader() as session:
            self.assertEqual([None], session.execute(sa.text(
                'SELECT payload FROM executions')).scalars().all())

    def test_list_pages_newest_first(self):
        ids = [self._record(id='rec-%02d' % i)['id'] for i in range(7)]
        seen, marker = [], None
        while True:
            page = executions_db.list_records(limit=3, marker=marker)
            if not page:
                break
            seen.extend(r['id'] for r in page)
            marker = page[-1]['id']
        self.assertEqual(sorted(ids), sorted(seen))
        self.assertEqual(len(ids), len(set(seen)))
        self.assertIsNone(executions_db.list_records(marker='nope'))

    def test_datasource_secrets_are_encrypted_at_rest(self):
        created = datasources_db.create(
            'nova', 'fake', {'username': 'admin', 'password': 'pw'},
            secret_names=('password',))
        with db_api.reader() as session:
            raw = session.execute(sa.text(
                "SELECT config FROM datasources WHERE name = 'nova'")
            ).scalar()
        self.assertNotIn('"pw"', raw)
        self.assertEqual('admin', created['config']['username'])
        self.assertEqual('pw', datasources_db.get(
            'nova', reveal=True)['config']['password'])
        self.assertEqual(created['id'],
                         datasources_db.get(created['id'])['id'])
        self.assertRaises(exception.Conflict, datasources_db.create,
                          'nova', 'fake', {}, secret_names=())
        self.assertEqual('nova', datasources_db.delete('nova')['name'])
        self.assertIsNone(datasources_db.get('nova'))

    def test_policy_fingerprint_follows_every_change(self):
        seen = [policies_db.fingerprint()]
        policy = policies_db.create_policy('p1')
        seen.append(policies_db.fingerprint())
        rule = policies_db.create_rule(policy['id'], 'p(x) :- q(x)')
        seen.append(policies_db.fingerprint())
        policies_db.delete_rule(policy['id'], rule['id'])
        seen.append(policies_db.fingerprint())
        policies_db.delete_policy('p1')
        seen.append(policies_db.fingerprint())
        for before, after in zip(seen, seen[1:]):
            self.assertNotEqual(before, after)

    def test_library_policies(self):
        document = {'name': 'lib', 'rules': [{'rule': 'p(x) :- q(x)'}]}
        created = library_db.create('lib-1', document)
        self.assertEqual(dict(document, id='lib-1'), created)
        self.assertEqual(created, library_db.get('lib'))
        self.assertRaises(exception.Conflict, library_db.create, 'lib-2',
                          document)
        library_db.create('lib-2', {'name': 'other'})
        self.assertRaises(exception.Conflict, library_db.replace, 'lib-2',
                          {'name': 'lib'})
        self.assertEqual({'name': 'renamed', 'id': 'lib-2'},
                         library_db.replace('lib-2', {'name': 'renamed'}))
        self.assertEqual(['lib', 'renamed'],
                         [d['name'] for d in library_db.list_all()])
        self.assertEqual('lib', library_db.delete('lib-1')['name'])
        self.assertIsNone(library_db.delete('lib-1'))

    def test_service_directory_liveness(self):
        services_db.register('bus', 'fake', 'node-a', 'datasource', ['x'])
        services_db.register('bus', 'fake', 'node-a', 'datasource', ['y'])
        services_db.register('bus', 'fake', 'node-b', 'datasource', ['y'])
        horizon = timeutils.utcnow() - datetime.timedelta(seconds=5)
        rows = services_db.alive('bus', horizon, service='fake')
        self.assertEqual(['node-a', 'node-b'], [r['node_id'] for r in rows])
        self.assertEqual(['y'], rows[0]['actions'])
        self.assertEqual(1, services_db.heartbeat('bus', 'node-b'))
        later = timeutils.utcnow()
        time.sleep(0.01)
        services_db.heartbeat('bus', 'node-b')
        self.assertEqual(['node-b'], [r['node_id'] for r in
                                      services_db.alive('bus', later)])
        self.assertEqual([], services_db.alive('other-bus', horizon))

    def test_a_row_is_acted_on_once_until_forgotten(self):
        fired = {'policy': 'ops', 'origin': status.ORIGIN_POLICY}
        first = self._record(row_key='k1', **fired)
        self.assertRaises(db_exc.DBDuplicateEntry, self._record,
                          row_key='k1', **fired)
        self.assertEqual([first['id']],
                         [r['id'] for r in executions_db.list_records()])
        self.assertEqual({'k1'}, fired_actions_db.row_keys())
        self.assertEqual(1, fired_actions_db.forget(['k1', 'k2']))
        self._record(row_key='k1', status=status.REJECTED, **fired)
        self.assertEqual((1, 1), executions_db.policy_counts('ops'))

    def test_the_leader_of_a_role_is_the_last_elected(self):
        self.assertIsNone(services_db.leader('bus', 'fake'))
        services_db.set_leader('bus', 'fake', 'node-a')
        services_db.set_leader('bus', 'fake', 'node-b')
        services_db.set_leader('other-bus', 'fake', 'node-c')
        self.assertEqual('node-b', services_db.leader('bus', 'fake'))

    def test_heartbeat_refreshes_the_rows_of_its_incarnation(self):
        services_db.register('bus', 'fake', 'node-a', 'datasource', [],
                             'inc-1')
        services_db.register('bus', 'nova', 'node-a', 'datasource', [],
                             'inc-2')
        self.assertEqual(1, services_db.heartbeat('bus', 'node-a', 'inc-2'))
        self.assertEqual(1, services_db.forget_earlier_incarnations(
            'bus', 'node-a', 'inc-2'))
        horizon = timeutils.utcnow() - datetime.timedelta(seconds=5)
        self.assertEqual([('nova', 'inc-2')],
                         [(r['service'], r['incarnation'])
                          for r in services_db.alive('bus', horizon)])

    def test_pushed_tables_are_replaced_and_go_with_their_data_source(self):
        stored = datasources_db.create('doctor', 'doctor', {},
                                       secret_names=())
        other = datasources_db.create('doctor-2', 'doctor', {},
                                      secret_names=())
        text = 'h\u00f6st-\U0001f525'
        pushed_tables_db.store(stored['id'], {'events': [
            ['t', 'compute.host.down', text, 'down', None, 7]]})
        pushed_tables_db.store(other['id'], {'events': [['x']]})
        self.assertEqual({'events': [['t', 'compute.host.down', text,
                                      'down', None, 7]]},
                         pushed_tables_db.load(stored['id']))
        pushed_tables_db.store(stored['id'], {'events': []})
        self.assertEqual({'events': []}, pushed_tables_db.load(stored['id']))
        datasources_db.delete(stored['id'])
        self.assertEqual({}, pushed_tables_db.load(stored['id']))
        self.assertEqual({'events': [['x']]},
                         pushed_tables_db.load(other['id']))

    def test_purge_deletes_what_ended_in_batches_never_what_is_pending(
            self):
        old = timeutils.utcnow() - datetime.timedelta(days=10)
        ended = [self._record(status=terminal, finished_at=old,
                              created_at=old, row_key='k-%s' % terminal,
                              policy='ops', origin=status.ORIGIN_POLICY)
                 for terminal in sorted(status.TERMINAL)]
        pending = [self._record(status=status.ACCEPTED, created_at=old),
                   self._record(status=status.DISPATCHED, created_at=old),
                   # a status the terminal ones do not name is pending
                   self._record(status='awaiting', created_at=old)]
        recent = self._record(status=status.SUCCEEDED,
                              finished_at=timeutils.utcnow())
        before = timeutils.utcnow() - datetime.timedelta(days=1)
        self.assertEqual(len(ended), executions_db.purge(before,
                                                         batch_size=2))
        self.assertEqual(
            sorted([r['id'] for r in pending] + [recent['id']]),
            sorted(r['id'] for r in executions_db.list_records()))
        self.assertEqual(0, executions_db.purge(before))
        # the rows acted on stay acted on
        self.assertEqual({'k-%s' % t for t in status.TERMINAL},
                         fired_actions_db.row_keys())
        self.assertIsNone(executions_db.get(ended[0]['id']))

    def test_purge_command(self):
        url = db_api.get_engine().url.render_as_string(hide_password=False)
        conf_file = os.path.join(self.state_dir, 'purge.conf')
        with open(conf_file, 'w') as handle:
            handle.write('[database]\nconnection = %s\n' % url)
        old = timeutils.utcnow() - datetime.timedelta(days=3)
        ended = self._record(status=status.SUCCEEDED, finished_at=old)
        pending = self._record(status=status.ACCEPTED, created_at=old)
        proc = subprocess.run(
            [sys.executable, '-m', 'congress.cmd.db_manage', '--config-file',
             conf_file, 'purge-executions', '--before',
             (timeutils.utcnow() - datetime.timedelta(days=1)).isoformat(),
             '--batch-size', '1'],
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('Purged 1 execution records', proc.stdout)
        self.assertIsNone(executions_db.get(ended['id']))
        self.assertIsNotNone(executions_db.get(pending['id']))

    def test_exempted_records_are_acted_on_and_not_counted_as_sent(self):
        fired = {'policy': 'ops', 'origin': status.ORIGIN_POLICY}
        self._record(row_key='k1', status=status.EXEMPTED, **fired)
        self.assertRaises(db_exc.DBDuplicateEntry, self._record,
                          row_key='k1', **fired)
        self._record(row_key='k2', **fired)
        self.assertEqual((1, 0), executions_db.policy_counts('ops'))
        exempted = executions_db.list_records(status_filter=status.EXEMPTED)
        self.assertEqual([status.EXEMPTED], [r['status'] for r in exempted])

    def test_exemptions_expire_and_page(self):
        now = timeutils.utcnow()
        values = {'policy': 'ops', 'rule_id': None, 'action': 'fake:*',
                  'args': {'0': 'h\u00f6st-*'}, 'reason': 'why',
                  'user_id': 'u', 'project_id': 'p'}
        soon = exemptions_db.create(dict(
            values, expires_at=now + datetime.timedelta(seconds=30)))
        later = exemptions_db.create(dict(
            values, policy='other',
            expires_at=now + datetime.timedelta(days=3)))
        self.assertEqual([soon['id'], later['id']],
                         [e['id'] for e in exemptions_db.active(now=now)])
        self.assertEqual([later['id']], [e['id'] for e in exemptions_db.active(
            now=now + datetime.timedelta(minutes=1))])
        self.assertEqual([soon['id']], [e['id'] for e in exemptions_db.active(
            ['ops'], now=now)])
        self.assertEqual({'0': 'h\u00f6st-*'},
                         exemptions_db.get(soon['id'])['args'])
        first = exemptions_db.list_exemptions(limit=1)
        self.assertEqual([later['id']], [e['id'] for e in first])
        self.assertEqual([soon['id']], [e['id'] for e in (
            exemptions_db.list_exemptions(limit=1, marker=first[0]['id']))])
        self.assertIsNone(exemptions_db.list_exemptions(marker='nope'))
        self.assertTrue(exemptions_db.delete(soon['id']))
        self.assertFalse(exemptions_db.delete(soon['id']))

    def test_the_hourly_count_of_a_rule(self):
        fired = {'policy': 'ops', 'origin': status.ORIGIN_POLICY,
                 'rule_id': 'r1'}
        long_ago = timeutils.utcnow() - datetime.timedelta(hours=2)
        self._record(**fired)
        self._record(status=status.SUCCEEDED, **fired)
        self._record(status=status.REJECTED, **fired)
        self._record(status=status.EXEMPTED, **fired)
        self._record(created_at=long_ago, **fired)
        self._record(**dict(fired, rule_id='r2'))
        self.assertEqual(2, executions_db.count_fired_since(
            'r1', timeutils.utcnow() - datetime.timedelta(hours=1)))

    def test_a_policy_keeps_its_share_limit(self):
        policy = policies_db.create_policy('ops',
                                           max_table_share_percent=12.5)
        self.assertEqual(12.5, policy['max_table_share_percent'])
        self.assertEqual(12.5, policies_db.get_policy('ops')[
            'max_table_share_percent'])
        self.assertIsNone(policies_db.set_table_share(
            policy['id'], None)['max_table_share_percent'])


class SqlitePersistenceTestCase(_PersistenceTests, base.DbTestCase):
    BACKEND = 'sqlite'


class MariaDBPersistenceTestCase(_PersistenceTests, base.DbTestCase):
    BACKEND = 'mysql'


class PostgreSQLPersistenceTestCase(_PersistenceTests, base.DbTestCase):
    BACKEND = 'postgresql'
