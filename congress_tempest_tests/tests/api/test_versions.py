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

from tempest.lib import decorators

from congress_tempest_tests.tests import base


class VersionsTest(base.BaseCongressTest):

    @decorators.idempotent_id('0f5e6a53-3b43-4d52-9b4e-2a7b0b1f0e01')
    def test_list_versions(self):
        versions = self.member.versions.list_versions()['versions']
        self.assertEqual(['v1'], [v['id'] for v in versions])
        self.assertEqual('CURRENT', versions[0]['status'])
        self.assertTrue(versions[0]['links'])

    @decorators.idempotent_id('0f5e6a53-3b43-4d52-9b4e-2a7b0b1f0e02')
    def test_show_v1(self):
        body = self.member.versions.show_version('v1')
        self.assertIsInstance(body, dict)
        self.assertTrue(body)
