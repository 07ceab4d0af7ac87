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

"""oslo.policy defaults and the keystone pipeline."""

import ast
import os

# registers the [keystone_authtoken] options on the global CONF
from keystonemiddleware import auth_token  # noqa
import webtest

from congress.api import app as app_mod
from congress import policies
from congress.tests.unit.api import base


def _headers(roles, project='p1', user='u1'):
    return {'X-Identity-Status': 'Confirmed', 'X-User-Id': user,
            'X-Project-Id': project, 'X-Roles': ','.join(roles)}


class PolicyDefaultsTestCase(base.ApiTestCase):
    """The app as keystone's auth_token leaves requests: identity in
    headers."""

    AUTH_STRATEGY = 'keystone'

    def setUp(self):
        super().setUp()
        # the pecan app without auth_token in front: headers as auth_token
        # would set them
        self.app = webtest.TestApp(app_mod.setup_app(self.backends))
        self.create_as_admin()

    def create_as_admin(self):
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'fake', 'driver': 'fake',
                                 'config': {}},
            headers=_headers(['admin']))
        self.assertEqual(201, response.status_int)
        self.wait_on_bus('fake')

    def test_member_reads_but_does_not_write(self):
        member = _headers(['member'])
        for path in ('/v1/data-sources', '/v1/data-sources/fake',
                     '/v1/data-sources/fake/actions',
                     '/v1/data-sources/fake/schema',
                     '/v1/system/drivers', '/v1/policies'):
            self.assertEqual(200, self.app.get(path, headers=member)
                             .status_int, path)
        response = self.app.post_json(
            '/v1/data-sources', {'name': 'x', 'driver': 'fake'},
            headers=member, expect_errors=True)
        self.error(response, 403, 1004)
        response = self.app.delete('/v1/data-sources/fake', headers=member,
                                   expect_errors=True)
        self.error(response, 403)

    def test_execute_is_admin_only(self):
        body = {'name': 'things.list'}
        for roles in (['member'], ['reader'], ['member', 'reader'], []):
            response = self.app.post_json(
                '/v1/data-sources/fake?action=execute', body,
                headers=_headers(roles), expect_errors=True)
            message = self.error(response, 403, 1004)
            self.assertIn('congress:data_source:execute', message)
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute', body,
            headers=_headers(['admin'], project='p9', user='alice'))
        self.assertEqual(202, response.status_int)
        self.assertEqual(('alice', 'p9'), (response.json['user_id'],
                                           response.json['project_id']))

    def test_executions_are_admin_only(self):
        response = self.app.get('/v1/executions',
                                headers=_headers(['member']),
                                expect_errors=True)
        self.error(response, 403)
        self.assertEqual(200, self.app.get(
            '/v1/executions', headers=_headers(['admin'])).status_int)

    def test_no_identity_is_refused(self):
        response = self.app.get('/v1/data-sources', expect_errors=True)
        self.error(response, 403)

    def test_versions_need_nothing(self):
        self.assertEqual(200, self.app.get('/').status_int)
        self.assertEqual(200, self.app.get('/v1').status_int)


class KeystonePipelineTestCase(base.ApiTestCase):
    """The paste pipeline with auth_token: no keystone is contacted for
    requests without a token, nor for the version documents."""

    AUTH_STRATEGY = 'keystone'

    def configure(self):
        self.config(www_authenticate_uri='http://127.0.0.1:1/identity',
                    group='keystone_authtoken')

    def test_no_token_is_401_in_congress_format(self):
        response = self.app.get('/v1/data-sources', expect_errors=True)
        message = self.error(response, 401, 1010)
        self.assertIn('Authentication required', message)
        self.assertIn('127.0.0.1:1/identity',
                      response.headers['WWW-Authenticate'])

    def test_versions_without_or_with_a_bad_token(self):
        for headers in ({}, {'X-Auth-Token': 'bogus'}):
            self.assertEqual(200, self.app.get('/', headers=headers)
                             .status_int)
            self.assertEqual('v1', self.app.get('/v1', headers=headers)
                             .json['id'])

    def test_spoofed_identity_headers_do_not_pass(self):
        response = self.app.get('/v1/data-sources',
                                headers=_headers(['admin']),
                                expect_errors=True)
        self.error(response, 401)


class PolicyRulesTestCase(base.ApiTestCase):

    def test_names_and_scopes(self):
        names = [r.name for r in policies.list_rules()]
        self.assertEqual(len(names), len(set(names)))
        for rule in policies.list_rules():
            if rule.name.startswith('congress:'):
                self.assertEqual(3, len(rule.name.split(':')), rule.name)
                self.assertEqual(['project'], rule.scope_types)

    def test_every_rule_the_controllers_use_is_registered(self):
        registered = {r.name for r in policies.list_rules()}
        used = set()
        directory = os.path.join(os.path.dirname(app_mod.__file__),
                                 'controllers')
        for name in os.listdir(directory):
            if not name.endswith('.py'):
                continue
            with open(os.path.join(directory, name)) as source:
                tree = ast.parse(source.read())
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and
                        getattr(node.func, 'attr', None) == 'authorize' and
                        isinstance(node.args[0], ast.Constant)):
                    used.add(node.args[0].value)
        self.assertTrue(used)
        self.assertEqual(set(), used - registered)
        unused = {n for n in registered - used if n.startswith('congress:')}
        self.assertEqual(set(), unused)

    def test_writes_are_admin_only(self):
        admin_only = {r.name for r in policies.list_rules()
                      if r.check_str == 'rule:admin_required'}
        for name in ('congress:data_source:execute',
                     'congress:policy:execute', 'congress:execution:list',
                     'congress:execution:get', 'congress:data_source:create',
                     'congress:data_source:delete', 'congress:policy:create',
                     'congress:policy:delete',
                     'congress:policy_rule:create'):
            self.assertIn(name, admin_only)
