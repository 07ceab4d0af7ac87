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

"""The API's enforcer looks for its policy file once a second, not on
every check, and still takes a new or changed file."""

import os
from unittest import mock

import fixtures
from oslo_config import cfg

from congress.api import policy_enforcer
from congress import context as congress_context
from congress import exception
from congress.tests import base

RULE = 'congress:data_source:execute'


class PolicyFileLookTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        work = self.useFixture(fixtures.TempDir()).path
        self.policy_file = os.path.join(work, 'policy.yaml')
        policy_enforcer.reset()
        self.addCleanup(policy_enforcer.reset)
        policy_enforcer.init_enforcer(policy_file=self.policy_file)
        self.clock = 1000.0
        self.useFixture(fixtures.MockPatch(
            'congress.api.policy_enforcer.time.monotonic',
            side_effect=lambda: self.clock))
        self.member = congress_context.RequestContext(
            user_id='u', project_id='p', roles=['member'])

    def _allowed(self):
        try:
            policy_enforcer.authorize(RULE, self.member)
        except exception.Forbidden:
            return False
        return True

    def _write_policy(self, text):
        with open(self.policy_file, 'w') as out:
            out.write(text)

    def test_checks_within_a_second_look_for_the_file_once(self):
        find_file = mock.Mock(wraps=cfg.CONF.find_file)
        with mock.patch.object(cfg.CONF, 'find_file', find_file):
            for _ in range(5):
                self.assertFalse(self._allowed())
                self.clock += 0.1
            looks = find_file.call_count
            self.assertGreater(looks, 0)
            self.clock += policy_enforcer.RELOAD_CHECK_SECONDS
            self.assertFalse(self._allowed())
        self.assertGreater(find_file.call_count, looks)
        # each look searches for the file and for policy.d
        self.assertEqual(2 * looks, find_file.call_count)

    def test_a_policy_file_written_later_takes_effect_within_a_second(self):
        self.assertFalse(self._allowed())
        self._write_policy('"%s": ""\n' % RULE)
        self.clock += policy_enforcer.RELOAD_CHECK_SECONDS / 2
        self.assertFalse(self._allowed())
        self.clock += policy_enforcer.RELOAD_CHECK_SECONDS
        self.assertTrue(self._allowed())

    def test_a_changed_policy_file_takes_effect_within_a_second(self):
        self._write_policy('"%s": ""\n' % RULE)
        self.assertTrue(self._allowed())
        self._write_policy('"%s": "role:admin"\n' % RULE)
        # oslo.policy rereads a file whose modification time went up
        later = os.path.getmtime(self.policy_file) + 10
        os.utime(self.policy_file, (later, later))
        self.clock += policy_enforcer.RELOAD_CHECK_SECONDS * 1.5
        self.assertFalse(self._allowed())

    def test_a_forced_reload_looks_at_once(self):
        self.assertFalse(self._allowed())
        self._write_policy('"%s": ""\n' % RULE)
        policy_enforcer.init_enforcer().load_rules(force_reload=True)
        self.assertTrue(self._allowed())
