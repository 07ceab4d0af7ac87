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

"""``[api] workers``: congress-server forks API processes that share the
port, on the real MariaDB and RabbitMQ, and stops every one on SIGTERM."""

import os
import re
import signal
import uuid

import requests

from congress.db import api as db_api
from congress.db import migration
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional import processes

#: The request lines of the API's log: the process id, then the request.
REQUEST_LINE = re.compile(r'^\S+ \S+ (\d+) INFO congress\.api\.app .*'
                          r'GET (/\S*) -> 200')

#: The supervisor's line for each API process it forks.
STARTED_API = re.compile(r'Started api process (\d+)')


def _parent_of(pid):
    try:
        with open('/proc/%d/stat' % pid) as stat:
            # the command may hold spaces and parentheses: after the last
            return int(stat.read().rsplit(')', 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None  # gone, possibly while being read


class ApiWorkersTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.port = private_services.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        conf_path, _ = processes.write_config(
            self.state_dir, self.db_url,
            api={'bind_host': '127.0.0.1', 'bind_port': str(self.port),
                 'auth_strategy': 'noauth', 'workers': '2'})
        self.server = self.useFixture(processes.CongressServer(
            conf_path, 'workers-%s' % uuid.uuid4().hex[:6], [],
            self.state_dir))
        processes.wait_for(self._answers, timeout=60, message='the API')

    def _answers(self):
        try:
            return requests.get(self.url + '/', timeout=2).ok
        except requests.RequestException:
            # the port is bound before the processes serve it
            return False

    def answering_pids(self, path):
        """The processes whose log has answered ``GET path`` with 200."""
        pids = set()
        for line in self.server.log().splitlines():
            match = REQUEST_LINE.match(line)
            if match and match.group(2) == path:
                pids.add(int(match.group(1)))
        return pids

    def started_api_pids(self):
        """The API processes the supervisor says it started."""
        return {int(pid) for pid in STARTED_API.findall(self.server.log())}

    def children(self):
        return {int(pid) for pid in os.listdir('/proc') if pid.isdigit()
                and _parent_of(int(pid)) == self.server.process.pid}

    def get_until_two_pids_answer(self, path):
        def two_answer():
            # a new connection each time: the kernel hands it to either
            requests.get(self.url + path, timeout=5,
                         headers={'Connection': 'close'}).raise_for_status()
            return len(self.answering_pids(path)) >= 2
        processes.wait_for(two_answer, timeout=60, interval=0.05,
                           message='two API processes answering %s' % path)
        return self.answering_pids(path)

    def test_two_processes_answer_and_sigterm_stops_every_one(self):
        # a read of the database, through each process's own engine
        pids = self.get_until_two_pids_answer('/v1/data-sources')
        self.assertEqual(2, len(pids))
        children = self.children()
        # the two API processes, and the engine and data sources' one
        self.assertEqual(3, len(children), self.server.log()[-3000:])
        self.assertTrue(pids <= children)
        self.assertEqual(0, self.server.terminate())
        for pid in children:
            self.assertIsNone(_parent_of(pid), 'process %d left' % pid)

    def test_an_api_process_that_dies_is_replaced(self):
        victim = sorted(self.get_until_two_pids_answer('/'))[0]
        before = self.started_api_pids()
        os.kill(victim, signal.SIGKILL)
        # the supervisor's word for which process replaced it: counting
        # its children raced with short-lived ones
        processes.wait_for(lambda: self.started_api_pids() - before,
                           timeout=30, message='a new API process')
        new = self.started_api_pids() - before
        self.assertEqual(1, len(new))
        children = self.children()
        self.assertTrue(new <= children)
        self.assertNotIn(victim, children)
        processes.wait_for(
            lambda: self._answers() and self.answering_pids('/') & new,
            timeout=60, interval=0.05, message='the new process answering')
