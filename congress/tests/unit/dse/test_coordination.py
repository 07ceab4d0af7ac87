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

"""Leader election on tooz locks (the file backend of a SQLite
deployment; the database locks are in the functional tests)."""

import os
import threading
from unittest import mock

from congress.dse import coordination
from congress.tests import base


class BackendUrlTestCase(base.TestCase):

    def url_for(self, connection):
        self.config(connection=connection, group='database')
        return coordination.backend_url()

    def test_mysql_connection_gives_the_mysql_driver(self):
        self.assertEqual(
            'mysql://congress:s3cret@db.example:3306/congress',
            self.url_for('mysql+pymysql://congress:s3cret@db.example:3306/'
                         'congress?charset=utf8mb4'))

    def test_postgresql_connection_gives_the_postgresql_driver(self):
        self.assertEqual(
            'postgresql://root@127.0.0.1:5432/congress',
            self.url_for('postgresql+psycopg2://root@127.0.0.1:5432/'
                         'congress'))

    def test_sqlite_gives_file_locks_under_the_state_path(self):
        self.assertEqual(
            'file://' + os.path.join(self.state_dir, 'coordination'),
            self.url_for('sqlite:///congress.sqlite'))

    def test_a_configured_url_wins(self):
        self.config(backend_url='redis://127.0.0.1:6379',
                    group='coordination')
        self.assertEqual('redis://127.0.0.1:6379',
                         self.url_for('sqlite:///congress.sqlite'))

    def test_lock_names_fit_mysql(self):
        self.assertEqual(b'congress.bus.fake',
                         coordination.lock_name('bus', 'fake'))
        long_name = coordination.lock_name('bus', 'x' * 100)
        self.assertEqual(64, len(long_name))
        self.assertNotEqual(long_name, coordination.lock_name('bus',
                                                              'y' * 100))

    def test_mysql_locks_are_scoped_by_database(self):
        # MariaDB lock names are server-wide: two deployments sharing a
        # server (same bus_id, their own databases) never share a lock
        first = coordination.lock_scope('mysql://root@db:3306/congress_a')
        second = coordination.lock_scope('mysql://root@db:3306/congress_b')
        self.assertEqual('congress_a', first)
        self.assertNotEqual(coordination.lock_name('bus', 'nova', first),
                            coordination.lock_name('bus', 'nova', second))
        self.assertEqual(b'congress.congress_a.bus.nova',
                         coordination.lock_name('bus', 'nova', first))
        for url in ('postgresql://root@db/congress', 'redis://127.0.0.1',
                    'file:///var/lib/congress/coordination'):
            self.assertEqual('', coordination.lock_scope(url))


class CoordinatorTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config(lock_retry_interval=0.05, group='coordination')
        self.elected = []

    def coordinator(self, member):
        coordinator = coordination.Coordinator(member, 'bus')
        coordinator.start()
        self.addCleanup(coordinator.stop)
        return coordinator

    def leadership(self, coordinator):
        return coordinator.leadership(
            'engine',
            on_elected=lambda: self.elected.append(coordinator.member_id))

    def test_one_of_two_members_leads(self):
        first = self.leadership(self.coordinator('a'))
        second = self.leadership(self.coordinator('b'))
        self.assertTrue(first.is_leader())
        self.assertFalse(second.is_leader())
        self.assertEqual(['a'], self.elected)
        self.assertEqual((1, 0), (first.term, second.term))

    def test_a_standby_takes_over_when_the_leader_resigns(self):
        leader = self.coordinator('a')
        self.leadership(leader)
        standby = self.leadership(self.coordinator('b'))
        leader.resign('engine')
        base.wait_for(standby.is_leader, timeout=2,
                      message='the standby leads')
        self.assertEqual(['a', 'b'], self.elected)

    def test_a_stopped_member_frees_its_locks(self):
        leader = self.coordinator('a')
        self.leadership(leader)
        standby = self.leadership(self.coordinator('b'))
        leader.stop()
        base.wait_for(standby.is_leader, timeout=2,
                      message='the standby leads')

    def test_a_leader_that_cannot_confirm_its_lock_stops_at_once(self):
        member = self.coordinator('a')
        leadership = self.leadership(member)
        with mock.patch.object(coordination, '_still_held',
                               side_effect=OSError('connection reset')):
            member.tick()
            self.assertFalse(leadership.is_leader())
        member.tick()
        self.assertTrue(leadership.is_leader())
        self.assertEqual(2, leadership.term)

    def test_a_leader_whose_checks_hang_stops_after_its_lease(self):
        member = self.coordinator('a')
        leadership = self.leadership(member)
        self.assertTrue(leadership.is_leader())
        hang = threading.Event()
        self.addCleanup(hang.set)
        with mock.patch.object(coordination, '_still_held',
                               side_effect=lambda lock: hang.wait(30)):
            base.wait_for(lambda: not leadership.is_leader(), timeout=5,
                          message='the lease lapsed')
            # the check that hangs has not said the lock is lost
            self.assertEqual(1, leadership.term)

    def test_no_leadership_until_others_can_find_the_leader(self):
        member = self.coordinator('a')
        failures = [RuntimeError('database down')]

        def announce():
            if failures:
                raise failures.pop()
        leadership = member.leadership('engine', on_elected=announce)
        self.assertFalse(leadership.is_leader())
        base.wait_for(leadership.is_leader, timeout=2,
                      message='leads once announced')
