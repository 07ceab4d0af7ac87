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

"""The configuration sample says what the services use."""

import os
import re
import subprocess
import sys

import fixtures
from oslo_config import cfg
import oslo_messaging as messaging

from congress.dse import rpc
from congress.tests import base

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    '..', '..', '..', '..'))
GENERATOR_CONF = os.path.join(REPO, 'etc', 'congress',
                              'congress-config-generator.conf')


def sample_defaults(path):
    """{(section, option): default} of a sample's commented-out options."""
    defaults, section = {}, None
    with open(path) as f:
        for line in f:
            header = re.match(r'^\[(.+)\]$', line)
            option = re.match(r'^#([\w-]+) = (.*)$', line)
            if header:
                section = header.group(1)
            elif option:
                defaults[(section, option.group(1))] = option.group(2)
    return defaults


class SampleTest(base.TestCase):

    def setUp(self):
        super().setUp()
        out = os.path.join(self.useFixture(fixtures.TempDir()).path,
                           'congress.conf.sample')
        # in a process of its own, as CI runs it: nothing this process has
        # set up may leak into the sample
        subprocess.run(
            [sys.executable, '-c',
             'from oslo_config import generator; generator.main()',
             '--config-file', GENERATOR_CONF, '--output-file', out],
            cwd=REPO, check=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        self.defaults = sample_defaults(out)

    def test_control_exchange_is_the_services(self):
        rpc.init()
        conf = cfg.ConfigOpts()
        conf([])
        transport = messaging.get_rpc_transport(conf, url='fake:///')
        self.addCleanup(transport.cleanup)
        self.assertEqual('congress', conf.control_exchange)
        self.assertEqual(conf.control_exchange,
                         self.defaults[('DEFAULT', 'control_exchange')])

    def test_the_test_driver_is_off(self):
        # in the generated sample and in the one the repository ships
        shipped = sample_defaults(os.path.join(REPO, 'etc', 'congress',
                                               'congress.conf.sample'))
        for defaults in (self.defaults, shipped):
            drivers = defaults[('datasources', 'enabled_drivers')]
            self.assertNotIn('fake', drivers.split(','))
            self.assertIn('nova', drivers.split(','))
