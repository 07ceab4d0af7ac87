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

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base

CONF = config.CONF


class DriversTest(base.BaseCongressTest):

    @decorators.idempotent_id('4d3f4083-a031-4ea1-9d74-9f6c305d4001')
    def test_list_drivers(self):
        drivers = self.member.drivers.list_drivers()['results']
        ids = [d['id'] for d in drivers]
        if CONF.congress_feature_enabled.nova_driver:
            self.assertIn('nova', ids)
        for driver in drivers:
            self.assertIn('description', driver)

    @decorators.idempotent_id('4d3f4083-a031-4ea1-9d74-9f6c305d4002')
    def test_show_nova_driver(self):
        if not CONF.congress_feature_enabled.nova_driver:
            raise self.skipException('the nova driver is not enabled')
        nova = self.member.drivers.show_driver('nova')
        self.assertEqual('nova', nova['id'])
        self.assertEqual('required', nova['config']['auth_url'])
        self.assertEqual('(optional)', nova['config']['region_name'])
        self.assertIn('password', nova['secret'])
        tables = nova['tables']
        names = [t.get('table_id', t.get('id')) if isinstance(t, dict)
                 else t for t in tables]
        self.assertIn('servers', names)

    @decorators.idempotent_id('4d3f4083-a031-4ea1-9d74-9f6c305d4003')
    def test_unknown_driver_is_404(self):
        self.assert_error(lib_exc.NotFound, self.member.drivers.show_driver,
                          'no-such-driver')
