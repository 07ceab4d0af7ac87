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

"""The generated reference tables (error codes, builtins, drivers) cover
what the code holds, and the pages use them instead of tables by hand."""

import glob
import importlib.util
import os
import re

import testtools

from congress.cloudservices import datasource_driver
from congress import exception
from congress.policy import builtin_functions

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..', '..'))
DOC = os.path.join(ROOT, 'doc', 'source')


def _generator():
    path = os.path.join(DOC, '_exts', 'congress_generated.py')
    spec = importlib.util.spec_from_file_location('congress_generated', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generated = _generator()


def _page(name):
    with open(os.path.join(DOC, name)) as page:
        return page.read()


def _rows(lines):
    """The first cell of every body row of the list-tables in ``lines``.
    """
    cells = []
    header = True
    for line in lines:
        if line.startswith('.. list-table::'):
            header = True
        elif line.startswith('   * - '):
            if not header:
                cells.append(line[len('   * - '):])
            header = False
    return cells


class ErrorCodesTestCase(testtools.TestCase):

    def test_every_code_the_code_assigns_is_listed(self):
        assigned = set()
        for path in glob.glob(os.path.join(ROOT, 'congress', '**', '*.py'),
                              recursive=True):
            if os.sep + 'tests' + os.sep in path:
                continue
            with open(path) as source:
                assigned.update(int(code) for code in re.findall(
                    r'^\s+error_code = (\d+)$', source.read(), re.M))
        listed = {int(code) for code in _rows(generated.error_codes_rst())}
        self.assertEqual(assigned | {exception.CongressException.error_code},
                         listed)
        # the codes the issue found missing or misplaced
        for code in (1005, 1006, 1007, 1010, 1022, 1100, 1106, 1107):
            self.assertIn(code, listed)

    def test_one_meaning_per_code(self):
        seen = {}
        for cls in generated.error_classes():
            self.assertNotIn(cls.error_code, seen,
                             '%s and %s share %d' % (
                                 cls, seen.get(cls.error_code),
                                 cls.error_code))
            seen[cls.error_code] = cls
            self.assertGreaterEqual(cls.code, 400)

    def test_reference_uses_the_generated_table(self):
        page = _page('api-ref/index.rst')
        self.assertIn('.. congress-error-codes::', page)
        self.assertNotIn('list-table:: Error codes', page)


class BuiltinsTestCase(testtools.TestCase):

    def test_every_builtin_is_listed_once(self):
        rows = _rows(generated.builtins_rst())
        self.assertEqual(
            sorted('``%s``' % builtin.signature
                   for builtin in builtin_functions.BUILTINS.values()),
            sorted(rows))
        self.assertEqual(len(builtin_functions.BUILTINS), len(rows))

    def test_page_uses_the_generated_table(self):
        self.assertIn('.. congress-builtins::', _page('user/builtins.rst'))


class DriversTestCase(testtools.TestCase):

    def test_every_registered_driver_has_its_section(self):
        drivers = generated.driver_classes()
        self.assertLessEqual({'cinder', 'doctor', 'fake', 'nova',
                              'neutronv2', 'neutronv2_qos', 'keystonev3',
                              'glancev2'}, set(drivers))
        text = '\n'.join(generated.drivers_rst())
        for name, cls in drivers.items():
            self.assertIn('The ``%s`` driver' % name, text)
            for table, columns in cls.get_schema().items():
                self.assertIn('.. list-table:: %s:%s' % (name, table), text)
                for column in columns:
                    self.assertIn('``%s``' % column['name'], text)
            for key in cls.CONFIG:
                self.assertIn('``%s``' % key, text)

    def test_every_declared_action_is_listed(self):
        for name, cls in generated.driver_classes().items():
            lines = generated.driver_rst(name, cls)
            actions = generated.driver_actions(name, cls)
            listed = _rows(lines[lines.index('Actions of ``%s``' % name):])
            self.assertEqual(['``%s``' % a['name'] for a in actions], listed)
        nova = generated.driver_actions('nova',
                                        generated.driver_classes()['nova'])
        self.assertGreater(len(nova), 100)
        names = {action['name'] for action in nova}
        self.assertTrue({'servers.pause', 'servers_set_meta'} <= names)

    def test_actions_are_those_a_data_source_offers(self):
        cls = generated.driver_classes()['fake']
        offered = cls('demo', {}).get_actions()
        self.assertEqual(offered, generated.driver_actions('fake', cls))
        self.assertTrue(issubclass(cls, datasource_driver.DataSourceDriver))

    def test_page_uses_the_generated_tables(self):
        self.assertIn('.. congress-drivers::', _page('user/drivers.rst'))
