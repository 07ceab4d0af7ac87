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
import uuid

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
from congress.execution import status
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional import processes

CONF = conf.CONF

ENGINE_ROLE = '_policy_engine'

#: Every NEW thing is set DONE once by the policy: its row leaves the
#: execute table when the action has run.
DONE_RULE = ('execute[fake:things.set_status(id, "DONE")] :- '
             'fake:things(id=id, status="NEW")')


class _FaultTestCase(base.TestCase):
    """Processes sharing one config, on the database and broker given to
    ``deploy``."""

    TIME_TO_LIVE = 60

    def deploy(self, db_url, transport_url=processes.RABBIT_URL):
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
                           'rate_limit_per_service': '0'})
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
                               'poll_time': '0.2'}, secret_names=())

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
        policy = policies_db.create_policy('ops')
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
        return services_db.leader(self.bus_id, ENGINE_ROLE)

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

    def things(self):
        response = requests.get(
            self.api_url + '/v1/data-sources/fake/tables/things/rows',
            timeout=10)
        self.assertEqual(200, response.status_code, response.text)
        return [dict(zip(('id', 'name', 'status'), row['data']))
                for row in response.json()['results']]


def _utc(timestamp):
    """The naive UTC datetime of a ``time.time()`` (as records store)."""
    return datetime.datetime.fromtimestamp(
        timestamp, datetime.timezone.utc).replace(tzinfo=None)
