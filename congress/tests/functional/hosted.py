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

"""Hosting real drivers on the in-process bus for functional tests.

One :class:`~congress.dse.node.DseNode` carries the data sources a test
hosts (:meth:`HostedServicesTestCase.host`) and a
:class:`~congress.policy.dseruntime.DseRuntime` to execute their actions,
as a datasources worker would.
"""

from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress.dse import node as node_mod
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base


wait_for = base.wait_for


class HostedServicesTestCase(base.BusTestCase):
    """A bus test hosting data sources on one node (``self.node``)."""

    NODE_ID = 'node-hosted'

    def setUp(self):
        super().setUp()
        self.node = None
        self.services = {}

    def host(self, name, driver, poll_time=600):
        """Host ``driver`` as data source ``name``; its service."""
        if self.node is None:
            self.node = node_mod.DseNode(self.NODE_ID)
            self.node.start()
            self.addCleanup(self.node.stop)
            self.runtime = dseruntime.DseRuntime(self.node)
        service = datasource_service.DataSourceService(
            name, driver, self.node, poll_time=poll_time)
        self.node.add_service(service)
        self.services[name] = service
        return service

    def refresh_service(self, name, timeout=120.0):
        """Ask data source ``name`` for a poll and wait until it ran (either
        way); the driver's status.

        The service thread takes tasks in order: the refresh request goes
        in first, so once the no-op queued after it has run, so has the
        poll.
        """
        service = self.services[name]
        service.request_refresh()
        service.submit(lambda: None).result(timeout)
        return service.driver.get_status()

    def execute_on(self, name, action, positional=(), named=None,
                   timeout=60.0):
        """Run ``<name>:<action>`` through DseRuntime.execute; the final
        execution record."""
        record = self.runtime.execute('%s:%s' % (name, action),
                                      list(positional), named or {})
        self.assertEqual(status.ACCEPTED, record['status'])
        return wait_for(lambda: terminal(record['id']), timeout=timeout,
                        message='execution %s of %s' % (record['id'], action))


def terminal(execution_id):
    """The execution record if it is final, else None."""
    record = executions_db.get(execution_id)
    return record if record['status'] in status.TERMINAL else None
