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

"""Data sources created at start from [datasources] preload_file, and the
fake driver's seed of things (the demo cloud of the embedded default)."""

import os

from congress.cloudservices import fake_driver
from congress.db import datasources as datasources_db
from congress.dse import preload
from congress import exception
from congress.tests import base

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..', '..'))
DEMO = os.path.join(ROOT, 'etc', 'congress', 'demo-cloud.yaml')


class SeedTestCase(base.TestCase):

    def test_seed_creates_named_things(self):
        driver = fake_driver.FakeDriver('demo', {'seed': 'a:ACTIVE, b:ERROR',
                                                 'things': 1})
        self.assertEqual(
            [('a', 'ACTIVE'), ('b', 'ERROR'), ('thing-0', 'ACTIVE')],
            sorted((t['name'], t['status']) for t in driver.things.list()))

    def test_bad_seed_is_refused(self):
        for seed in ('a', 'a:', ':ERROR', 'a:ACTIVE,,b:ERROR', 3):
            self.assertRaises(exception.BadRequest,
                              fake_driver.FakeDriver.validate_config,
                              {'seed': seed})


class PreloadTestCase(base.DbTestCase):

    def write(self, text):
        path = os.path.join(self.state_dir, 'preload.yaml')
        with open(path, 'w') as out:
            out.write(text)
        return path

    def test_the_demo_cloud_is_created_once(self):
        self.config(preload_file=DEMO, group='datasources')
        self.assertEqual(['demo'], preload.preload())
        self.assertEqual([], preload.preload())
        stored = datasources_db.get('demo')
        self.assertEqual('fake', stored['driver'])
        things = fake_driver.FakeDriver('demo', stored['config']).fetch()
        self.assertEqual([('db-1', 'ERROR'), ('web-1', 'ACTIVE'),
                          ('web-2', 'ACTIVE')],
                         sorted((t['name'], t['status'])
                                for t in things['things']))

    def test_deleted_comes_back(self):
        self.config(preload_file=DEMO, group='datasources')
        preload.preload()
        datasources_db.delete('demo')
        self.assertEqual(['demo'], preload.preload())

    def test_refused_entries_are_skipped(self):
        path = self.write(
            'data_sources:\n'
            '  - {name: a, driver: glance}\n'
            '  - {name: b, driver: fake, config: {seed: "x"}}\n'
            '  - {name: c, driver: nova, config: {username: u}}\n'
            '  - {driver: fake}\n'
            '  - {name: d, driver: fake, config: {things: 2},'
            ' enabled: false}\n')
        self.assertEqual(['d'], preload.preload(path))
        self.assertEqual(['d'], [ds['name']
                                 for ds in datasources_db.list_all()])
        self.assertFalse(datasources_db.get('d')['enabled'])

    def test_unusable_files_create_nothing(self):
        for text in ('data_sources: {name: a}\n', '[1, 2]\n', ': : :\n'):
            self.assertEqual([], preload.preload(self.write(text)))
        self.assertEqual([], preload.preload(
            os.path.join(self.state_dir, 'missing.yaml')))
        self.assertEqual([], preload.preload())
        self.assertEqual([], datasources_db.list_all())
