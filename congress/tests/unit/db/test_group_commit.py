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

"""Group commit: many threads, each sees its own write committed and only
its own error."""

import concurrent.futures
import datetime
import os
import threading
from unittest import mock

from oslo_db import exception as db_exc
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import group_commit
from congress.db import models
from congress.tests import base


NOW = datetime.datetime(2026, 11, 27)


class GroupCommitTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.committer = group_commit.GroupCommitter()
        self.table = models.LibraryPolicy.__table__

    def names(self):
        with db_api.reader() as session:
            return sorted(session.scalars(sa.select(self.table.c.name)))

    def test_concurrent_writers_all_commit(self):
        def insert(i):
            self.committer.insert(self.table, {
                'id': 'id-%03d' % i, 'name': 'n-%03d' % i,
                'document': '{}', 'created_at': NOW})
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            list(pool.map(insert, range(200)))
        self.assertEqual(['n-%03d' % i for i in range(200)], self.names())

    def test_results_come_back_to_their_caller(self):
        def count(i):
            return self.committer.run(lambda connection: i * 2)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            self.assertEqual([i * 2 for i in range(50)],
                             list(pool.map(count, range(50))))

    def test_a_duplicate_fails_only_its_own_caller(self):
        self.committer.insert(self.table, {
            'id': 'taken', 'name': 'taken', 'document': '{}',
            'created_at': NOW})
        barrier = threading.Barrier(2)
        outcomes = {}

        def insert(name, row_id):
            barrier.wait()
            try:
                self.committer.insert(self.table, {
                    'id': row_id, 'name': name, 'document': '{}',
                    'created_at': NOW})
                outcomes[name] = 'ok'
            except db_exc.DBDuplicateEntry:
                outcomes[name] = 'duplicate'
        threads = [threading.Thread(target=insert, args=args)
                   for args in (('fresh', 'fresh'), ('clash', 'taken'))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual({'fresh': 'ok', 'clash': 'duplicate'}, outcomes)
        self.assertEqual(['fresh', 'taken'], self.names())


class HeldConnectionTestCase(base.DbTestCase):
    """The committer writes batch after batch on one connection, checked
    out of the pool once, and gives it up when it may be broken."""

    def setUp(self):
        super().setUp()
        self.committer = group_commit.GroupCommitter()
        self.checkouts = []
        sa.event.listen(db_api.get_engine(), 'checkout',
                        lambda *args: self.checkouts.append(args[0]))

    def write(self):
        return self.committer.run(
            lambda connection: connection.connection.dbapi_connection)

    def test_batches_one_after_the_other_share_one_checkout(self):
        used = {self.write() for _ in range(20)}
        self.assertEqual(1, len(self.checkouts))
        self.assertEqual(1, len(used))

    def test_a_broken_connection_idle_for_a_while_is_replaced(self):
        first = self.write()
        first.close()  # the database closed it meanwhile
        self.committer.IDLE_SECONDS = 0
        second = self.write()
        self.assertIsNot(first, second)
        self.assertEqual(2, len(self.checkouts))

    def test_a_failed_batch_gives_its_connection_back(self):
        self.write()

        def fail(connection):
            raise RuntimeError('boom')
        self.assertRaises(RuntimeError, self.committer.run, fail)
        self.write()
        self.assertEqual(2, len(self.checkouts))

    def test_reconfiguring_the_database_gives_the_connection_back(self):
        self.write()
        returned = []
        sa.event.listen(db_api.get_engine(), 'checkin',
                        lambda *args: returned.append(args[0]))
        db_api.configure()
        self.assertEqual(self.checkouts, returned)

    def test_a_forked_process_leaves_its_parents_connection_alone(self):
        parent = self.write()
        with mock.patch('os.getpid', return_value=os.getpid() + 1):
            child = self.write()
        self.assertIsNot(parent, child)
        # not closed: the parent still uses it
        cursor = parent.cursor()
        cursor.execute('SELECT 1')
        self.assertEqual(1, cursor.fetchone()[0])
