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

"""[datasources] enabled_drivers: the test driver ``fake`` is off by
default, and on in the configurations of tests and demos, which otherwise
keep every default driver."""

import configparser
import os
import re

from stevedore import extension

from congress.cloudservices import loader
from congress.conf import datasources as datasources_conf
from congress.tests import base

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    '..', '..', '..', '..'))


def shell_setting(path, pattern):
    """The comma-separated list ``pattern`` (a regex with one group)
    finds in the file ``path``."""
    with open(os.path.join(REPO, path)) as handle:
        found = re.findall(pattern, handle.read(), re.MULTILINE)
    if len(found) != 1:
        raise AssertionError('%s: %d settings' % (path, len(found)))
    return found[0].split(',')


class EnabledDriversTestCase(base.TestCase):

    def test_default_is_every_installed_driver_but_fake(self):
        installed = set(extension.ExtensionManager(loader.NAMESPACE).names())
        self.assertIn('fake', installed)
        self.assertEqual(installed - {'fake'},
                         set(datasources_conf.DEFAULT_DRIVERS))
        option, = [o for o in datasources_conf.OPTS
                   if o.name == 'enabled_drivers']
        self.assertEqual(datasources_conf.DEFAULT_DRIVERS, option.default)
        self.config_fixture.conf.clear_override('enabled_drivers',
                                                group='datasources')
        self.assertNotIn('fake', base.CONF.datasources.enabled_drivers)
        self.assertEqual([], [name for name in loader.enabled_drivers()
                              if name == 'fake'])

    def test_unit_tests_enable_fake(self):
        self.assertIn('fake', base.CONF.datasources.enabled_drivers)
        self.assertEqual(base.TEST_DRIVERS,
                         base.CONF.datasources.enabled_drivers)

    def test_test_and_demo_configurations_enable_fake(self):
        embedded = configparser.RawConfigParser()
        embedded.read(os.path.join(REPO, 'etc', 'congress', 'embedded.conf'))
        configured = {
            'embedded.conf': embedded.get('datasources',
                                          'enabled_drivers').split(','),
            'run-tempest.sh': shell_setting(
                'tools/run-tempest.sh', r'^enabled_drivers = (\S+)$'),
            'devstack': shell_setting(
                'devstack/settings',
                r'^CONGRESS_ENABLED_DRIVERS=\$\{CONGRESS_ENABLED_DRIVERS:-'
                r'(\S+)\}$'),
        }
        for where, drivers in configured.items():
            self.assertEqual(sorted(base.TEST_DRIVERS), sorted(drivers),
                             where)
