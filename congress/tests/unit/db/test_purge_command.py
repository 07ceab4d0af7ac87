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

"""congress-db-manage purge-executions, and the periodic purge."""

import datetime
import os
import subprocess
import sys

from oslo_utils import timeutils

from congress.db import executions as executions_db
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base


class PurgeTestCase(base.DbTestCase):

    def add(self, outcome, days_ago):
        at = timeutils.utcnow() - datetime.timedelta(days=days_ago)
        return executions_db.create({
            'id': '%s-%s' % (outcome, days_ago), 'service': 'fake',
            'action': 'things.list', 'args': {'positional': [], 'named': {}},
            'status': outcome, 'origin': status.ORIGIN_API,
            'created_at': at, 'finished_at': (
                None if outcome not in status.TERMINAL else at),
            'expires_at': at + datetime.timedelta(minutes=5)})['id']

    def ids(self):
        return sorted(r['id'] for r in executions_db.list_records())

    def run_command(self, *args):
        conf_file = os.path.join(self.state_dir, 'congress.conf')
        with open(conf_file, 'w') as handle:
            handle.write('[database]\nconnection = %s\n'
                         % self.database_url())
        return subprocess.run(
            [sys.executable, '-m', 'congress.cmd.db_manage', '--config-file',
             conf_file, 'purge-executions'] + list(args),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)

    def test_command_purges_what_ended_before_the_date(self):
        kept = [self.add(status.SUCCEEDED, 1), self.add(status.ACCEPTED, 30)]
        for days in (20, 30, 40):
            self.add(status.FAILED, days)
        before = (timeutils.utcnow() - datetime.timedelta(days=10)).date()
        proc = self.run_command('--before', before.isoformat(),
                                '--batch-size', '2')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('Purged 3 execution records', proc.stdout)
        self.assertEqual(sorted(kept), self.ids())

    def test_command_refuses_bad_input(self):
        for args in (['--before', 'yesterday'],
                     ['--before', '2026-01-01', '--batch-size', '0'], []):
            proc = self.run_command(*args)
            self.assertNotEqual(0, proc.returncode, args)
        self.assertIn('ISO 8601', self.run_command(
            '--before', 'yesterday').stderr)

    def test_periodic_purge_follows_retention_days(self):
        old = self.add(status.SUCCEEDED, 5)
        recent = self.add(status.SUCCEEDED, 1)
        pending = self.add(status.DISPATCHED, 5)
        self.config(retention_days=0, group='execution')
        self.assertEqual(0, dseruntime.DseRuntime.purge())
        self.config(retention_days=3, purge_batch_size=1, group='execution')
        self.assertEqual(1, dseruntime.DseRuntime.purge())
        self.assertEqual(sorted([recent, pending]), self.ids())
        self.assertNotIn(old, self.ids())
