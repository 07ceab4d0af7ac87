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

"""Faults of a multi-process deployment, with the counts as assertions.

Each test runs ``congress-server`` processes (an API, policy engines, a
datasources worker serving the ``fake`` service, whose driver appends a
line per action it runs to a file) and kills a process or stops its own
broker or database (``private_services``), never the machine's shared
ones.
"""

import collections
import datetime
import json
import os
import threading
import time

import fixtures
from oslo_messaging import conffixture as messaging_fixture
import requests
from testtools import content

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import migration
from congress.db import policies as policies_db
from congress.db import services as services_db
from congress.dse import rpc
from congress.dse import topics
from congress.execution import status
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional import processes

CONF = conf.CONF


#: Every NEW thing is set DONE once by the policy: its row leaves the
#: execute table when the action has run.
DONE_RULE = ('execute[fake:things.set_status(id, "DONE")] :- '
             'fake:things(id=id, status="NEW")')


class _FaultTestCase(base.TestCase):
    """Processes sharing one config, on the database and broker given to
    ``deploy``."""

    TIME_TO_LIVE = 60

    def deploy(self, db_url, transport_url=processes.RABBIT_URL, things=0,
               **sections):
        self.db_url = db_url
        self.api_port = private_services.free_port()
        self.api_url = 'http://127.0.0.1:%d' % self.api_port
        self.conf_path, values = processes.write_config(
            self.state_dir, db_url,
            DEFAULT={'transport_url': transport_url},
            api={'bind_port': str(self.api_port),
                 'auth_strategy': 'noauth'},
            execution={'time_to_live': str(self.TIME_TO_LIVE)},
            policy_engine={'max_actions_per_change': '100',
                           'rate_limit_per_service': '0'}, **sections)
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = transport_url
        self.addCleanup(rpc.cleanup)
        for key, value in values['dse'].items():
            self.config(**{key: value, 'group': 'dse'})
        db_api.configure(db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.bus_id = values['dse']['bus_id']
        self.record_file = os.path.join(self.state_dir, 'runs.jsonl')
        datasources_db.create('fake', 'fake',
                              {'record_file': self.record_file,
                               'poll_time': '0.2', 'things': str(things)},
                              secret_names=())

    def start_server(self, node_id, *roles):
        return self.useFixture(processes.CongressServer(
            self.conf_path, node_id, roles, self.state_dir))

    def wait_api(self):
        def answers():
            try:
                return requests.get(self.api_url + '/', timeout=2).ok
            except requests.ConnectionError:
                return False
        processes.wait_for(answers, timeout=60, message='the API answering')

    def wait_worker(self):
        processes.wait_for(
            lambda: services_db.leader(self.bus_id, 'fake'), timeout=60,
            message='the fake service polled')

    def execute(self, action, *positional):
        """POST an execute of ``fake:action``; returns (response, seconds
        the answer took)."""
        started = time.monotonic()
        response = requests.post(
            self.api_url + '/v1/data-sources/fake?action=execute',
            json={'name': action, 'args': {'positional': list(positional)}},
            timeout=30)
        return response, time.monotonic() - started

    def runs(self):
        """The record file's lines: ``[(action, positional), ...]``."""
        if not os.path.exists(self.record_file):
            return []
        with open(self.record_file) as record_file:
            return [(entry['action'], entry['positional'])
                    for entry in map(json.loads, record_file)]

    def ran(self, action):
        """Counter of the first argument of each run of ``action``."""
        return collections.Counter(args[0] for name, args in self.runs()
                                   if name == action)

    def things(self):
        """The rows of ``fake:things`` as the API shows them."""
        response = requests.get(
            self.api_url + '/v1/data-sources/fake/tables/things/rows',
            timeout=10)
        self.assertEqual(200, response.status_code, response.text)
        return [dict(zip(('id', 'name', 'status'), row['data']))
                for row in response.json()['results']]

    def records(self, **filters):
        return executions_db.list_records(limit=10000, **filters)

    def detail(self, name, value):
        self.addDetail(name, content.text_content(str(value)))


class EngineFailoverTestCase(_FaultTestCase):
    """Two policy engines; the leader is SIGKILLed while rows keep
    appearing in an execute table."""

    THINGS = 40

    def setUp(self):
        super().setUp()
        url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, url)
        self.deploy(url)
        # every row fires: the share-of-table limit would stop the rule
        # once it has acted on half the rows of the hour
        policy = policies_db.create_policy('ops', max_table_share_percent=0)
        self.rule = policies_db.create_rule(policy['id'], DONE_RULE)
        self.engines = {
            node_id: self.start_server(node_id, 'policy-engine')
            for node_id in ('engine-1', 'engine-2')}
        self.start_server('worker', 'datasources')
        self.start_server('api', 'api')
        self.wait_api()
        self.wait_worker()

    def create_thing(self, name):
        response, _took = self.execute('things.create', name, 'NEW')
        self.assertEqual(202, response.status_code, response.text)

    def engine_leader(self):
        return services_db.leader(self.bus_id, topics.ENGINE_SERVICE)

    def test_killing_the_leading_engine_skips_no_row_and_runs_none_twice(self):
        leader = processes.wait_for(self.engine_leader,
                                    message='an engine leads')
        created = []

        def create(count):
            for _ in range(count):
                name = 'thing-%03d' % len(created)
                self.create_thing(name)
                created.append((name, time.time()))
                time.sleep(0.1)
        create(10)
        processes.wait_for(lambda: len(self.ran('things.set_status')) == 10,
                           message='the first 10 rows fired')
        self.engines[leader].kill()
        killed = time.time()
        feeder = threading.Thread(target=create,
                                  args=(self.THINGS - 10,))
        feeder.start()
        standby = processes.wait_for(
            lambda: (self.engine_leader() not in (None, leader) and
                     self.engine_leader()), timeout=30,
            message='the standby took over')
        took_over = time.time()
        feeder.join()
        fired = processes.wait_for(
            lambda: (lambda c: c if len(c) == self.THINGS else None)(
                self.ran('things.set_status')), timeout=60,
            message='every row fired')
        self.assertEqual({1}, set(fired.values()), fired)
        names = dict((thing['id'], thing['name'])
                     for thing in self.things())
        self.assertEqual(sorted(n for n, _t in created),
                         sorted(names[thing_id] for thing_id in fired))
        in_gap = [n for n, t in created if killed <= t < took_over]
        policy_records = processes.wait_for(
            lambda: (lambda rs: rs if len(rs) == self.THINGS and all(
                r['status'] == status.SUCCEEDED for r in rs) else None)(
                    self.records(policy='ops')), message='records final')
        self.assertEqual(self.THINGS, len(policy_records))
        after_kill = [r for r in policy_records
                      if r['created_at'] >= _utc(killed)]
        status_answer = requests.get(
            self.api_url + '/v1/policies/ops/status', timeout=10).json()
        self.assertEqual((self.THINGS, 0),
                         (status_answer['actions_fired'],
                          status_answer['actions_rejected']))
        self.detail('failover', {
            'leader': leader, 'standby': standby,
            'failover_seconds': round(took_over - killed, 2),
            'rows_in_gap': len(in_gap),
            'fired_by_the_new_leader': len(after_kill)})
        self.assertLess(took_over - killed, 3)


