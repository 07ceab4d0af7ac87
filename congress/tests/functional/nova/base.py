"""Hosting the Nova driver on the in-process bus for functional tests."""

from congress.cloudservices import nova_driver
from congress.tests.functional import hosted


wait_for = hosted.wait_for


class NovaServiceTestCase(hosted.HostedServicesTestCase):
    """A test with data source ``nova`` (a NovaDriver) on one node."""

    NODE_ID = 'node-nova'

    def start_nova(self, config, poll_time=600):
        self.driver = nova_driver.NovaDriver('nova', config)
        self.service = self.host('nova', self.driver, poll_time)
        return self.driver

    def refresh(self, timeout=120.0):
        """Ask for a poll and wait until it ran; the driver's status."""
        return self.refresh_service('nova', timeout)

    def execute(self, action, positional=(), named=None, timeout=60.0):
        """Run ``nova:<action>``; the final execution record."""
        return self.execute_on('nova', action, positional, named, timeout)
