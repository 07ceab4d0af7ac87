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
import threading

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
