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

"""Every route of the app has its policy rule, and every documented
operation its route."""

from congress.tests import routes
from congress.tests.unit.api import base


class RoutesTestCase(base.ApiTestCase):

    def test_every_route_is_documented_by_a_policy_rule(self):
        served = {(method, routes.generic(path))
                  for method, path in routes.app_routes()}
        documented = {(op.method, routes.generic(op.path))
                      for op in routes.operations()}
        self.assertEqual(set(), served - documented - set(routes.OPEN_ROUTES))
        self.assertEqual(set(), documented - served)
        # the alias serves the same routes
        self.assertIn(('GET', '/v1/cloud-services/{}/tables/{}/rows'),
                      routes.app_routes())
        self.assertGreater(len(documented), 30)
