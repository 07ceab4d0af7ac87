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

"""Base classes of Congress' tests."""

import os
import subprocess
import time
import warnings

import fixtures
from oslo_config import fixture as config_fixture
from oslo_messaging import conffixture as messaging_fixture
from oslotest import base
import sqlalchemy as sa

from congress import conf
from congress.conf import datasources as datasources_conf
from congress.db import api as db_api
from congress.db import migration
from congress.db import models
from congress.dse import rpc

CONF = conf.CONF


def wait_for(predicate, timeout=30.0, interval=0.05, message='condition'):
    """Poll ``predicate()`` until it returns something true; return that.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(
                '%s not met within %.1f s' % (message, timeout))
        time.sleep(interval)


def outcomes(futures, timeout=10):
    """What each of ``futures`` returned, or the exception it raised."""
    found = []
    for future in futures:
        try:
            found.append(future.result(timeout))
        except Exception as exc:
            found.append(exc)
    return found


def terminate(process, timeout=30):
    """SIGTERM ``process`` (a Popen) and wait for it; SIGKILL when it has
    not ended within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class WarningsFixture(fixtures.Fixture):
    """Deprecation warnings that Congress's own code causes are errors
    (a deprecated library call fails the test that makes it); those that
    libraries cause among themselves are shown once."""

    def _setUp(self):
        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        self.addCleanup(self._catcher.__exit__)
        warnings.simplefilter('once', DeprecationWarning)
        warnings.filterwarnings('error', category=DeprecationWarning,
                                module='^congress')


#: ``[datasources] enabled_drivers`` of the tests: the defaults and the
#: test driver ``fake``.
TEST_DRIVERS = (datasources_conf.DEFAULT_DRIVERS
                + [datasources_conf.TEST_DRIVER])


class TestCase(base.BaseTestCase):
    """A test with a clean configuration (and the test driver ``fake``
    enabled)."""

    def setUp(self):
        super().setUp()
        self.useFixture(WarningsFixture())
        rpc.init()
        self.config_fixture = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='congress', default_config_files=[])
        self.state_dir = self.useFixture(fixtures.TempDir()).path
        self.config(state_path=self.state_dir)
        self.config(encryption_key_file=os.path.join(self.state_dir, 'key'),
                    enabled_drivers=TEST_DRIVERS, group='datasources')

    def config(self, **kwargs):
        self.config_fixture.config(**kwargs)


class DbTestCase(TestCase):
    """A test with a freshly migrated database.

    ``DB_URL`` (environment: ``CONGRESS_TEST_DB_URL``) selects the
    database; the default is a SQLite file in the test's temp dir.
    """

    def setUp(self):
        super().setUp()
        url = self.database_url()
        db_api.configure(url)
        self.addCleanup(db_api.configure)
        self._clean_database()
        migration.upgrade('head')

    def database_url(self):
        return os.environ.get('CONGRESS_TEST_DB_URL') or (
            'sqlite:///' + os.path.join(self.state_dir, 'congress.sqlite'))

    def _clean_database(self):
        engine = db_api.get_engine()
        with engine.begin() as connection:
            models.Base.metadata.drop_all(connection)
            connection.execute(sa.text('DROP TABLE IF EXISTS '
                                       'alembic_version'))


class BusTestCase(DbTestCase):
    """A test with a database and the in-process (fake://) transport."""

    #: ``[dse] service_down_time``; tests of what notices a dead worker
    #: set it shorter.
    SERVICE_DOWN_TIME = 10.0

    def setUp(self):
        super().setUp()
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = 'fake:/'
        # a service is alive for SERVICE_DOWN_TIME after its last
        # heartbeat: on a busy machine (the suite's workers on every core,
        # SQLite writes queued) a heartbeat can be seconds late, and a
        # service taken for gone fails its test with "not found"
        self.config(heartbeat_interval=0.2,
                    service_down_time=self.SERVICE_DOWN_TIME,
                    directory_cache_time=0.0, group='dse')
        rpc.cleanup()
        self.addCleanup(rpc.cleanup)


class FakeServiceTestCase(BusTestCase):
    """A bus test with data source ``fake`` hosted on node ``node-a``.

    ``POLL_TIME`` sets how often the fake driver polls.
    """

    POLL_TIME = 60

    def setUp(self):
        super().setUp()
        from congress.cloudservices import fake_driver
        from congress.dse import datasource_service
        from congress.dse import node as node_mod
        self.node = node_mod.DseNode('node-a')
        self.node.start()
        self.addCleanup(self.node.stop)
        self.driver = fake_driver.FakeDriver('fake', {'things': 2})
        self.service = datasource_service.DataSourceService(
            'fake', self.driver, self.node, poll_time=self.POLL_TIME)
        self.node.add_service(self.service)

    def hold_action_threads(self, runtime):
        """Keep every action thread of the service busy with a
        ``things.sleep`` execution (run through ``runtime``) until the
        returned ``Held.release`` is set."""
        import threading
        from unittest import mock
        held = Held(threading.Event())
        self.addCleanup(held.release.set)
        execute = self.driver.execute

        def held_execute(action, *args):
            held.reached.append(action)
            if action == 'things.sleep':
                held.release.wait(10)
            return execute(action, *args)
        patcher = mock.patch.object(self.driver, 'execute', held_execute)
        patcher.start()
        self.addCleanup(patcher.stop)
        threads = CONF.datasources.execution_threads
        held.ids = [runtime.execute('fake:things.sleep', [0])['id']
                    for _thread in range(threads)]
        wait_for(lambda: held.reached.count('things.sleep') == threads,
                 message='%d action threads busy' % threads)
        return held


class Held(object):
    """What ``hold_action_threads`` holds: ``release`` (an Event), the
    ``ids`` of the held executions, the actions ``reached`` the driver."""

    def __init__(self, release):
        self.release = release
        self.ids = []
        self.reached = []
