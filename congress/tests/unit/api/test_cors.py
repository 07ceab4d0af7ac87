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

"""A browser client of an allowed origin: the ``[cors]`` defaults the
sample shows are those the API serves with."""

import webtest

from congress.api import app as app_mod
from congress.tests.unit.api import base

ORIGIN = 'https://dashboard.example'


class CorsTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        # [cors] exists once the filter is built: the app is built again
        # with an allowed origin
        self.config(allowed_origin=[ORIGIN], group='cors')
        self.app = webtest.TestApp(app_mod.load_app(self.backends))

    def preflight(self, origin):
        return self.app.options('/v1/policies', headers={
            'Origin': origin, 'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'X-Auth-Token'})

    def test_the_token_header_is_allowed_by_default(self):
        response = self.preflight(ORIGIN)
        self.assertEqual(ORIGIN,
                         response.headers['Access-Control-Allow-Origin'])
        self.assertIn('x-auth-token', response.headers[
            'Access-Control-Allow-Headers'].lower())

    def test_an_answer_exposes_the_request_id(self):
        response = self.app.get('/v1/policies', headers={'Origin': ORIGIN})
        self.assertIn('x-openstack-request-id', response.headers[
            'Access-Control-Expose-Headers'].lower())

    def test_another_origin_gets_no_cors_headers(self):
        response = self.preflight('https://elsewhere.example')
        self.assertNotIn('Access-Control-Allow-Origin', response.headers)
