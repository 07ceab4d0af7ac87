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

"""``pip install '.[mysql,postgresql]'`` into a fresh virtualenv brings the
drivers of the documented database URLs: its ``congress-db-manage``
creates the schema on a throw-away MariaDB and a PostgreSQL database.
"""

import os
import subprocess
import sys

import fixtures
import sqlalchemy as sa
import testtools

from congress.tests.functional import databases

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    '..', '..', '..'))
# a fresh install from the pip cache takes well under a minute
INSTALL_TIMEOUT = 300


class InstallExtrasTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.work = self.useFixture(fixtures.TempDir()).path
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONHOME')}
        self.env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'

    def run_command(self, args, timeout):
        proc = subprocess.run(args, cwd=self.work, env=self.env,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        output = proc.stdout.decode('utf-8', 'replace')
        self.assertEqual(0, proc.returncode, output)
        return output

    def tables(self, url):
        engine = sa.create_engine(url)
        try:
            return set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def test_extras_install_working_mysql_and_postgresql_drivers(self):
        venv = os.path.join(self.work, 'venv')
        self.run_command([sys.executable, '-m', 'venv', venv], 60)
        self.run_command([os.path.join(venv, 'bin', 'pip'), 'install', '-q',
                          '%s[mysql,postgresql]' % REPO], INSTALL_TIMEOUT)
        for backend in ('mysql', 'postgresql'):
            url = databases.create(backend, self.work)
            self.addCleanup(databases.drop, url)
            conf_file = os.path.join(self.work, '%s.conf' % backend)
            with open(conf_file, 'w') as f:
                f.write('[database]\nconnection = %s\n' % url)
            output = self.run_command(
                [os.path.join(venv, 'bin', 'congress-db-manage'),
                 '--config-file', conf_file, 'upgrade', 'head'], 120)
            self.assertIn('Database is at revision', output)
            tables = self.tables(url)
            self.assertIn('alembic_version', tables)
            self.assertIn('policies', tables, (backend, tables))
