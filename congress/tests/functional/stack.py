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

"""A small deployment for execute-path tests across OS processes.

Policy engines (they run the execution reaper) and datasources workers
serving the ``fake`` service run as ``congress-server`` processes; the
test process calls ``DseRuntime.execute``. The fake driver appends a line
per action it runs to a file, so a test can hold what ran against what
the records say (``Ledger``).
"""

import collections
import json
import os

from oslo_messaging import conffixture as messaging_fixture

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import migration
from congress.dse import node as node_mod
from congress.dse import rpc
from congress.dse import topics
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional import processes

CONF = conf.CONF

#: ``BACKEND`` of a test whose database is a PostgreSQL cluster of its own
#: (``self.postgresql``), which it may stop and start.
PRIVATE_POSTGRESQL = 'private-postgresql'


class StackTestCase(base.TestCase):
    """Starts ``ENGINES`` and ``WORKERS`` on a fresh database of
    ``BACKEND``; ``CONFIG`` (``{group: {option: value}}``) adds to the
    configuration of every process, this one included."""

    TIME_TO_LIVE = 20
    BACKEND = 'mysql'
    ENGINES = ('engine',)
    WORKERS = ('worker-1', 'worker-2')
    CONFIG = {}
    #: Seconds between two polls of the fake service.
    POLL_TIME = 10
    #: Seconds the processes have to join the bus.
    START_TIMEOUT = 30

    def setUp(self):
        super().setUp()
        self.db_url = self.create_database()
        sections = {'execution': {'time_to_live': str(self.TIME_TO_LIVE)}}
        for group, values in self.CONFIG.items():
            sections.setdefault(group, {}).update(values)
        self.conf_path, values = processes.write_config(
            self.state_dir, self.db_url, **sections)
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = values['DEFAULT']['transport_url']
        self.addCleanup(rpc.cleanup)
        for group in ('dse', 'execution'):
            for key, value in values[group].items():
                self.config(**{key: value, 'group': group})
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.record_file = os.path.join(self.state_dir, 'runs.jsonl')
        datasources_db.create('fake', 'fake',
                              {'record_file': self.record_file,
                               'poll_time': str(self.POLL_TIME)},
                              secret_names=())
        self.engines = [self.start_server(node_id, 'policy-engine')
                        for node_id in self.ENGINES]
        self.workers = [self.start_server(node_id, 'datasources')
                        for node_id in self.WORKERS]
        self.node = node_mod.DseNode('test-caller')
        self.runtime = dseruntime.DseRuntime(self.node)
        self.wait_on_bus(topics.ENGINE_SERVICE, self.ENGINES)
        self.wait_for_workers(*self.WORKERS)

    def create_database(self):
        if self.BACKEND == PRIVATE_POSTGRESQL:
            self.postgresql = self.useFixture(
                private_services.PrivatePostgreSQL())
            return self.postgresql.create_database()
        url = databases.create(self.BACKEND, self.state_dir)
        self.addCleanup(databases.drop, url)
        return url

    def start_server(self, node_id, *roles):
        return self.useFixture(processes.CongressServer(
            self.conf_path, node_id, roles, self.state_dir))

    def wait_for_workers(self, *node_ids):
        """Wait until the workers of ``fake`` on the bus are these."""
        self.wait_on_bus('fake', node_ids)

    def wait_on_bus(self, service, node_ids):
        """Wait until the nodes serving ``service`` on the bus are
        ``node_ids``: a call or cast sent before a node consumes is lost
        (an engine not yet on the bus misses ``policies_changed``)."""
        processes.wait_for(
            lambda: sorted(r['node_id'] for r in
                           self.node.directory.lookup(service)) ==
            sorted(node_ids), timeout=self.START_TIMEOUT,
            message='%s of %s on the bus' % (', '.join(node_ids), service))

    def runs(self):
        """Lines of the record file: ``[(node, label), ...]``."""
        if not os.path.exists(self.record_file):
            return []
        with open(self.record_file) as record_file:
            return [(entry['node'], entry['positional'][0])
                    for entry in map(json.loads, record_file)]

    def wait_all_terminal(self, ids, timeout=60):
        def records():
            found = [executions_db.get(i) for i in ids]
            if all(r['status'] in status.TERMINAL for r in found):
                return found
        return processes.wait_for(records, timeout=timeout,
                                  message='all executions terminal')

    def execute(self, label, seconds=0):
        """Cast ``things.work(label, seconds)``; the record's id."""
        return self.runtime.execute('fake:things.work',
                                    [label, seconds])['id']

    def execute_many(self, count, seconds=0, prefix='label'):
        return [self.execute('%s-%03d' % (prefix, i), seconds)
                for i in range(count)]

    def ledger(self, ids):
        """What became of the executions ``ids`` (all terminal)."""
        return Ledger(self.wait_all_terminal(ids), self.runs())


class Ledger(object):
    """Records of ``things.work`` executions against the runs the fake
    driver counted.

    ``lies`` are records that contradict the runs: succeeded but not run
    (or run elsewhere), expired but run, failed though the action ran and
    succeeded (``finished`` tells which runs completed).
    """

    def __init__(self, records, runs):
        self.records = records
        self.runs = runs
        self.count = collections.Counter(r['status'] for r in records)
        self.ran_on = {}
        times = collections.Counter(label for _node, label in runs)
        self.ran_twice = sorted(label for label, n in times.items() if n > 1)
        for node, label in runs:
            self.ran_on[label] = node
        self.stuck = [r['id'] for r in records
                      if r['status'] not in status.TERMINAL]

    @staticmethod
    def label(record):
        return record['args']['positional'][0]

    def lies(self, finished=lambda record: True):
        wrong = []
        for record in self.records:
            ran_on = self.ran_on.get(self.label(record))
            outcome = record['status']
            if outcome == status.SUCCEEDED:
                truthful = ran_on == record['worker']
            elif outcome == status.EXPIRED:
                truthful = ran_on is None
            elif outcome == status.FAILED:
                truthful = ran_on is None or not finished(record)
            else:
                truthful = False
            if not truthful:
                wrong.append((self.label(record), outcome, ran_on))
        return wrong

    def in_doubt(self):
        return [r for r in self.records if r['status'] == status.FAILED]

    def ran(self):
        """How many of the records' actions ran."""
        return sum(1 for r in self.records if self.label(r) in self.ran_on)

    def summary(self):
        return ('accepted %d, ran %d, ran twice %d, stuck %d, %s' % (
            len(self.records), self.ran(), len(self.ran_twice),
            len(self.stuck), dict(self.count)))
