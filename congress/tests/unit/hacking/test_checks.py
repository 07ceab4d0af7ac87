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

"""Congress's own flake8 checks, and the rule they guard."""

import subprocess
import sys

import testtools

from congress.hacking import checks


class NoEventletTestCase(testtools.TestCase):

    def test_imports_of_eventlet_are_reported(self):
        for line in ('import eventlet', 'from eventlet import greenthread',
                     '    import eventlet.hubs',
                     'from eventlet.green import os'):
            self.assertEqual(1, len(list(checks.no_eventlet_import(line))),
                             line)

    def test_other_imports_pass(self):
        for line in ('import eventlets', 'from futurist import green',
                     'x = "import eventlet"', '# import eventlet'):
            self.assertEqual([], list(checks.no_eventlet_import(line)), line)

    def test_the_service_loads_without_eventlet(self):
        # every module a congress-server process loads, in a fresh
        # interpreter: eventlet stays out although it is installed
        code = ('import sys, congress.cmd.server, congress.api.app, '
                'congress.dse.coordination, congress.policy.engine_service; '
                'loaded = [m for m, v in sys.modules.items() '
                'if m.split(".")[0] == "eventlet" and v is not None]; '
                'print(loaded); sys.exit(1 if loaded else 0)')
        result = subprocess.run([sys.executable, '-c', code],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode,
                         result.stdout + result.stderr)
        self.assertNotIn('EventletDeprecationWarning', result.stderr)
