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

"""The Nova driver against the recording Nova API double
(:class:`congress.tests.fakes.nova_api.FakeNovaAPI`, which also serves the
keystone v3 token the driver logs in with) over HTTP, hosted on the bus:
paging, failed polls, failed actions."""

from unittest import mock

from congress import exception
from congress.execution import status
from congress.tests.fakes import nova_api
from congress.tests.functional.nova import base


class NovaDoubleTestCase(base.NovaServiceTestCase):

    def setUp(self):
        super().setUp()
        self.nova = self.useFixture(nova_api.FakeNovaAPI(max_limit=1000))
        self.ids = self.nova.populate(20)
        self.start_nova(self.nova.driver_config(timeout=1))
        self.assertEqual('None', self.refresh()['last_error'])
        self.nova.reset_calls()

    def server(self, n):
        """The double's record of server ``self.ids[n]``."""
        return self.nova.get_server(self.ids[n])

    def test_10000_servers_come_back_whole(self):
        self.nova.servers.clear()
        ids = self.nova.populate(10000, tags=True)
        result = self.refresh()
        self.assertEqual('None', result['last_error'])
        rows = self.driver.state['servers']
        self.assertEqual(10000, len(rows))
        self.assertEqual(set(ids), {row[0] for row in rows})
        self.assertEqual(10000, len(self.driver.state['servers.addresses']))
        self.assertEqual(10000, len(self.driver.state['tags']))
        # 10 full pages of 1000, then the empty page that ends the loop
        pages = self.nova.find_calls('GET', r'/servers/detail$')
        self.assertEqual(11, len(pages))
        self.assertTrue(all(p.query.get('all_tenants') == ['1']
                            for p in pages))
        # the token (fetched in setUp) is reused, not fetched per poll
        self.refresh()
        self.assertEqual(1, self.nova.token_requests)
        self.assertEqual([], self.nova.find_calls('POST', r'/auth/tokens'))

    def test_failed_poll_is_reported_and_retried(self):
        self.assertEqual('None', self.refresh()['last_error'])
        self.nova.inject('GET', r'/servers/detail$', 503,
                         {'computeFault': {'code': 503,
                                           'message': 'Nova is resting'}})
        result = self.refresh()
        self.assertIn('Nova is resting', result['last_error'])
        self.assertIn('HTTP 503', result['last_error'])
        self.assertEqual(20, len(self.driver.state['servers']))
        self.nova.inject('GET', r'/servers/detail$', None, delay=3)
        self.assertIn('timed out', self.refresh()['last_error'])
        updates = self.driver.number_of_updates
        result = self.refresh()
        self.assertEqual('None', result['last_error'])
        self.assertEqual(str(updates + 1), result['number_of_updates'])

    def assert_failed_then_worker_lives(self, final, *needles):
        self.assertEqual(status.FAILED, final['status'], final)
        for needle in needles:
            self.assertIn(needle, final['error'])
        final = self.execute('servers_set_meta', [self.ids[5], 'after',
                                                  'failure'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('failure', self.server(5)['metadata']['after'])

    def test_404_fails_the_execution(self):
        final = self.execute('servers.pause', ['no-such-server'])
        self.assert_failed_then_worker_lives(
            final, 'Instance no-such-server could not be found', 'HTTP 404',
            'NotFound')

    def test_409_fails_the_execution(self):
        self.assertEqual(status.SUCCEEDED,
                         self.execute('servers.pause', [self.ids[0]])
                         ['status'])
        self.assertEqual('PAUSED', self.server(0)['status'])
        final = self.execute('servers.pause', [self.ids[0]])
        self.assert_failed_then_worker_lives(
            final, "Cannot 'pause' instance %s while it is in vm_state "
                   "paused" % self.ids[0], 'HTTP 409', 'Request-ID: req-')

    def test_500_fails_the_execution(self):
        self.nova.inject('POST', r'/action$', 500, {'computeFault': {
            'code': 500, 'message': 'Unexpected API Error. Please report '
                                    'this at http://bugs.launchpad.net/nova/'
        }})
        final = self.execute('servers.stop', [self.ids[1]])
        self.assert_failed_then_worker_lives(
            final, 'Unexpected API Error', 'HTTP 500')
        self.assertEqual('ACTIVE', self.server(1)['status'])

    def test_timeout_fails_the_execution(self):
        self.nova.inject('POST', r'/action$', None, delay=3)
        final = self.execute('servers.pause', [self.ids[2]])
        self.assert_failed_then_worker_lives(final, 'timed out')

    def test_set_meta_wrapper_positional(self):
        final = self.execute('servers_set_meta',
                             [self.ids[3], 'owner', 'alice', 'tier', 'web'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        # 'index' is populate()'s own
        self.assertEqual({'index': '3', 'owner': 'alice', 'tier': 'web'},
                         self.server(3)['metadata'])
        final = self.execute('servers_set_meta', [self.ids[3], 'odd'])
        self.assert_failed_then_worker_lives(final, 'pairs of key and value')

    def test_unknown_action_is_refused_before_any_http_call(self):
        with mock.patch.object(self.driver, 'nova') as nova:
            for action in ('servers.no_such', 'servers._action',
                           'servers.find', 'agents.list'):
                self.assertRaises(exception.ActionNotFound,
                                  self.runtime.execute, 'nova:' + action,
                                  [self.ids[0]])
        nova.assert_not_called()
        self.assertEqual([], self.nova.calls)
