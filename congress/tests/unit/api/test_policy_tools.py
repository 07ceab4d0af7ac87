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

"""oslo.policy's command line tools load congress's enforcer through its
``oslo.policy.enforcer`` entry point."""

import os
import subprocess
import sys

import fixtures
import testtools


class PolicyGeneratorTestCase(testtools.TestCase):

    def test_rules_in_force_are_the_defaults_with_the_file_applied(self):
        work = self.useFixture(fixtures.TempDir()).path
        policy_file = os.path.join(work, 'policy.yaml')
        with open(policy_file, 'w') as out:
            out.write('"congress:data_source:list": "role:auditor"\n')
        conf_file = os.path.join(work, 'congress.conf')
        with open(conf_file, 'w') as out:
            out.write('[oslo_policy]\npolicy_file = %s\n' % policy_file)
        tool = os.path.join(os.path.dirname(sys.executable),
                            'oslopolicy-policy-generator')
        proc = subprocess.run(
            [tool, '--namespace', 'congress', '--config-file', conf_file],
            capture_output=True, text=True, timeout=120, cwd=work)
        self.assertEqual(0, proc.returncode, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertIn('"congress:data_source:list": "role:auditor"', lines)
        self.assertIn('"congress:data_source:create": "rule:admin_required"',
                      lines)
