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

"""``congress-server --config-file etc/congress/embedded.conf`` starts,
answers and stops without printing a single deprecation warning (no
eventlet banner, no library deprecation shown to the operator)."""

import os
import signal
import subprocess
import sys

import requests

from congress.tests import base
from congress.tests.functional.fixtures import private_services

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                         '..', '..', '..'))


class EmbeddedServerWarningsTestCase(base.TestCase):

    def test_no_deprecation_warning(self):
        # the embedded config reads etc/... and writes ./congress-data
        # relative to where it runs: a work dir of its own
        os.symlink(os.path.join(REPO_ROOT, 'etc'),
                   os.path.join(self.state_dir, 'etc'))
        port = private_services.free_port()
        with open(os.path.join(self.state_dir, 'port.conf'), 'w') as f:
            f.write('[api]\nbind_port = %d\n' % port)
        server = os.path.join(os.path.dirname(sys.executable),
                              'congress-server')
        env = dict(os.environ)
        env.pop('PYTHONWARNINGS', None)
        with open(os.path.join(self.state_dir, 'out'), 'w+') as out:
            process = subprocess.Popen(
                [server, '--config-file', 'etc/congress/embedded.conf',
                 '--config-file', 'port.conf'],
                cwd=self.state_dir, stdout=out, stderr=subprocess.STDOUT,
                env=env)
            self.addCleanup(_kill, process)

            def answers():
                if process.poll() is not None:
                    raise AssertionError('congress-server exited with %s'
                                         % process.returncode)
                try:
                    return requests.get('http://127.0.0.1:%d/' % port,
                                        timeout=2).status_code == 200
                except requests.ConnectionError:
                    return False

            base.wait_for(answers, timeout=120, interval=0.5,
                          message='congress-server answering on %d' % port)
            process.send_signal(signal.SIGTERM)
            self.assertEqual(0, process.wait(60))
            out.seek(0)
            output = out.read()
        for word in ('Deprecat', 'deprecat', 'eventlet', 'Eventlet'):
            self.assertNotIn(word, output)
        self.assertIn('congress', output.lower())


def _kill(process):
    if process.poll() is None:
        process.kill()
        process.wait()