def _utc(timestamp):
    """The naive UTC datetime of a ``time.time()`` (as records store)."""
    return datetime.datetime.fromtimestamp(
        timestamp, datetime.timezone.utc).replace(tzinfo=None)


class _Load(object):
    """Threads that POST executes of ``things.work`` and GET ``/`` until
    stopped; what each answer was and how long it took."""

    def __init__(self, test, threads=4):
        self.test = test
        self.answers = []  # (label, status, seconds, Retry-After)
        self.versions = []  # (status or exception name, seconds)
        self._stop = threading.Event()
        self._count = iter(range(1000000))
        self._threads = [threading.Thread(target=self._execute)
                         for _ in range(threads)]
        self._threads.append(threading.Thread(target=self._versions))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _execute(self):
        while not self._stop.is_set():
            label = 'label-%05d' % next(self._count)
            try:
                response, took = self.test.execute('things.work', label)
            except requests.RequestException as exc:
                self.answers.append((label, exc.__class__.__name__, None,
                                     None))
                time.sleep(0.2)
                continue
            self.answers.append((label, response.status_code, took,
                                 response.headers.get('Retry-After')))
            time.sleep(0.05)

    def _versions(self):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                answer = requests.get(self.test.api_url + '/',
                                      timeout=5).status_code
            except requests.RequestException as exc:
                answer = exc.__class__.__name__
            self.versions.append((answer, time.monotonic() - started))
            time.sleep(0.2)


