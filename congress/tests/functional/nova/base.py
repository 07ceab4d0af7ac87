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
