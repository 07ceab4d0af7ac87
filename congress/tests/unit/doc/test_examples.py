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

"""Every request example of the documentation, run against the embedded
default (a ``congress-server`` on etc/congress/embedded.conf: SQLite, the
fake transport, the demo cloud) and compared with what the page shows."""

import glob
import os
import socket
import subprocess
import sys
import time

import ddt
import fixtures
import requests
import testtools

from congress.tests import base
from congress.tests.unit.doc import examples

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..', '..'))
DOC = os.path.join(ROOT, 'doc', 'source')
PAGES = sorted(os.path.relpath(path, DOC) for path in glob.glob(
    os.path.join(DOC, '**', '*.rst'), recursive=True)
    if examples.read_examples(path))

#: How long a GET is repeated until its answer has the shown shape (the
#: server polls and runs actions in the background).
SETTLE_TIME = 15.0


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class EmbeddedServer(fixtures.Fixture):
    """``congress-server --config-file etc/congress/embedded.conf`` run from
    the top of the tree, with its state, database and port of its own."""

    def __init__(self, state_dir):
        super().__init__()
        self.state_dir = state_dir
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port

    def _setUp(self):
        override = os.path.join(self.state_dir, 'override.conf')
        with open(override, 'w') as conf_file:
            conf_file.write(
                '[DEFAULT]\nstate_path = %(dir)s\n'
                '[api]\nbind_port = %(port)d\n'
                '[database]\nconnection = sqlite:///%(dir)s/congress.sqlite\n'
                % {'dir': self.state_dir, 'port': self.port})
        self.log_path = os.path.join(self.state_dir, 'server.log')
        log = open(self.log_path, 'w')
        self.addCleanup(log.close)
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'congress.cmd.server', '--config-file',
             'etc/congress/embedded.conf', '--config-file', override],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT)
        self.addCleanup(base.terminate, self.process)
        base.wait_for(self._ready, timeout=60, message='embedded server up')

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError('congress-server exited: %s' % self.log())
        try:
            return requests.get(self.url + '/v1/data-sources/demo/status',
                                timeout=2).json().get('initialized') == 'True'
        except (requests.RequestException, ValueError):
            return False

    def log(self):
        with open(self.log_path) as log:
            return log.read()[-5000:]


def run_example(example, url, bindings, settle_time=SETTLE_TIME):
    """Send ``example``'s request; returns the bindings after comparing
    the answer with the page.

    :raises AssertionError: the answer differs from the page.
    """
    path = examples.substitute(example.path, bindings, url)
    body = examples.substitute(example.body, bindings, url)
    deadline = time.monotonic() + (settle_time if example.method == 'GET'
                                   else 0)
    while True:
        response = requests.request(
            example.method, url + path, json=body, timeout=30,
            allow_redirects=False)
        try:
            return _compare(example, response, bindings, url)
        except AssertionError as exc:
            if time.monotonic() >= deadline:
                raise AssertionError('%r: %s\nanswer: %s %s' % (
                    example, exc, response.status_code,
                    response.text)) from None
        time.sleep(0.2)


def _compare(example, response, bindings, url):
    if response.status_code != example.status:
        raise AssertionError('status %d, shown %d' % (response.status_code,
                                                      example.status))
    for name, shown in example.headers.items():
        bindings = examples.match(shown, response.headers.get(name),
                                  bindings, url, name)
    if example.answer is not None:
        bindings = examples.match(example.answer, response.json(), bindings,
                                  url)
    return bindings


@ddt.ddt
class DocumentedExamplesTestCase(testtools.TestCase):
    """The examples of one page, in page order, on a fresh server."""

    def test_pages_have_examples(self):
        # the user guide and every endpoint page of the api-ref
        for page in ('user/actions.rst', 'api-ref/data-sources.rst',
                     'api-ref/drivers.rst', 'api-ref/executions.rst',
                     'api-ref/library-policies.rst', 'api-ref/policies.rst',
                     'api-ref/versions.rst', 'api-ref/index.rst'):
            self.assertIn(page, PAGES)
        self.assertGreaterEqual(
            sum(len(examples.read_examples(os.path.join(DOC, page)))
                for page in PAGES), 83)

    @ddt.data(*PAGES)
    def test_page(self, page):
        state_dir = self.useFixture(fixtures.TempDir()).path
        server = self.useFixture(EmbeddedServer(state_dir))
        bindings = {}
        for example in examples.read_examples(os.path.join(DOC, page)):
            try:
                bindings = run_example(example, server.url, bindings)
            except AssertionError as exc:
                raise AssertionError('%s\nserver log:\n%s' % (
                    exc, server.log())) from None
