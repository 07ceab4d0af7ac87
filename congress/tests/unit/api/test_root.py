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

"""Versions, routing and the JSON faults of every kind of error."""

from unittest import mock

from congress.api.controllers import drivers
from congress.tests.unit.api import base


class RootTestCase(base.ApiTestCase):

    def test_versions(self):
        response = self.app.get('/')
        self.assertEqual(200, response.status_int)
        versions = response.json['versions']
        self.assertEqual(['v1'], [v['id'] for v in versions])
        self.assertEqual('CURRENT', versions[0]['status'])
        self.assertEqual('http://localhost/v1/',
                         versions[0]['links'][0]['href'])

    def test_v1(self):
        body = self.app.get('/v1').json
        self.assertEqual('v1', body['id'])
        self.assertEqual('CURRENT', body['status'])
        self.assertEqual(body, self.app.get('/v1/').json)

    def test_head_of_the_version_documents(self):
        for path in ('/', '/v1', '/v1/'):
            get = self.app.get(path)
            head = self.app.head(path)
            self.assertEqual(200, head.status_int)
            self.assertEqual(b'', head.body)
            self.assertEqual('application/json', head.content_type)
            self.assertEqual(get.headers['Content-Length'],
                             head.headers['Content-Length'])

    def test_versions_behind_a_proxy(self):
        self.config(enable_proxy_headers_parsing=True,
                    group='oslo_middleware')
        response = self.app.get('/', headers={
            'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example',
            'X-Forwarded-Prefix': '/policy'})
        self.assertEqual('https://api.example/policy/v1/',
                         response.json['versions'][0]['links'][0]['href'])

    def test_request_id_header(self):
        response = self.app.get('/v1/data-sources')
        self.assertTrue(response.headers['X-OpenStack-Request-Id']
                        .startswith('req-'))

    def test_unknown_url_is_json_404(self):
        for path in ('/nope', '/v1/nope', '/v1/system/nope',
                     '/v1/data-sources/x/y/z/w'):
            response = self.app.get(path, expect_errors=True)
            self.error(response, 404, 1002)

    def test_wrong_method_is_json_405_with_allow(self):
        response = self.app.put('/v1/data-sources', expect_errors=True)
        self.error(response, 405, 1005)
        self.assertEqual('GET, POST', response.headers['Allow'])
        response = self.app.delete('/v1/executions', expect_errors=True)
        self.error(response, 405)
        response = self.app.post('/', expect_errors=True)
        self.error(response, 405)

    def test_html_accept_still_gets_json(self):
        response = self.app.get('/v1/data-sources',
                                headers={'Accept': 'text/html'})
        self.assertEqual('application/json', response.content_type)
        response = self.app.get('/nope', headers={'Accept': 'text/plain'},
                                expect_errors=True)
        self.error(response, 404)

    def test_malformed_json_is_400(self):
        response = self.app.post('/v1/data-sources', '{"name": ',
                                 content_type='application/json',
                                 expect_errors=True)
        message = self.error(response, 400, 1001)
        self.assertIn('not valid JSON', message)

    def test_body_must_be_an_object(self):
        for body in ('[1, 2]', '"text"', '3'):
            response = self.app.post('/v1/data-sources', body,
                                     content_type='application/json',
                                     expect_errors=True)
            self.error(response, 400, 1001)

    def test_missing_body_is_400(self):
        response = self.app.post('/v1/data-sources', '',
                                 content_type='application/json',
                                 expect_errors=True)
        self.error(response, 400)

    def test_control_bytes_are_a_body_not_its_absence(self):
        # \v and \f are white space to bytes.strip(), not to JSON: an
        # optional body of them is malformed JSON, never skipped
        for body in (b'\x0b', b' \x0c\n'):
            response = self.app.post(
                '/v1/executions/no-such-id?action=reject', body,
                content_type='application/json', expect_errors=True)
            self.assertIn('not valid JSON', self.error(response, 400, 1001))
        response = self.app.post(
            '/v1/executions/no-such-id?action=reject', b' \t\r\n',
            content_type='application/json', expect_errors=True)
        self.error(response, 404)

    def test_wrong_content_type_is_415(self):
        response = self.app.post('/v1/data-sources', '<a/>',
                                 content_type='application/xml',
                                 expect_errors=True)
        self.error(response, 415, 1006)

    def test_body_too_large_is_413(self):
        self.config(max_request_body_size=1024, group='api')
        response = self.app.post('/v1/data-sources', 'x' * 2000,
                                 content_type='application/json',
                                 expect_errors=True)
        self.error(response, 413, 1007)

    def test_chunked_body_too_large_is_413(self):
        self.config(max_request_body_size=1024, group='api')
        body = b'{"name": "' + b'x' * 4000 + b'"}'
        response = self.app.request(
            '/v1/data-sources', method='POST', body=body,
            headers={'Content-Type': 'application/json',
                     'Transfer-Encoding': 'chunked'},
            expect_errors=True)
        self.error(response, 413)

    def test_internal_fault_is_generic_500(self):
        with mock.patch.object(drivers.loader, 'enabled_drivers',
                               side_effect=RuntimeError('secret detail')):
            response = self.app.get('/v1/system/drivers',
                                    expect_errors=True)
        message = self.error(response, 500, 1000)
        self.assertNotIn('secret detail', response.text)
        self.assertIn('internal error', message)

    def test_drivers(self):
        body = self.app.get('/v1/system/drivers').json
        self.assertIn({'id': 'fake', 'description':
                       'In-memory test service with a table of things.'},
                      body['results'])
        fake = self.app.get('/v1/system/drivers/fake').json
        self.assertEqual('fake', fake['id'])
        self.assertEqual({'record_file': '(optional)',
                          'poll_time': '(optional)',
                          'things': '(optional)',
                          'seed': '(optional)'}, fake['config'])
        self.assertEqual([], fake['secret'])
        self.assertEqual(['things'], [t['table_id'] for t in fake['tables']])

    def test_unknown_driver_is_404(self):
        response = self.app.get('/v1/system/drivers/nope',
                                expect_errors=True)
        self.assertIn('nope', self.error(response, 404, 1021))

    def test_disabled_driver_is_hidden(self):
        self.config(enabled_drivers=['nova'], group='datasources')
        ids = [d['id'] for d in
               self.app.get('/v1/system/drivers').json['results']]
        self.assertNotIn('fake', ids)
        self.error(self.app.get('/v1/system/drivers/fake',
                                expect_errors=True), 404, 1021)
