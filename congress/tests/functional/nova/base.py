"""Hosting the Nova driver on the in-process bus for functional tests."""

from congress.cloudservices import nova_driver
from congress.db import executions as executions_db
from congress.dse import datasource_service
from congress.dse import node as node_mod
from congress.execution import status
from congress.policy import dseruntime
from congress.tests import base


wait_for = base.wait_for


class NovaServiceTestCase(base.BusTestCase):
    """A test with data source ``nova`` (a NovaDriver) on one node."""

    def start_nova(self, config, poll_time=600):
        self.node = node_mod.DseNode('node-nova')
        self.node.start()
        self.addCleanup(self.node.stop)
        self.driver = nova_driver.NovaDriver('nova', config)
        self.service = datasource_service.DataSourceService(
            'nova', self.driver, self.node, poll_time=poll_time)
        self.node.add_service(self.service)
        self.runtime = dseruntime.DseRuntime(self.node)
        return self.driver

    def refresh(self, timeout=120.0):
        """Ask for a poll and wait until it ran (either way); the driver's
        status.

        The service thread takes tasks in order: the refresh request goes
        in first, so once the no-op queued after it has run, so has the
        poll.
        """
        self.service.request_refresh()
        self.service.submit(lambda: None).result(timeout)
        return self.driver.get_status()

    def execute(self, action, positional=(), named=None, timeout=60.0):
        """Run ``nova:<action>`` through DseRuntime.execute; the final
        execution record."""
        record = self.runtime.execute('nova:' + action, list(positional),
                                      named or {})
        self.assertEqual(status.ACCEPTED, record['status'])
        return wait_for(lambda: _terminal(record['id']), timeout=timeout,
                        message='execution %s of %s' % (record['id'], action))


def _terminal(execution_id):
    record = executions_db.get(execution_id)
    return record if record['status'] in status.TERMINAL else None
