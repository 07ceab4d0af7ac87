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

"""Tokens from a real keystone, checked by keystonemiddleware in front of a
real congress-server process."""

from congress.execution import status
from congress.tests.functional.api import base


class KeystoneAuthTestCase(base.KeystoneApiTestCase):

    def test_versions_need_no_token(self):
        for headers in ({}, {'X-Auth-Token': 'not-a-token'}):
            response = self.call('GET', '/', headers=dict(headers))
            self.assertEqual(200, response.status_code)
            self.assertEqual('v1', response.json()['versions'][0]['id'])
            response = self.call('GET', '/v1', headers=dict(headers))
            self.assertEqual(200, response.status_code)

    def test_no_token_and_bad_token_are_401(self):
        response = self.call('GET', '/v1/data-sources')
        self.assert_fault(response, 401)
        self.assertIn('127.0.0.1', response.headers['WWW-Authenticate'])
        response = self.call('GET', '/v1/data-sources', token='bogus')
        self.assert_fault(response, 401)
        response = self.call('POST', '/v1/data-sources/fake?action=execute',
                             token='bogus', json={'name': 'things.list'})
        self.assert_fault(response, 401)

    def test_member_reads_but_may_not_execute(self):
        self.create_fake()
        response = self.call('GET', '/v1/data-sources', 'member')
        self.assertEqual(200, response.status_code)
        self.assertEqual(['fake'], [d['name']
                                    for d in response.json()['results']])
        response = self.call('POST', '/v1/data-sources/fake?action=execute',
                             'member', json={'name': 'things.list'})
        self.assertIn('congress:data_source:execute',
                      self.assert_fault(response, 403, 1004))
        response = self.call('POST', '/v1/data-sources', 'member',
                             json={'name': 'x', 'driver': 'fake'})
        self.assert_fault(response, 403)
        response = self.call('GET', '/v1/executions', 'member')
        self.assert_fault(response, 403)

    def test_admin_executes_and_follows_the_record(self):
        self.create_fake(things=1)
        response = self.call(
            'POST', '/v1/data-sources/fake?action=execute', 'admin',
            json={'name': 'things.create',
                  'args': {'positional': ['from-keystone'], 'named': {}}})
        self.assertEqual(202, response.status_code, response.text)
        record = response.json()
        self.assertEqual(status.ACCEPTED, record['status'])
        location = response.headers['Location']
        self.assertEqual('%s/v1/executions/%s' % (self.url, record['id']),
                         location)
        self.assertEqual(self.testbed.user_ids['admin'], record['user_id'])
        self.assertEqual(self.testbed.project_ids['admin'],
                         record['project_id'])
        self.assertTrue(record['request_id'].startswith('req-'))

        def finished():
            shown = self.call('GET', location[len(self.url):], 'admin')
            self.assertEqual(200, shown.status_code)
            body = shown.json()
            return body if body['status'] in status.TERMINAL else None
        final = base.wait_json(finished, message='execution finished')
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('from-keystone', final['result']['name'])

    def test_unknown_service_is_answered_at_once(self):
        response = self.call('POST', '/v1/data-sources/nova?action=execute',
                             'admin', json={'name': 'servers.pause'})
        self.assertEqual('Service nova not found',
                         self.assert_fault(response, 404, 1016))
