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

"""The private broker and database of fault tests go down and come back
with their data, without touching the machine's shared instances."""

import kombu
from kombu import exceptions as kombu_exc
import sqlalchemy as sa
import testtools

from congress.tests.functional.fixtures import private_services


class PrivateRabbitMQTestCase(testtools.TestCase):

    def _publish(self, url):
        url = url.replace('rabbit://', 'amqp://', 1)
        with kombu.Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
            queue = connection.SimpleQueue('congress-private-test')
            queue.put({'n': 1})
            queue.close()

    def test_stop_refuses_and_start_serves_again(self):
        rabbit = self.useFixture(private_services.PrivateRabbitMQ())
        self.assertNotEqual(5672, rabbit.port)
        self._publish(rabbit.transport_url)
        with rabbit.down():
            self.assertFalse(private_services.port_open(rabbit.port))
            self.assertRaises((OSError, kombu_exc.OperationalError),
                              self._publish, rabbit.transport_url)
            # the shared broker is not affected
            self.assertTrue(private_services.port_open(5672))
        self._publish(rabbit.transport_url)


class PrivatePostgreSQLTestCase(testtools.TestCase):

    def test_stop_refuses_and_start_keeps_the_data(self):
        pg = self.useFixture(private_services.PrivatePostgreSQL())
        self.assertNotEqual(5432, pg.port)
        engine = sa.create_engine(pg.create_database(),
                                  pool_pre_ping=True)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            connection.execute(sa.text('CREATE TABLE t (n int)'))
            connection.execute(sa.text('INSERT INTO t VALUES (7)'))
        with pg.down():
            self.assertRaises(sa.exc.OperationalError, engine.connect)
            self.assertTrue(private_services.port_open(5432))
        with engine.connect() as connection:
            self.assertEqual(7, connection.execute(
                sa.text('SELECT n FROM t')).scalar())
