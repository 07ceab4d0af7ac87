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

"""The engine settings congress.db.api derives from the configuration."""

import threading

import sqlalchemy as sa
import testtools

from congress.db import api as db_api
from congress.tests import base


class ConnectionUrlTestCase(testtools.TestCase):

    def test_mysql_connections_are_utf8mb4_whatever_the_url_says(self):
        for url in ('mysql+pymysql://u:p@db/congress?charset=utf8',
                    'mysql+pymysql://u:p@db/congress',
                    'mysql+pymysql://u:p@db/congress?charset=latin1'
                    '&plugin=dbcounter'):
            fixed = db_api.connection_url(url)
            self.assertIn('charset=utf8mb4', fixed)
            self.assertIn('u:p@db/congress', fixed)
        self.assertIn('plugin=dbcounter', fixed)

    def test_other_databases_are_left_alone(self):
        for url in ('sqlite:///congress.sqlite',
                    'postgresql+psycopg2://u:p@db/congress'):
            self.assertEqual(url, db_api.connection_url(url))


class SqliteWritersTestCase(base.DbTestCase):
    """Concurrent transactions that read, then write, on the SQLite file
    of the embedded default queue for the lock instead of failing."""

    def test_read_then_write_transactions_do_not_collide(self):
        with db_api.writer_connection() as connection:
            connection.exec_driver_sql('CREATE TABLE probe (x INTEGER)')
        both_read = threading.Barrier(2)
        errors = []

        def read_then_write(value):
            try:
                with db_api.writer_connection() as connection:
                    connection.exec_driver_sql('SELECT COUNT(*) FROM probe')
                    try:
                        # deferred transactions would both hold a read
                        # lock here; serialized ones never meet
                        both_read.wait(timeout=0.5)
                    except threading.BrokenBarrierError:
                        pass
                    connection.exec_driver_sql(
                        'INSERT INTO probe VALUES (%d)' % value)
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=read_then_write, args=(i,))
                   for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual([], errors)
        with db_api.reader() as session:
            self.assertEqual(2, session.execute(
                sa.text('SELECT COUNT(*) FROM probe')).scalar())


class PoolSizeTestCase(base.TestCase):
    """The pool keeps a connection for every API thread."""

    def test_pool_is_at_least_the_api_threads_and_background(self):
        self.config(max_pool_size=5, group='database')
        self.config(threads=16, group='api')
        self.assertEqual(16 + db_api.BACKGROUND_DB_THREADS,
                         db_api.pool_size(db_api.CONF.database))
        self.config(threads=2, group='api')
        self.assertEqual(max(5, 2 + db_api.BACKGROUND_DB_THREADS),
                         db_api.pool_size(db_api.CONF.database))

    def test_a_larger_pool_or_no_limit_stays(self):
        self.config(threads=16, group='api')
        self.config(max_pool_size=64, group='database')
        self.assertEqual(64, db_api.pool_size(db_api.CONF.database))
        self.config(max_pool_size=0, group='database')
        self.assertEqual(0, db_api.pool_size(db_api.CONF.database))
