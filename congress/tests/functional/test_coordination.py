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

"""Leader locks on the real databases: the server frees the lock of a
holder whose connection dies, and the holder notices at once."""

import time

import sqlalchemy as sa

from congress.dse import coordination
from congress.tests import base
from congress.tests.functional import databases

#: SQL that ends every other session of the current database.
_KILL_OTHERS = {
    'mysql': "SELECT id FROM information_schema.processlist "
             "WHERE db = DATABASE() AND id <> CONNECTION_ID()",
    'postgresql': "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE datname = current_database() "
                  "AND pid <> pg_backend_pid()",
}


class _DatabaseLocks(object):
    """The tests, for the database ``BACKEND``."""

    BACKEND = None

    def setUp(self):
        super().setUp()
        self.url = databases.create(self.BACKEND, self.state_dir)
        self.addCleanup(databases.drop, self.url)
        self.config(connection=self.url, group='database')
        self.config(lock_retry_interval=0.1, group='coordination')

    def member(self, name):
        coordinator = coordination.Coordinator(name, 'bus')
        coordinator.start()
        self.addCleanup(coordinator.stop)
        return coordinator.leadership('engine')

    def kill_other_sessions(self):
        """What the server does to the sessions of a process that died."""
        engine = sa.create_engine(self.url, isolation_level='AUTOCOMMIT')
        with engine.connect() as connection:
            rows = connection.execute(sa.text(_KILL_OTHERS[self.BACKEND]))
            if self.BACKEND == 'mysql':
                for (session_id,) in rows.all():
                    connection.execute(sa.text('KILL %d' % session_id))
        engine.dispose()

    def test_one_member_leads(self):
        first, second = self.member('a'), self.member('b')
        self.assertTrue(first.is_leader())
        self.assertFalse(second.is_leader())

    def test_the_lock_of_a_dead_holder_goes_to_the_standby(self):
        leader = self.member('a')
        self.assertTrue(leader.is_leader())
        self.kill_other_sessions()
        killed = time.monotonic()
        # the holder cannot confirm its lock: it stops at its next check
        base.wait_for(lambda: not leader.is_leader(), timeout=1,
                      message='the old leader stopped')
        standby = self.member('b')
        base.wait_for(lambda: standby.is_leader() or leader.is_leader(),
                      timeout=2, message='a new leader')
        self.assertLess(time.monotonic() - killed, 2)
        self.assertNotEqual(standby.is_leader(), leader.is_leader())


class MySQLLockTestCase(_DatabaseLocks, base.TestCase):

    BACKEND = 'mysql'


class PostgreSQLLockTestCase(_DatabaseLocks, base.TestCase):

    BACKEND = 'postgresql'
