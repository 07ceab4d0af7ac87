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

"""Loading the library files into the database: new, changed, edited
through the API, bad, raced; and the load-library command."""

import os
import subprocess
import sys
import threading

import yaml

from congress.api import library_store
from congress.db import library_policies as library_db
from congress.tests import base


def policy(name, rule='p(1)', **fields):
    return dict({'name': name, 'description': 'about %s' % name,
                 'rules': [{'rule': rule, 'comment': 'one'}]}, **fields)


class LoadTest(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.library = os.path.join(self.state_dir, 'library')
        os.makedirs(os.path.join(self.library, 'nova'))

    def write(self, relpath, document):
        path = os.path.join(self.library, relpath)
        with open(path, 'w') as handle:
            if isinstance(document, str):
                handle.write(document)
            else:
                yaml.safe_dump(document, handle)
        return path

    def stored(self):
        return {d['name']: d for d in library_db.list_all()}

    def test_files_and_subdirectories_load_once(self):
        self.write('a.yaml', policy('a'))
        self.write('nova/b.yml', policy('b'))
        self.write('notes.txt', 'not a policy')
        report = library_store.load(self.library)
        self.assertEqual((['a', 'b'], []), (report.added, report.errors))
        stored = self.stored()
        self.assertEqual(dict(policy('a'), id=library_store.library_id('a')),
                         stored['a'])
        report = library_store.load(self.library)
        self.assertEqual(([], ['a', 'b']), (report.added, report.unchanged))
        self.assertEqual(stored, self.stored())

    def test_a_changed_file_updates_its_policy_in_place(self):
        self.write('a.yaml', policy('a'))
        library_store.load(self.library)
        self.write('a.yaml', policy('a', rule='p(2)'))
        report = library_store.load(self.library)
        self.assertEqual(['a'], report.updated)
        self.assertEqual(dict(policy('a', rule='p(2)'),
                              id=library_store.library_id('a')),
                         self.stored()['a'])

    def test_policies_of_the_api_are_never_touched(self):
        self.write('a.yaml', policy('a'))
        self.write('b.yaml', policy('b'))
        library_store.load(self.library)
        # one replaced through the API, one created there
        library_db.replace(library_store.library_id('a'),
                           policy('a', rule='p(9)'))
        library_db.create('mine', policy('b2'))
        self.write('a.yaml', policy('a', rule='p(2)'))
        self.write('b2.yaml', policy('b2', rule='p(3)'))
        report = library_store.load(self.library)
        self.assertEqual((['a', 'b2'], [], ['b']),
                         (report.kept, report.updated, report.unchanged))
        stored = self.stored()
        self.assertEqual('p(9)', stored['a']['rules'][0]['rule'])
        self.assertEqual(('mine', 'p(1)'), (stored['b2']['id'],
                                            stored['b2']['rules'][0]['rule']))

    def test_a_deleted_policy_comes_back_while_its_file_is_there(self):
        self.write('a.yaml', policy('a'))
        library_store.load(self.library)
        library_db.delete('a')
        self.assertEqual(['a'], library_store.load(self.library).added)

    def test_a_renamed_policy_keeps_its_id_and_the_file_gets_another(self):
        self.write('a.yaml', policy('a'))
        library_store.load(self.library)
        library_db.replace(library_store.library_id('a'), policy('renamed'))
        self.assertEqual(['a'], library_store.load(self.library).added)
        stored = self.stored()
        self.assertEqual(library_store.library_id('a'),
                         stored['renamed']['id'])
        self.assertNotEqual(library_store.library_id('a'), stored['a']['id'])

    def test_bad_files_are_skipped_and_named(self):
        self.write('good.yaml', policy('good'))
        bad = {
            'syntax.yaml': 'name: [unclosed',
            'list.yaml': '- name: x',
            'noname.yaml': yaml.safe_dump({'rules': []}),
            'extra.yaml': yaml.safe_dump(dict(policy('extra'), depends=1)),
            'rule.yaml': yaml.safe_dump(policy('rule', rule='p(x :- q(x)')),
            'nova/twice.yaml': yaml.safe_dump(policy('good')),
        }
        for relpath, text in bad.items():
            self.write(relpath, text)
        with self.assertLogs('congress.api.library_store', 'ERROR') as logs:
            report = library_store.load(self.library)
        self.assertEqual(['good'], report.added)
        self.assertEqual(sorted(os.path.join(self.library, p) for p in bad),
                         sorted(e.path for e in report.errors))
        for relpath in bad:
            self.assertTrue(any(relpath in line for line in logs.output),
                            relpath)
        reasons = {os.path.relpath(e.path, self.library): e.reason
                   for e in report.errors}
        self.assertIn('rule 1 does not parse', reasons['rule.yaml'])
        self.assertIn('good.yaml', reasons['nova/twice.yaml'])
        self.assertIn('depends', reasons['extra.yaml'])
        self.assertEqual(['good'], list(self.stored()))

    def test_a_missing_directory_loads_nothing(self):
        report = library_store.load(os.path.join(self.state_dir, 'none'))
        self.assertEqual(([], []), (report.added, report.errors))

    def test_concurrent_loads_store_each_policy_once(self):
        for i in range(20):
            self.write('p%02d.yaml' % i, policy('p%02d' % i))
        reports, failures = [], []

        def load():
            try:
                reports.append(library_store.load(self.library))
            except Exception as exc:     # reported below
                failures.append(exc)
        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([], failures)
        self.assertEqual(20, len(self.stored()))
        self.assertEqual(20, sum(len(r.added) for r in reports))
        self.assertEqual(60, sum(len(r.unchanged) for r in reports))

    def run_command(self, *args):
        conf_file = os.path.join(self.state_dir, 'congress.conf')
        with open(conf_file, 'w') as handle:
            handle.write('[database]\nconnection = %s\n'
                         '[policy_engine]\npolicy_library_path = %s\n'
                         % (self.database_url(), self.library))
        proc = subprocess.run(
            [sys.executable, '-m', 'congress.cmd.db_manage', '--config-file',
             conf_file, 'load-library'] + list(args),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        return proc.returncode, proc.stdout, proc.stderr

    def test_command_loads_and_fails_naming_the_bad_file(self):
        self.write('a.yaml', policy('a'))
        code, out, err = self.run_command()
        self.assertEqual(0, code, err)
        self.assertIn('added     a', out)
        bad = self.write('nova/bad.yaml', 'name: [')
        code, out, err = self.run_command()
        self.assertEqual(1, code)
        self.assertIn('unchanged a', out)
        self.assertIn(bad, err)
        other = os.path.join(self.state_dir, 'other')
        os.makedirs(other)
        with open(os.path.join(other, 'c.yaml'), 'w') as handle:
            yaml.safe_dump(policy('c'), handle)
        code, out, err = self.run_command(other)
        self.assertEqual(0, code, err)
        self.assertIn('added     c', out)
