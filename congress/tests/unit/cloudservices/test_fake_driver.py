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

"""The test driver ``fake``: its record file stays under state_path."""

import json
import os

import fixtures

from congress.cloudservices import fake_driver
from congress import exception
from congress.tests import base


class RecordFileTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.outside = self.useFixture(fixtures.TempDir()).path

    def records(self, path):
        with open(path) as record:
            return [json.loads(line)['action'] for line in record]

    def run_action(self, record_file):
        driver = fake_driver.FakeDriver('fake', {'record_file': record_file})
        driver.execute('things.create', ['thing'], {})

    def assert_refused(self, record_file):
        error = self.assertRaises(exception.BadRequest,
                                  fake_driver.FakeDriver.validate_config,
                                  {'record_file': record_file})
        self.assertEqual(400, error.code)
        self.assertIn('record_file', str(error))
        self.assertIn('state_path', str(error))
        # the path asked for is quoted, the server's state_path is not
        self.assertIn(repr(record_file), str(error))
        self.assertNotIn(self.state_dir,
                         str(error).replace(repr(record_file), ''))
        self.assertRaises(exception.BadRequest, fake_driver.FakeDriver,
                          'fake', {'record_file': record_file})

    def test_a_relative_path_is_taken_from_state_path(self):
        os.mkdir(os.path.join(self.state_dir, 'sub'))
        self.run_action('sub/runs.jsonl')
        self.assertEqual(['things.create'], self.records(
            os.path.join(self.state_dir, 'sub', 'runs.jsonl')))

    def test_an_absolute_path_under_state_path(self):
        path = os.path.join(self.state_dir, 'runs.jsonl')
        self.run_action(path)
        self.run_action(path)
        self.assertEqual(['things.create'] * 2, self.records(path))

    def test_a_path_elsewhere_is_refused(self):
        for path in (os.path.join(self.outside, 'runs.jsonl'),
                     '/etc/passwd',
                     # a directory whose name begins as state_path's
                     self.state_dir + '-other/runs.jsonl',
                     '../runs.jsonl',
                     'sub/../../runs.jsonl',
                     os.path.join(self.state_dir, '..', 'runs.jsonl'),
                     '.', self.state_dir):
            self.assert_refused(path)
        self.assertEqual([], os.listdir(self.outside))

    def test_a_symbolic_link_out_of_state_path_is_refused(self):
        os.symlink(self.outside, os.path.join(self.state_dir, 'out'))
        os.symlink(os.path.join(self.outside, 'runs.jsonl'),
                   os.path.join(self.state_dir, 'runs.jsonl'))
        self.assert_refused('out/runs.jsonl')
        self.assert_refused('runs.jsonl')
        self.assertEqual([], os.listdir(self.outside))

    def test_a_link_made_after_the_check_is_refused_at_the_action(self):
        driver = fake_driver.FakeDriver('fake', {'record_file': 'runs.jsonl'})
        os.symlink(os.path.join(self.outside, 'runs.jsonl'),
                   os.path.join(self.state_dir, 'runs.jsonl'))
        self.assertRaises(exception.BadRequest, driver.execute,
                          'things.create', ['thing'], {})
        self.assertEqual([], os.listdir(self.outside))
        self.assertEqual([], driver.things.list())

    def test_a_state_path_that_is_a_link_itself(self):
        # state_path may be a link: what counts is where it leads
        link = os.path.join(self.outside, 'state')
        os.symlink(self.state_dir, link)
        self.config(state_path=link)
        self.run_action(os.path.join(link, 'runs.jsonl'))
        self.run_action(os.path.join(self.state_dir, 'runs.jsonl'))
        self.assertEqual(['things.create'] * 2, self.records(
            os.path.join(self.state_dir, 'runs.jsonl')))

    def test_not_a_string_is_refused(self):
        for value in (42, ['runs.jsonl'], {'a': 1}, ''):
            self.assertRaises(exception.BadRequest,
                              fake_driver.FakeDriver.validate_config,
                              {'record_file': value})
