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

"""Engine errors through the API across the real RabbitMQ.

A ``congress-server --api`` process (``auth_strategy = noauth``) and a
``--policy-engine`` process talk over a RabbitMQ vhost of their own; each
error the engine raises must reach the caller as its own 4xx with its
error code and, for rule errors, the line and column — never as 503 "The
message bus failed" (which is what an exception oslo.messaging cannot
rebuild on the caller's side turns into).
"""

import subprocess
import uuid

import fixtures
import requests

from congress.db import api as db_api
from congress.db import migration
from congress.tests import base
from congress.tests.functional.api import base as api_base
from congress.tests.functional import databases
from congress.tests.functional import processes


class RabbitVhost(fixtures.Fixture):
    """A RabbitMQ vhost of its own for guest, deleted at cleanup;
    :attr:`url` is its transport URL."""

    def _setUp(self):
        self.name = 'congress-test-%s' % uuid.uuid4().hex[:10]
        subprocess.run(['rabbitmqctl', '-q', 'add_vhost', self.name],
                       check=True, capture_output=True)
        self.addCleanup(subprocess.run,
                        ['rabbitmqctl', '-q', 'delete_vhost', self.name],
                        capture_output=True)
        subprocess.run(['rabbitmqctl', '-q', 'set_permissions', '-p',
                        self.name, 'guest', '.*', '.*', '.*'],
                       check=True, capture_output=True)
        self.url = processes.RABBIT_URL.rstrip('/') + '/' + self.name


class EngineErrorsOverRabbitTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        vhost = self.useFixture(RabbitVhost())
        self.db_url = databases.create('postgresql', self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        port = api_base.free_port()
        self.url = 'http://127.0.0.1:%d' % port
        conf_path, _values = processes.write_config(
            self.state_dir, self.db_url,
            DEFAULT={'transport_url': vhost.url},
            api={'bind_host': '127.0.0.1', 'bind_port': str(port),
                 'auth_strategy': 'noauth'})
        for node_id, role in (('engine', 'policy-engine'), ('api', 'api')):
            self.useFixture(processes.CongressServer(
                conf_path, '%s-%s' % (node_id, uuid.uuid4().hex[:6]),
                [role], self.state_dir))
        processes.wait_for(self._engine_answers, timeout=60,
                           message='the API and the engine answering')

    def call(self, method, path, **kwargs):
        return requests.request(method, self.url + path, timeout=30,
                                **kwargs)

    def _engine_answers(self):
        try:
            response = self.call('GET', '/v1/policies/classification/tables')
        except requests.ConnectionError:
            return False
        return response.status_code == 200

    def assert_fault(self, response, status, error_code, line=None,
                     column=None):
        self.assertEqual(status, response.status_code, response.text)
        error = response.json()['error']
        self.assertEqual(error_code, error['error_code'], response.text)
        self.assertNotIn('Traceback', response.text)
        self.assertNotIn('message bus', error['message'])
        if line is not None:
            self.assertEqual({'line': line, 'column': column},
                             {key: error['error_data'][key]
                              for key in ('line', 'column')})
        return error

    def insert(self, rule, policy='classification'):
        return self.call('POST', '/v1/policies/%s/rules' % policy,
                         json={'rule': rule})

    def test_each_rule_error_answers_its_4xx_with_line_and_column(self):
        cases = [
            # (rule, HTTP status, error code, line, column)
            ('p(x) :- q(x), builtin:xyz(x)', 400, 1106, 1, 15),
            ('p(x) :-\n  q(x),\n len(x, 3, 4)', 400, 1103, 3, 2),
            ('len(x, y) :- q(x, y)', 400, 1106, 1, 1),
            ('builtin:lt(x, y) :- q(x, y)', 400, 1106, 1, 1),
            ('p(x) :- q(x), datetime_lt(x, "not a date")', 400, 1106,
             1, 30),
            ('p(x) :- q(x), ip_in_network(x, "10.0.0.0/33")', 400, 1106,
             1, 32),
            ('p(x :- q(x)', 400, 1101, 1, 5),
            ('p(x, y) :- q(x)', 400, 1102, 1, 6),
            ('p(x) :- q(x), p(x)', 400, 1104, None, None),
        ]
        for rule, status, error_code, line, column in cases:
            self.assert_fault(self.insert(rule), status, error_code,
                              line, column)

    def test_policy_errors_answer_their_4xx(self):
        self.assert_fault(self.insert('p(x) :- q(x)', policy='nosuch'),
                          404, 1002)
        created = self.call('POST', '/v1/policies', json={'name': 'builtin'})
        self.assert_fault(created, 400, 1111)
        self.assertEqual(201, self.insert('p(1)').status_code)
        self.assert_fault(self.insert('p(1)'), 409, 1105)

    def test_simulate_errors_answer_their_4xx(self):
        def simulate(**body):
            document = {'query': 'p(x)', 'sequence': 'q+(1)',
                        'action_policy': 'action'}
            document.update(body)
            return self.call(
                'POST', '/v1/policies/classification?action=simulate',
                json=document)
        self.assertEqual(200, simulate().status_code)
        self.assert_fault(simulate(action_policy='nosuch'), 404, 1107)
        self.assert_fault(simulate(query='p(x'), 400, 1101, 1, 4)
        self.assert_fault(simulate(query='builtin:xyz(x)'), 400, 1106, 1, 1)
        self.assert_fault(simulate(sequence='act(1)'), 400, 1100)
