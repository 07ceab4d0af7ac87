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

"""Hosting the keystonev3 and glancev2 drivers on the in-process bus,
against the real keystone and glance of the test bed."""

import uuid

from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress.dse import node as node_mod
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base
from congress.tests.functional.fixtures import testbed

wait_for = base.wait_for


def terminal(execution_id):
    record = executions_db.get(execution_id)
    return record if record['status'] in status.TERMINAL else None


class RealServiceTestCase(base.BusTestCase):
    """A test with one data source (``DRIVER`` named ``NAME``) on one
    node, reading the test bed as admin."""

    DRIVER = None
    NAME = None

    def setUp(self):
        super().setUp()
        self.tb = testbed.use(self)
        self.prefix = 'congress-kg-%s' % uuid.uuid4().hex[:8]
        config = dict(self.tb.credentials('admin'),
                      region_name=self.tb.region, poll_time=600)
        del config['project_name']
        config['tenant_name'] = self.tb.users['admin']['project_name']
        self.node = node_mod.DseNode('node-%s' % self.NAME)
        self.node.start()
        self.addCleanup(self.node.stop)
        self.driver = self.DRIVER(self.NAME, config)
        self.service = datasource_service.DataSourceService(
            self.NAME, self.driver, self.node, poll_time=600)
        self.node.add_service(self.service)
        self.runtime = dseruntime.DseRuntime(self.node)

    def refresh(self, timeout=120.0):
        """Ask for a poll and wait until it ran; the driver's status."""
        self.service.request_refresh()
        self.service.submit(lambda: None).result(timeout)
        return self.driver.get_status()

    def execute(self, action, positional=(), named=None, timeout=60.0):
        """Run ``<NAME>:<action>`` through DseRuntime.execute; the final
        execution record."""
        record = self.runtime.execute('%s:%s' % (self.NAME, action),
                                      list(positional), named or {})
        self.assertEqual(status.ACCEPTED, record['status'])
        return wait_for(lambda: terminal(record['id']), timeout=timeout,
                        message='execution %s of %s' % (record['id'],
                                                        action))

    def assert_tables_match(self, expected_fn, tables):
        """Poll until every table equals what ``expected_fn()`` computes
        from the service API (other tests may change the bed between the
        two reads: compare again, five times at most)."""
        for attempt in range(5):
            self.assertEqual('None', self.refresh()['last_error'])
            expected = expected_fn()
            actual = {t: self.driver.state.get(t) for t in tables}
            if actual == expected:
                break
        self.assertEqual(expected, actual)
        return actual
