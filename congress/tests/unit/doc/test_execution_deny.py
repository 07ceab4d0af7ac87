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

"""The deny list for production ([execution] deny, commented in the
sample): each pattern refuses some action a driver of this release
declares, none refuses what the shipped library policies do, and the
administrator guide explains every one."""

import fnmatch
import glob
import os
import re

import yaml

from congress.conf import execution as execution_conf
from congress.tests import base
from congress.tests.unit.doc import test_generated

PAGE = os.path.join(test_generated.DOC, 'admin', 'execution.rst')
LIBRARY = os.path.join(test_generated.ROOT, 'etc', 'congress', 'library')


def denied(full_name):
    return [p for p in execution_conf.PRODUCTION_DENY
            if fnmatch.fnmatchcase(full_name, p)]


class ProductionDenyTestCase(base.TestCase):

    def test_every_pattern_refuses_a_declared_action(self):
        generated = test_generated.generated
        names = ['%s:%s' % (name, action['name'])
                 for name, cls in generated.driver_classes().items()
                 for action in generated.driver_actions(name, cls)]
        for pattern in execution_conf.PRODUCTION_DENY:
            self.assertTrue(fnmatch.filter(names, pattern), pattern)
        for name in ('nova:servers.delete', 'keystonev3:projects.delete',
                     'keystonev3:users.delete', 'neutronv2:delete_network',
                     'cinder:volumes.delete', 'glancev2:images.delete',
                     'keystonev3:roles.grant'):
            self.assertIn(name, names)
            self.assertTrue(denied(name), name)
        for name in ('nova:servers.pause', 'nova:servers.stop',
                     'nova:servers_set_meta', 'keystonev3:projects_disable',
                     'neutronv2:delete_security_group_rule'):
            self.assertIn(name, names)
            self.assertEqual([], denied(name), name)

    def test_library_policies_keep_their_actions(self):
        actions = set()
        for path in glob.glob(os.path.join(LIBRARY, '*.yaml')):
            with open(path) as handle:
                text = yaml.safe_dump(yaml.safe_load(handle))
            actions.update(re.findall(r'execute\[(\w+:[\w.]+)\(', text))
        self.assertIn('neutronv2:delete_security_group_rule', actions)
        for action in actions:
            self.assertEqual([], denied(action), action)

    def test_the_guide_explains_every_pattern(self):
        with open(PAGE) as page:
            shown = set(re.findall(r'``(\*:[^`]+)``', page.read()))
        self.assertEqual(set(execution_conf.PRODUCTION_DENY), shown)

    def test_the_sample_ships_it_commented(self):
        sample = os.path.join(test_generated.ROOT, 'etc', 'congress',
                              'congress.conf.sample')
        with open(sample) as handle:
            lines = handle.read().splitlines()
        section = lines[lines.index('[execution]'):]
        self.assertIn('#deny = %s' % ','.join(
            execution_conf.PRODUCTION_DENY), section)
        option, = [o for o in execution_conf.OPTS if o.name == 'deny']
        self.assertEqual([], option.default)
