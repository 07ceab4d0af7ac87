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

"""Congress API processes behind a real keystone (the test bed's)."""

import functools
import os
import socket
import subprocess
import threading
import uuid

import fixtures
import requests

from congress.db import api as db_api
from congress.db import migration
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import testbed
from congress.tests.functional import processes


# A keystone of our own (same script, own state dir and ports), so that
# test runs that take the shared test bed up or down do not pull the
# identity service from under these tests.
TESTBED_DIR = os.environ.get('CONGRESS_API_TESTBED_DIR',
                             '/tmp/congress-testbed-api')
TESTBED_PORT_OFFSET = os.environ.get('CONGRESS_API_TESTBED_PORT_OFFSET',
                                     '200')

_testbed_lock = threading.Lock()
_testbed_info = None


class Keystone(fixtures.Fixture):
    """``tools/openstack-testbed.sh up --keystone-only`` in
    ``TESTBED_DIR`` (once per process); the parsed testbed.json is
    :attr:`info`."""

    def _setUp(self):
        global _testbed_info
        self.useFixture(fixtures.EnvironmentVariable('CONGRESS_TESTBED_DIR',
                                                     TESTBED_DIR))
        self.useFixture(fixtures.EnvironmentVariable(
            'CONGRESS_TESTBED_PORT_OFFSET', TESTBED_PORT_OFFSET))
        with _testbed_lock:
            if _testbed_info is None or not self._answers(_testbed_info):
                testbed._run(['up', '--keystone-only'], testbed.UP_TIMEOUT)
                _testbed_info = testbed.load_info()
            self.info = _testbed_info

    @staticmethod
    def _answers(info):
        try:
            return requests.get(info['auth_url'], timeout=5).ok
        except requests.RequestException:
            return False

    def __getattr__(self, name):
        info = self.__dict__.get('info')
        if info is not None and name in info:
            return info[name]
        raise AttributeError(name)

    @staticmethod
    def _script(command):
        env = dict(os.environ, CONGRESS_TESTBED_DIR=TESTBED_DIR,
                   CONGRESS_TESTBED_PORT_OFFSET=TESTBED_PORT_OFFSET)
        return subprocess.run([testbed.SCRIPT, command], env=env,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=120,
                              check=False).returncode == 0

    @classmethod
    def running(cls):
        """Whether this keystone is up (from any process)."""
        return cls._script('status')

    @classmethod
    def stop(cls):
        """Stop this keystone (tests leave it up for the next ones; a
        script that started it stops it)."""
        global _testbed_info
        with _testbed_lock:
            cls._script('down')
            _testbed_info = None

    def session(self, who='admin'):
        return testbed.make_session(self.info, who)

    def credentials(self, who='admin'):
        return testbed.credentials(self.info, who)


def authtoken_section(service, **extra):
    """The [keystone_authtoken] options for the service user
    ``service`` (keystone credentials)."""
    section = {'www_authenticate_uri': service['auth_url'],
               'auth_url': service['auth_url'],
               'auth_type': 'password'}
    section.update((key, service[key]) for key in (
        'username', 'password', 'project_name', 'user_domain_name',
        'project_domain_name'))
    section.update(extra)
    return section


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class KeystoneApiTestCase(base.TestCase):
    """A ``congress-server --api`` process with auth_strategy = keystone
    and a ``--datasources --policy-engine`` process, over RabbitMQ and
    MariaDB, against the test bed's keystone."""

    DB_BACKEND = 'mysql'

    def setUp(self):
        super().setUp()
        self.testbed = self.useFixture(Keystone())
        self.db_url = databases.create(self.DB_BACKEND, self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        service = self.testbed.credentials('service')
        self.conf_path, _values = processes.write_config(
            self.state_dir, self.db_url,
            api={'bind_host': '127.0.0.1', 'bind_port': str(self.port),
                 'auth_strategy': 'keystone', 'threads': '8'},
            keystone_authtoken=authtoken_section(
                service, region_name=self.testbed.region))
        self.worker = self.start_server('ds-engine-%s' % uuid.uuid4().hex[:6],
                                        ['datasources', 'policy-engine'])
        self.api = self.start_server('api-%s' % uuid.uuid4().hex[:6],
                                     ['api'])
        processes.wait_for(self._api_up, timeout=60,
                           message='the API answering on %s' % self.url)
        self.tokens = {}

    def start_server(self, node_id, roles):
        return self.useFixture(processes.CongressServer(
            self.conf_path, node_id, roles, self.state_dir))

    def _api_up(self):
        try:
            return requests.get(self.url + '/', timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def token(self, who):
        if who not in self.tokens:
            self.tokens[who] = self.testbed.session(who).get_token()
        return self.tokens[who]

    def call(self, method, path, who=None, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        if who is not None:
            token = self.token(who)
        if token is not None:
            headers['X-Auth-Token'] = token
        return requests.request(method, self.url + path, headers=headers,
                                timeout=30, **kwargs)

    def assert_fault(self, response, status, error_code=None):
        self.assertEqual(status, response.status_code, response.text)
        self.assertEqual('application/json',
                         response.headers['Content-Type'].split(';')[0])
        error = response.json()['error']
        self.assertEqual({'message', 'error_code', 'error_data'}, set(error))
        if error_code is not None:
            self.assertEqual(error_code, error['error_code'])
        self.assertNotIn('Traceback', response.text)
        return error['message']

    def create_fake(self, name='fake', **config):
        response = self.call('POST', '/v1/data-sources', 'admin',
                             json={'name': name, 'driver': 'fake',
                                   'config': config})
        self.assertEqual(201, response.status_code, response.text)
        processes.wait_for(
            lambda: self.call('GET', '/v1/data-sources/%s/actions' % name,
                              'admin').status_code == 200,
            timeout=30, message='data source %s on the bus' % name)
        return response.json()


#: ``congress.tests.base.wait_for`` polling an API process.
wait_json = functools.partial(base.wait_for, interval=0.1)