class BrokerOutageTestCase(_FaultTestCase):
    """The broker (the test's own RabbitMQ) stopped for 10 s under a
    stream of executes."""

    TIME_TO_LIVE = 20

    def setUp(self):
        super().setUp()
        self.rabbit = self.useFixture(private_services.PrivateRabbitMQ())
        url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, url)
        self.deploy(url, transport_url=self.rabbit.transport_url,
                    oslo_messaging_rabbit={
                        'rabbit_qos_prefetch_count': '8',
                        'amqp_durable_queues': 'true'})
        self.start_server('engine', 'policy-engine')
        self.start_server('worker', 'datasources')
        self.start_server('api', 'api')
        self.wait_api()
        self.wait_worker()

    def test_executes_answer_at_once_and_none_is_lost_or_run_twice(self):
        with _Load(self) as load:
            time.sleep(1)
            with self.rabbit.down():
                stopped = len(load.answers)
                time.sleep(10)
                during = load.answers[stopped:]
                executions_read = requests.get(
                    self.api_url + '/v1/executions?limit=5', timeout=5)
            time.sleep(1)
        answers = load.answers
        codes = collections.Counter(code for _l, code, _t, _r in answers)
        self.detail('answers', {'codes': codes, 'slowest': max(
            took for _l, _c, took, _r in answers), 'versions_slowest': max(
                took for _a, took in load.versions)})
        self.assertEqual(set(), set(codes) - {202, 503})
        self.assertGreater(codes[503], 0)
        self.assertEqual([], [a for a in answers if a[2] >= 3])
        self.assertEqual([], [a for a in answers
                              if a[1] == 503 and a[3] != '5'])
        self.assertEqual({200}, {answer for answer, _t in load.versions})
        self.assertLess(max(took for _a, took in load.versions), 1)
        self.assertEqual(200, executions_read.status_code)
        self.assertTrue(any(code == 503 for _l, code, _t, _r in during))
        accepted = {label for label, code, _t, _r in answers if code == 202}
        refused = {label for label, code, _t, _r in answers if code == 503}
        records = processes.wait_for(
            lambda: (lambda rs: rs if all(
                r['status'] in status.TERMINAL for r in rs) else None)(
                    self.records(service='fake')),
            timeout=self.TIME_TO_LIVE + 30, message='every record final')
        outcome = {r['args']['positional'][0]: r for r in records}
        ran = self.ran('things.work')
        self.assertEqual([], [label for label, n in ran.items() if n > 1])
        self.assertEqual(set(), set(ran) - accepted)
        for label in refused:
            self.assertEqual(status.REJECTED, outcome[label]['status'])
            self.assertIn('not run', outcome[label]['error'])
        final = collections.Counter(outcome[label]['status']
                                    for label in accepted)
        self.detail('accepted', final)
        # durable queues keep what the broker took while a worker was
        # away: every accepted action runs
        self.assertEqual({status.SUCCEEDED: len(accepted)}, final)
        self.assertEqual(accepted, set(ran))
        # the bus works again without any restart
        processes.wait_for(
            lambda: self.execute('things.work', 'after')[0].status_code ==
            202, timeout=10, interval=1, message='an execute accepted')
        processes.wait_for(lambda: self.ran('things.work')['after'] == 1,
                           message='an action after the outage')


class DatabaseOutageTestCase(_FaultTestCase):
    """The database (the test's own PostgreSQL) down for 10 s."""

    def setUp(self):
        super().setUp()
        # the postgres user cannot enter the test's own (0700) temp dir
        self.useFixture(fixtures.MonkeyPatch('tempfile.tempdir', None))
        self.postgres = self.useFixture(private_services.PrivatePostgreSQL())
        self.deploy(self.postgres.create_database())
        self.start_server('engine', 'policy-engine')
        self.start_server('worker', 'datasources')
        self.start_server('api', 'api')
        self.wait_api()
        self.wait_worker()

    def get(self, path):
        started = time.monotonic()
        response = requests.get(self.api_url + path, timeout=30)
        return response, time.monotonic() - started

    def test_the_api_answers_503_at_once_and_recovers_by_itself(self):
        self.assertEqual(202, self.execute('things.work', 'before')[0]
                         .status_code)
        answers = []
        with _Load(self) as load:
            with self.postgres.down():
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    for path in ('/v1/executions', '/v1/policies',
                                 '/v1/data-sources'):
                        answers.append((path,) + self.get(path))
                    time.sleep(0.2)
        during = [(path, response.status_code, took,
                   response.headers.get('Retry-After'),
                   response.json()['error']['error_code'])
                  for path, response, took in answers]
        self.detail('reads', collections.Counter(
            (path, code) for path, code, _t, _r, _e in during))
        self.detail('executes', collections.Counter(
            code for _l, code, _t, _r in load.answers))
        self.assertEqual({503}, {code for _p, code, _t, _r, _e in during})
        self.assertEqual({'5'}, {ra for _p, _c, _t, ra, _e in during})
        self.assertEqual({1201}, {e for _p, _c, _t, _r, e in during})
        self.assertLess(max(took for _p, _c, took, _r, _e in during), 3)
        self.assertEqual({200}, {answer for answer, _t in load.versions})
        executes = [a for a in load.answers if a[1] != 202]
        self.assertEqual({503}, {code for _l, code, _t, _r in executes})
        self.assertLess(max(took for _l, _c, took, _r in load.answers), 3)
        # no restart: the API answers from the database again
        processes.wait_for(
            lambda: self.get('/v1/executions')[0].status_code == 200,
            timeout=10, interval=0.5, message='reads answer again')
        processes.wait_for(
            lambda: self.execute('things.work', 'after')[0].status_code ==
            202, timeout=10, interval=0.5, message='an execute accepted')


