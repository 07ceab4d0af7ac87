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

"""The Nova driver against a REAL Nova: the loopback test bed of
``tools/openstack-testbed.sh`` (keystone, placement, glance, a neutron API
and nova with the fake virt driver).

The test bed is brought up through the
:class:`~congress.tests.functional.fixtures.testbed.OpenStackTestbed`
fixture when it is not (``up`` is idempotent and locked; nothing is torn
down here); ``CONGRESS_TESTBED_DIR`` chooses its state directory as for the
script. The tests skip only when the script itself is missing.
"""

import time
import uuid

import novaclient
from novaclient import exceptions as nova_exceptions

from congress import exception
from congress.execution import status
from congress.tests.functional.fixtures import testbed
from congress.tests.functional.nova import base


def _sqlite_glitch(error):
    return bool(error) and ('database is locked' in error
                            or 'OperationalError' in error)


class RealNovaTestCase(base.NovaServiceTestCase):

    def setUp(self):
        super().setUp()
        self.tb = testbed.use(self)
        self.bed = self.tb.info
        config = dict(self.tb.credentials('admin'),
                      region_name=self.tb.region, poll_time=600)
        # novaclient at its newest microversion, as admin
        self.nova = self.tb.nova('admin', timeout=60)
        self.start_nova(config)
        self.assertEqual('None', self.refresh()['last_error'])

    # servers

    def boot(self, attempts=3):
        """An ACTIVE server, deleted at cleanup.

        Placement of the test bed keeps its data in SQLite: two boots at
        the same moment (tests run in parallel) can make one allocation
        fail with "database is locked", which Nova reports as "No valid
        host". Such a boot is retried.
        """
        for attempt in range(attempts):
            name = 'congress-nova-test-%s' % uuid.uuid4().hex[:8]
            server = self.nova.servers.create(
                name=name, image=self.bed['image_id'],
                flavor=self.bed['flavor_id'], nics='none')
            self.addCleanup(self.delete, server.id)
            try:
                return self.wait_status(server.id, 'ACTIVE')
            except AssertionError as exc:
                if ('No valid host' not in str(exc)
                        or attempt == attempts - 1):
                    raise
                self.delete(server.id)

    def delete(self, server_id):
        try:
            self.nova.servers.delete(server_id)
        except nova_exceptions.NotFound:
            return

        def gone():
            try:
                self.nova.servers.get(server_id)
            except nova_exceptions.NotFound:
                return True
            return False
        base.wait_for(gone, timeout=60, interval=0.3,
                      message='server %s deleted' % server_id)

    def wait_status(self, server_id, wanted, timeout=90):
        def check():
            server = self.nova.servers.get(server_id)
            if server.status == 'ERROR':
                raise AssertionError('server %s went to ERROR: %s' % (
                    server_id, getattr(server, 'fault', None)))
            return server if server.status == wanted else None
        return base.wait_for(check, timeout=timeout, interval=0.2,
                             message='server %s %s' % (server_id, wanted))

    def execute_action(self, action, positional=(), named=None):
        """Like execute(); an execution that failed only because the test
        bed's SQLite said "database is locked" (tests run in parallel) is
        run again, at most twice. Any other failure is final."""
        for attempt in range(3):
            final = self.execute(action, positional, named)
            if (final['status'] != status.FAILED
                    or not _sqlite_glitch(final['error'])):
                return final
        return final

    def row(self, server_id):
        rows = [r for r in self.driver.state.get('servers', ())
                if r[0] == server_id]
        return rows[0] if rows else None

    # what Nova says, independently of the driver's translation

    def expected_rows(self):
        flavors = {f.name: f.id
                   for f in self.nova.flavors.list(is_public=None)}
        rows = set()
        for s in self.nova.servers.list(search_opts={'all_tenants': True},
                                        limit=-1):
            image = s.image['id'] if s.image else ''
            flavor = s.flavor.get('id') or flavors.get(
                s.flavor['original_name'], s.flavor['original_name'])
            rows.add((s.id, s.name, s.hostId, s.status, s.tenant_id,
                      s.user_id, image, flavor,
                      getattr(s, 'OS-EXT-AZ:availability_zone'),
                      getattr(s, 'OS-EXT-SRV-ATTR:hypervisor_hostname'),
                      s.created))
        return rows

    def test_servers_table_matches_nova(self):
        server = self.boot()
        # Other tests may use the same test bed: compare again if a server
        # came or went between the two reads.
        for attempt in range(5):
            self.assertEqual('None', self.refresh()['last_error'])
            expected = self.expected_rows()
            if self.driver.state['servers'] == expected:
                break
        self.assertEqual(expected, self.driver.state['servers'])
        row = self.row(server.id)
        self.assertEqual((server.id, server.name, 'ACTIVE'),
                         (row[0], row[1], row[3]))
        self.assertEqual(self.bed['image_id'], row[6])
        self.assertEqual(self.bed['flavor_id'], row[7])
        self.assertEqual(novaclient.API_MAX_VERSION, self.driver.api_version)
        flavors = {r[0]: r[1] for r in self.driver.state['flavors']}
        self.assertEqual(self.bed['flavor_name'],
                         flavors[self.bed['flavor_id']])
        self.assertTrue(self.driver.state['hypervisors'])
        self.assertIn('nova-compute',
                      {r[1] for r in self.driver.state['services']})
        self.assertTrue(self.driver.state['availability_zones'])
        # networks='none': no addresses
        self.assertFalse([r for r in self.driver.state['servers.addresses']
                          if r[0] == server.id])

    def test_pause_through_execute(self):
        server = self.boot()
        final = self.execute_action('servers.pause', [server.id])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.wait_status(server.id, 'PAUSED')
        self.assertEqual('None', self.refresh()['last_error'])
        self.assertEqual('PAUSED', self.row(server.id)[3])
        # pausing again: Nova refuses, the execution fails with its words
        final = self.execute('servers.pause', [server.id])
        self.assertEqual(status.FAILED, final['status'], final)
        self.assertIn('HTTP 409', final['error'])
        self.assertIn('paused', final['error'])
        final = self.execute_action('servers.unpause', [server.id])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.wait_status(server.id, 'ACTIVE')

    def test_set_meta_wrapper(self):
        server = self.boot()
        final = self.execute_action(
            'servers_set_meta', [server.id, 'congress', 'yes', 'tier', 'web'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual({'congress': 'yes', 'tier': 'web'},
                         self.nova.servers.get(server.id).metadata)
        final = self.execute_action('servers.set_meta', [], {
            'server': server.id, 'metadata': {'named': 'too'}})
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('too',
                         self.nova.servers.get(server.id).metadata['named'])

    def test_stop(self):
        server = self.boot()
        final = self.execute_action('servers.stop', [server.id])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.wait_status(server.id, 'SHUTOFF')
        # the fake virt driver settles at once; give the poll a moment
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.refresh()
            if self.row(server.id)[3] == 'SHUTOFF':
                break
            time.sleep(0.5)
        self.assertEqual('SHUTOFF', self.row(server.id)[3])

    def test_unknown_action_refused_before_any_http_call(self):
        session = self.driver.nova().client.session
        calls = []
        original = session.request

        def counting(*args, **kwargs):
            calls.append(args)
            return original(*args, **kwargs)
        session.request = counting
        self.addCleanup(setattr, session, 'request', original)
        for action in ('servers.no_such_action', 'servers._action',
                       'servers.find', 'agents.list'):
            self.assertRaises(exception.ActionNotFound,
                              self.runtime.execute, 'nova:' + action,
                              ['x'])
            self.assertRaises(exception.ActionNotFound,
                              self.driver.execute, action, ['x'], {})
        self.assertEqual([], calls)
