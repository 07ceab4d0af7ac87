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

"""The access matrix: every documented operation (congress/policies, which
tests/unit/api/test_routes.py holds equal to the app's routes), under its
data-sources alias too, called with no token, a bad token, a member's and
an admin's token of the real keystone, and answered as its policy default
says."""

import datetime
import itertools

from congress.tests.functional.api import base
from congress.tests import routes

CALLERS = ('no token', 'bad token', 'member', 'admin')

# what the admin gets where the call itself is refused, whoever makes it
ADMIN_ERRORS = {'congress:data_source:push': (400, 1022)}
#: Operations the admin's call is refused by, for what they are called on:
#: the record at hand is a dry run, not awaiting approval.
ADMIN_OPERATION_ERRORS = {
    ('POST', '/v1/executions/{}', 'action=approve'): (409, 1030),
    ('POST', '/v1/executions/{}', 'action=reject'): (409, 1030),
}

# deleting goes last, the items first, what holds them after
DELETE_ORDER = ('/v1/exemptions/{}', '/v1/policies/{}/rules/{}',
                '/v1/librarypolicies/{}', '/v1/policies/{}',
                '/v1/data-sources/{}')


class RbacMatrixTestCase(base.KeystoneApiTestCase):

    def setUp(self):
        super().setUp()
        self.serial = itertools.count()
        self.create_fake('fake', things=1)
        self.admin('POST', '/v1/policies', json={'name': 'ops'})
        rule = self.admin('POST', '/v1/policies/ops/rules',
                          json={'rule': 'p(1)'})
        library = self.admin('POST', '/v1/librarypolicies',
                             json={'name': 'lib'})
        record = self.admin('POST', '/v1/data-sources/fake?action=execute',
                            json={'name': 'things.list', 'dry_run': True})
        exemption = self.admin('POST', '/v1/exemptions',
                               json=self.exemption_body())
        self.values = {'{data_source}': 'fake', '{driver}': 'fake',
                       '{policy}': 'ops', '{rule_id}': rule['id'],
                       '{library_policy}': library['id'],
                       '{execution_id}': record['id'],
                       '{exemption_id}': exemption['id']}
        base.wait_json(lambda: self.call(
            'GET', '/v1/policies/ops/tables/p', 'admin').ok,
            message='the engine has the rule')
        base.wait_json(lambda: self.call(
            'GET', '/v1/data-sources/fake/tables/things/rows', 'admin').ok,
            message='the data source has polled')

    @staticmethod
    def exemption_body():
        expires = datetime.datetime.now(datetime.timezone.utc) + \
            datetime.timedelta(days=1)
        return {'policy': 'ops', 'reason': 'rbac',
                'expires_at': expires.strftime('%Y-%m-%dT%H:%M:%SZ')}

    def admin(self, method, path, **kwargs):
        response = self.call(method, path, 'admin', **kwargs)
        self.assertLess(response.status_code, 300, response.text)
        return response.json()

    def path(self, operation):
        path = operation.path
        if '{table}' in path:
            path = path.replace('{table}', 'p' if path.startswith(
                '/v1/policies') else 'things')
        for placeholder, value in self.values.items():
            path = path.replace(placeholder, value)
        return path + ('?' + operation.query if operation.query else '')

    def body(self, operation):
        """A body the admin's call succeeds with (a new name each time)."""
        serial = next(self.serial)
        bodies = {
            ('POST', '/v1/data-sources', ''): {
                'name': 'rbac-%d' % serial, 'driver': 'fake'},
            ('POST', '/v1/data-sources/{}', 'action=execute'): {
                'name': 'things.list', 'dry_run': True},
            ('POST', '/v1/policies', ''): {'name': 'rbac_%d' % serial},
            ('POST', '/v1/policies/{}', 'action=execute'): {
                'name': 'fake:things.list', 'dry_run': True},
            ('POST', '/v1/policies/{}', 'action=simulate'): {
                'query': 'p(x)', 'sequence': 'q+(1)',
                'action_policy': 'action'},
            ('POST', '/v1/policies/{}/rules', ''): {
                'rule': 'r%d(1)' % serial},
            ('POST', '/v1/librarypolicies', ''): {
                'name': 'rbac-%d' % serial},
            ('PUT', '/v1/librarypolicies/{}', ''): {'name': 'lib'},
            ('POST', '/v1/exemptions', ''): self.exemption_body(),
            ('PATCH', '/v1/policies/{}', ''): {'enforcement': 'enforce'},
            ('POST', '/v1/executions', 'action=approve'): {
                'ids': [self.values['{execution_id}']]},
            ('POST', '/v1/executions', 'action=reject'): {
                'ids': [self.values['{execution_id}']]},
        }
        return bodies.get((operation.method, routes.generic(operation.path),
                           operation.query), {})

    def calls(self):
        """The operations in an order that keeps the items until the end;
        the data-sources ones also under their alias."""
        operations = routes.operations()
        aliased = [op._replace(path=alias + op.path[len(name):])
                   for op in operations for alias, name in
                   routes.ALIASES.items()
                   if op.path.startswith(name) and op.method != 'DELETE']
        deletes = sorted(
            (op for op in operations if op.method == 'DELETE'),
            key=lambda op: DELETE_ORDER.index(routes.generic(op.path)))
        return [op for op in operations if op.method != 'DELETE'] + \
            aliased + deletes

    def call_as(self, caller, operation):
        kwargs = {}
        if operation.method in ('POST', 'PUT', 'PATCH'):
            kwargs['json'] = self.body(operation)
        if caller == 'bad token':
            kwargs['token'] = 'not-a-token'
        elif caller != 'no token':
            kwargs['who'] = caller
        return self.call(operation.method, self.path(operation), **kwargs)

    def expected(self, caller, operation):
        """``(status, error code)``; ``(None, None)`` for a success."""
        if caller in ('no token', 'bad token'):
            return 401, 1010
        if caller == 'member' and operation.admin_only:
            return 403, 1004
        if operation.rule in ADMIN_ERRORS:
            return ADMIN_ERRORS[operation.rule]
        key = (operation.method, routes.generic(operation.path),
               operation.query)
        if key in ADMIN_OPERATION_ERRORS:
            return ADMIN_OPERATION_ERRORS[key]
        return None, None

    def test_matrix(self):
        wrong = []
        counted = 0
        for operation in self.calls():
            for caller in CALLERS:
                response = self.call_as(caller, operation)
                counted += 1
                status, code = self.expected(caller, operation)
                what = '%s %s as %s: %s %s' % (
                    operation.method, self.path(operation), caller,
                    response.status_code, response.text[:200])
                if status is None:
                    if response.status_code >= 300:
                        wrong.append(what)
                    continue
                if (response.status_code, response.json()['error'][
                        'error_code']) != (status, code):
                    wrong.append(what)
                else:
                    self.assert_fault(response, status, code)
        self.assertEqual([], wrong)
        # every documented operation, and the alias, under four callers
        self.assertGreaterEqual(counted, 4 * len(routes.operations()))
        # the refused calls wrote nothing: what the admin made is all there
        # is (its deletes took the fixtures)
        names = [d['name'] for d in self.admin('GET', '/v1/data-sources')[
            'results']]
        self.assertEqual(2, len(names), names)
        self.assertTrue(all(name.startswith('rbac-') for name in names))

    def test_version_documents_are_open(self):
        for (method, path), caller in itertools.product(routes.OPEN_ROUTES,
                                                        CALLERS):
            operation = routes.Operation(method, path, '', None, False)
            response = self.call_as(caller, operation)
            self.assertEqual(200, response.status_code, (method, path,
                                                         caller))