class ApiKillTestCase(_FaultTestCase):
    """The API SIGKILLed under a stream of executes."""

    TIME_TO_LIVE = 5

    def setUp(self):
        super().setUp()
        url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, url)
        self.deploy(url)
        self.start_server('engine', 'policy-engine')
        self.start_server('worker', 'datasources')
        self.api = self.start_server('api', 'api')
        self.wait_api()
        self.wait_worker()

    def test_every_record_ends_true_to_what_ran(self):
        with _Load(self, threads=8) as load:
            processes.wait_for(lambda: len(load.answers) >= 40,
                               message='40 executes answered')
            self.api.kill()
            time.sleep(0.5)
        answered = {label for label, code, _t, _r in load.answers
                    if code == 202}
        unanswered = {label for label, code, _t, _r in load.answers
                      if code != 202}
        # a request the kill cut off: refused, reset, or its answer cut
        # in the middle of its body
        lost = {'ConnectionError', 'ChunkedEncodingError'}
        self.assertEqual(set(), {code for _l, code, _t, _r in load.answers}
                         - {202} - lost)
        records = processes.wait_for(
            lambda: (lambda rs: rs if all(
                r['status'] in status.TERMINAL for r in rs) else None)(
                    self.records(service='fake')),
            timeout=self.TIME_TO_LIVE + 30, message='every record final')
        outcome = {r['args']['positional'][0]: r['status'] for r in records}
        ran = self.ran('things.work')
        self.detail('outcome', {
            'answered': len(answered), 'unanswered': len(unanswered),
            'records': collections.Counter(outcome.values())})
        self.assertEqual([], [label for label, n in ran.items() if n > 1])
        self.assertLessEqual(answered, set(outcome))
        self.assertEqual(
            {label for label, state in outcome.items()
             if state == status.SUCCEEDED}, set(ran))
        self.assertEqual(
            set(), set(outcome.values()) - {status.SUCCEEDED,
                                            status.EXPIRED})
        # a request whose answer was lost left at most an expired record
        self.assertEqual(set(), {
            label for label in unanswered if outcome.get(
                label, status.EXPIRED) not in (status.EXPIRED,
                                               status.SUCCEEDED)})


class PollingFailoverTestCase(_FaultTestCase):
    """Two datasources workers; the one polling ``fake`` is SIGKILLed."""

    def setUp(self):
        super().setUp()
        url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, url)
        # each worker's fake service has 3 things of its own ids
        self.deploy(url, things=3)
        self.workers = {node_id: self.start_server(node_id, 'datasources')
                        for node_id in ('worker-1', 'worker-2')}
        self.start_server('api', 'api')
        self.wait_api()
        self.wait_worker()

    def test_the_standby_polls_when_the_polling_worker_dies(self):
        leader = services_db.leader(self.bus_id, 'fake')
        before = {thing['id'] for thing in self.things()}
        self.assertEqual(3, len(before))
        self.workers[leader].kill()
        killed = time.monotonic()
        standby = processes.wait_for(
            lambda: (lambda node: node if node not in (None, leader)
                     else None)(services_db.leader(self.bus_id, 'fake')),
            timeout=30, message='the standby polls')
        took_over = time.monotonic() - killed
        after = processes.wait_for(
            lambda: {thing['id'] for thing in self.things()} - before,
            timeout=10, message="the standby's rows")
        self.detail('polling_failover', {'leader': leader,
                                         'standby': standby,
                                         'seconds': round(took_over, 2)})
        self.assertEqual(3, len(after))
        self.assertLess(took_over, 3)
