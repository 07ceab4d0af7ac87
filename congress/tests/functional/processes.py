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

"""congress-server processes for functional tests, on the real broker."""

import os
import signal
import subprocess
import sys
import uuid

import fixtures
from testtools import content

from congress.tests import base

RABBIT_URL = os.environ.get('CONGRESS_TEST_TRANSPORT_URL',
                            'rabbit://guest:guest@127.0.0.1:5672/')


#: The settings of a deployment where the tests' differ: periodic tasks at
#: their defaults, not the tests' quick ones, and oslo.messaging's
#: prefetch (benchmarks measure what a deployment gets). Sections for
#: ``write_config``.
DEPLOYMENT_DEFAULTS = {
    'dse': {'heartbeat_interval': '5', 'service_down_time': '20',
            'directory_cache_time': '1'},
    'execution': {'reaper_interval': '10'},
    'datasources': {'manager_sync_interval': '5'},
    'oslo_messaging_rabbit': {'rabbit_qos_prefetch_count': '0'},
}


def write_config(directory, database_url, deployment_defaults=False,
                 **sections):
    """A congress.conf for every process of one test; ``sections`` maps a
    group name to ``{option: value}`` added to or replacing the defaults
    (with ``deployment_defaults``, those of ``DEPLOYMENT_DEFAULTS`` first).
    """
    config = {
        'DEFAULT': {'transport_url': RABBIT_URL,
                    'state_path': directory,
                    'debug': 'false'},
        'database': {'connection': database_url},
        'dse': {'bus_id': 'test-%s' % uuid.uuid4().hex[:8],
                'heartbeat_interval': '0.5',
                'service_down_time': '3',
                'directory_cache_time': '0'},
        'execution': {'reaper_interval': '0.5'},
        'datasources': {'manager_sync_interval': '0.5',
                        'encryption_key_file': os.path.join(directory,
                                                            'key'),
                        'enabled_drivers': ','.join(base.TEST_DRIVERS)},
        'oslo_messaging_rabbit': {'rabbit_qos_prefetch_count': '8'},
        # one API process unless a test asks for more
        'api': {'workers': '1'},
    }
    layers = [DEPLOYMENT_DEFAULTS, sections] if deployment_defaults \
        else [sections]
    for layer in layers:
        for group, values in layer.items():
            config.setdefault(group, {}).update(values)
    path = os.path.join(directory, 'congress.conf')
    with open(path, 'w') as conf_file:
        for group, values in config.items():
            conf_file.write('[%s]\n' % group)
            for key, value in values.items():
                conf_file.write('%s = %s\n' % (key, value))
    return path, config


class CongressServer(fixtures.Fixture):
    """One ``congress-server`` OS process with the given roles."""

    def __init__(self, config_file, node_id, roles, log_dir):
        super().__init__()
        self.config_file = config_file
        self.node_id = node_id
        self.roles = roles
        self.log_path = os.path.join(log_dir, '%s.log' % node_id)
        self.process = None

    def _setUp(self):
        self.start()
        self.addCleanup(self.terminate)
        self.addDetail('log-%s' % self.node_id, content.Content(
            content.UTF8_TEXT, lambda: [self.log()[-20000:].encode()]))

    def start(self):
        command = [sys.executable, '-m', 'congress.cmd.server',
                   '--config-file', self.config_file,
                   '--node-id', self.node_id,
                   '--log-file', self.log_path]
        command += ['--%s' % role for role in self.roles]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL,
                                        stderr=open(self.log_path + '.err',
                                                    'w'))

    def kill(self):
        """SIGKILL: the process gets no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self, timeout=30):
        """SIGTERM, then wait for the clean shutdown; returns the exit
        code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log(self):
        text = ''
        for path in (self.log_path, self.log_path + '.err'):
            if os.path.exists(path):
                with open(path) as log_file:
                    text += log_file.read()
        return text


wait_for = base.wait_for
