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

"""congress.api.errors makes every error body: of Congress errors, plain
HTTP errors, outages, the middleware's own answers and the unexpected."""

from unittest import mock

import webob
from webob import exc as webob_exc
import webtest

from congress.api import app as app_mod
from congress.api import errors
from congress import exception
from congress.tests import base


def _answering(status, headers, body):
    def app(environ, start_response):
        start_response(status, headers)
        return [body]
    return app


class FaultWrapTestCase(base.TestCase):

    def fault(self, app, status):
        response = webtest.TestApp(app_mod.FaultWrap(app)).get(
            '/v1/x', expect_errors=True)
        self.assertEqual(status, response.status_int)
        self.assertEqual('application/json', response.content_type)
        self.assertEqual({'error'}, set(response.json))
        self.assertEqual({'message', 'error_code', 'error_data'},
                         set(response.json['error']))
        return response

    def test_a_middleware_401_keeps_its_challenge(self):
        response = self.fault(_answering(
            '401 Unauthorized',
            [('Content-Type', 'application/json'),
             ('WWW-Authenticate', 'Keystone uri="http://k"')],
            b'{"error": {"code": 401, "message": "No token."}}'), 401)
        self.assertEqual({'message': 'Authentication required: No token.',
                          'error_code': 1010, 'error_data': None},
                         response.json['error'])
        self.assertEqual('Keystone uri="http://k"',
                         response.headers['WWW-Authenticate'])

    def test_a_middleware_503_is_an_outage_with_retry_after(self):
        response = self.fault(_answering(
            '503 Service Unavailable', [('Content-Type', 'text/html')],
            b'<html>keystone is down</html>'), 503)
        self.assertEqual(1202, response.json['error']['error_code'])
        self.assertEqual(str(exception.ServiceUnavailable.retry_after),
                         response.headers['Retry-After'])

    def test_other_middleware_5xx_say_nothing_of_themselves(self):
        response = self.fault(_answering(
            '502 Bad Gateway', [('Content-Type', 'text/plain')],
            b'secret upstream detail'), 502)
        self.assertNotIn('secret', response.text)
        self.assertEqual(1000, response.json['error']['error_code'])

    def test_a_middleware_400_keeps_its_reason(self):
        response = self.fault(_answering(
            '400 Bad Request', [('Content-Type', 'text/plain')], b''), 400)
        self.assertEqual({'message': 'Bad Request', 'error_code': 1001,
                          'error_data': None}, response.json['error'])

    def test_the_error_json_passes_as_it_is(self):
        body = b'{"error": {"message": "m", "error_code": 1, ' \
            b'"error_data": null}}'
        response = self.fault(_answering(
            '409 Conflict', [('Content-Type', 'application/json')], body),
            409)
        self.assertEqual(body, response.body)

    def test_anything_unexpected_is_a_logged_generic_500(self):
        def crashing(environ, start_response):
            raise RuntimeError('secret detail')
        with mock.patch.object(errors.LOG, 'error') as logged:
            response = self.fault(crashing, 500)
        self.assertNotIn('secret', response.text)
        self.assertIn('internal error', response.json['error']['message'])
        self.assertIsInstance(logged.call_args[1]['exc_info'], RuntimeError)


class ResponseForTestCase(base.TestCase):

    def test_request_id_and_outage_headers(self):
        request = webob.Request.blank('/v1/policies')
        request.environ['openstack.request_id'] = 'req-1'
        response = errors.response_for(exception.DatabaseUnavailable(),
                                       request)
        self.assertEqual((503, 'req-1', '5', 1201), (
            response.status_int,
            response.headers['X-OpenStack-Request-Id'],
            response.headers['Retry-After'],
            response.json['error']['error_code']))

    def test_bad_input_is_never_a_500(self):
        for exc in (exception.BadRequest(reason='x'),
                    exception.InvalidActionArguments(reason='x'),
                    webob_exc.HTTPBadRequest()):
            status, body, _headers = errors.fault_for(exc)
            self.assertEqual(400, status, exc)
