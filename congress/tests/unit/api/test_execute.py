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

"""POST ?action=execute on data sources and policies, and
/v1/executions."""

from unittest import mock

from congress.db import executions as executions_db
from congress.db import policies as policies_db
from congress.execution import status
from congress.tests.unit.api import base


class ExecuteTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.create_fake('fake', things=1)
        self.wait_on_bus('fake')
        self.driver = self.node.service('fake').driver

    def execute(self, body, path='/v1/data-sources/fake', **kwargs):
        return self.app.post_json(path + '?action=execute', body, **kwargs)

    def test_execute_answers_202_and_succeeds(self):
        response = self.execute({'name': 'things.create',
                                 'args': {'positional': ['new'],
                                          'named': {'status': 'DOWN'}}})
        self.assertEqual(202, response.status_int)
        record = response.json
        self.assertEqual('http://localhost/v1/executions/%s' % record['id'],
                         response.headers['Location'])
        self.assertEqual(('fake', 'things.create', status.ACCEPTED, 'api'),
                         (record['service'], record['action'],
                          record['status'], record['origin']))
        self.assertEqual({'positional': ['new'], 'named': {'status': 'DOWN'}},
                         record['args'])
        self.assertTrue(record['created_at'].endswith('Z'))
        final = base.wait_for(lambda: self._succeeded(record['id']))
        self.assertEqual('new', final['result']['name'])
        self.assertEqual('api-node', final['worker'])
        self.assertEqual('admin', final['user_id'])
        self.assertTrue(final['request_id'].startswith('req-'))
        self.assertIn(('new', 'DOWN'), [(t['name'], t['status'])
                                        for t in self.driver.things.list()])

    def _succeeded(self, execution_id):
        record = self.app.get('/v1/executions/%s' % execution_id).json
        return record if record['status'] == status.SUCCEEDED else None

    def test_args_are_optional(self):
        response = self.execute({'name': 'things.list'})
        self.assertEqual({'positional': [], 'named': {}},
                         response.json['args'])
        response = self.execute({'name': 'things.list', 'args': {}})
        self.assertEqual(202, response.status_int)

    def test_execute_by_id_and_through_the_alias(self):
        ds_id = self.app.get('/v1/data-sources/fake').json['id']
        response = self.execute({'name': 'things.list'},
                                path='/v1/data-sources/%s' % ds_id)
        self.assertEqual('fake', response.json['service'])
        response = self.execute({'name': 'things.list'},
                                path='/v1/cloud-services/fake')
        self.assertEqual(202, response.status_int)

    def test_service_prefix_is_tolerated(self):
        response = self.execute({'name': 'fake:things.list'})
        self.assertEqual('things.list', response.json['action'])
        response = self.execute({'name': 'other:things.list'},
                                expect_errors=True)
        self.error(response, 400, 1017)

    def test_failed_action_is_recorded(self):
        record = self.execute({'name': 'things.fail',
                               'args': {'positional': ['boom']}}).json
        final = self.wait_terminal(record['id'])
        self.assertEqual(status.FAILED, final['status'])
        self.assertIn('boom', final['error'])

    def test_dry_run(self):
        with mock.patch.object(self.driver, 'execute') as execute:
            response = self.execute({'name': 'things.create',
                                     'args': {'positional': ['x']},
                                     'dry_run': True})
        self.assertEqual(202, response.status_int)
        self.assertEqual(status.DRY_RUN, response.json['status'])
        execute.assert_not_called()

    def test_secret_arguments_are_masked(self):
        record = self.execute({'name': 'things.work',
                               'args': {'named': {'label': 'x',
                                                  'admin_pass': 'pw'}}}).json
        self.assertEqual('***', record['args']['named']['admin_pass'])
        shown = self.app.get('/v1/executions/%s' % record['id']).json
        self.assertNotIn('pw', str(shown['args']))

    def test_malformed_name_is_1017(self):
        for body in ({}, {'name': ''}, {'name': 42}, {'name': None},
                     {'args': {'positional': []}}):
            response = self.execute(body, expect_errors=True)
            self.error(response, 400, 1017)

    def test_malformed_args_are_1018(self):
        for args in ('abc', ['a'], 3, {'positional': 'abc'},
                     {'positional': {'a': 1}}, {'named': ['a']},
                     {'named': 'x'}, {'named': {'not valid': 1}},
                     {'positional': [], 'other': 1}):
            response = self.execute({'name': 'things.list', 'args': args},
                                    expect_errors=True)
            self.error(response, 400, 1018)

    def test_unknown_body_key_is_400(self):
        response = self.execute({'name': 'things.list', 'colour': 'red'},
                                expect_errors=True)
        self.error(response, 400, 1001)
        response = self.execute({'name': 'things.list', 'dry_run': 'yes'},
                                expect_errors=True)
        self.error(response, 400, 1001)

    def rejected(self):
        """``(service, action, error)`` of the rejected records, oldest
        first."""
        records = self.app.get('/v1/executions?status=rejected').json
        return [(r['service'], r['action'], r['error'])
                for r in reversed(records['results'])]

    def test_unknown_service_is_1016_at_once_and_recorded(self):
        response = self.execute({'name': 'servers.pause'},
                                path='/v1/data-sources/nova',
                                expect_errors=True)
        self.assertEqual('Service nova not found',
                         self.error(response, 404, 1016))
        self.assertEqual([('nova', 'servers.pause',
                           'Service nova not found')], self.rejected())

    def test_unknown_action_is_400_and_recorded(self):
        for action in ('things.nope', 'things._reset', 'execute'):
            response = self.execute({'name': action}, expect_errors=True)
            self.assertIn(action, self.error(response, 400, 1019))
        self.assertEqual(
            [('fake', action, 'Service fake offers no action %s' % action)
             for action in ('things.nope', 'things._reset', 'execute')],
            self.rejected())

    def test_malformed_requests_leave_no_record(self):
        self.execute({'name': 'things.list', 'args': {'positional': 'x'}},
                     expect_errors=True)
        self.execute({'name': ''}, expect_errors=True)
        self.assertEqual([], self.app.get('/v1/executions').json['results'])

    def test_denied_action_is_403_and_recorded(self):
        self.config(deny=['fake:things.delete'], group='execution')
        response = self.execute({'name': 'things.delete',
                                 'args': {'positional': ['x']}},
                                expect_errors=True)
        self.error(response, 403, 1020)
        records = self.app.get('/v1/executions?status=rejected').json
        self.assertEqual(['things.delete'],
                         [r['action'] for r in records['results']])

    def test_execute_through_a_policy(self):
        policies_db.create_policy('ops')
        response = self.execute(
            {'name': 'fake:things.create',
             'args': {'positional': ['by-policy']}},
            path='/v1/policies/ops')
        self.assertEqual(202, response.status_int)
        record = response.json
        self.assertEqual(('fake', 'things.create', 'ops', 'policy'),
                         (record['service'], record['action'],
                          record['policy'], record['origin']))
        self.assertEqual('admin', record['user_id'])
        self.assertEqual(response.headers['Location'],
                         'http://localhost/v1/executions/%s' % record['id'])
        self.assertEqual(status.SUCCEEDED,
                         self.wait_terminal(record['id'])['status'])
        listed = self.app.get('/v1/executions?policy=ops').json['results']
        self.assertEqual([record['id']], [r['id'] for r in listed])

    def test_policy_execute_ignores_trace_and_delta(self):
        policies_db.create_policy('ops')
        response = self.app.post_json(
            '/v1/policies/ops?action=execute&trace=False&delta=False',
            {'name': 'fake:things.list', 'args': {'positional': [],
                                                  'named': {}}})
        self.assertEqual(202, response.status_int)

    def test_policy_execute_errors(self):
        policies_db.create_policy('ops')
        response = self.execute({'name': 'fake:things.list'},
                                path='/v1/policies/nope',
                                expect_errors=True)
        self.error(response, 404, 1002)
        for name in ('things.list', 'a:b:c', ':x'):
            response = self.execute({'name': name}, path='/v1/policies/ops',
                                    expect_errors=True)
            self.error(response, 400, 1017)
        response = self.execute({'name': 'nova:servers.pause'},
                                path='/v1/policies/ops', expect_errors=True)
        self.assertEqual('Service nova not found',
                         self.error(response, 404, 1016))
        response = self.execute({'name': 'fake:x', 'args': 'bad'},
                                path='/v1/policies/ops', expect_errors=True)
        self.error(response, 400, 1018)


class ExecutionsTestCase(base.ApiTestCase):

    def _record(self, index, service='fake', state=status.SUCCEEDED,
                policy=None):
        import datetime
        now = datetime.datetime(2026, 1, 1, 0, 0, index)
        return executions_db.create({
            'id': '00000000-0000-0000-0000-%012d' % index,
            'service': service, 'action': 'things.list',
            'args': {'positional': [], 'named': {}}, 'status': state,
            'origin': 'policy' if policy else 'api', 'policy': policy,
            'created_at': now, 'updated_at': now, 'expires_at': now})

    def test_list_newest_first(self):
        for index in range(3):
            self._record(index)
        body = self.app.get('/v1/executions').json
        self.assertEqual([2, 1, 0], [int(r['id'][-12:])
                                     for r in body['results']])
        self.assertNotIn('next', body)
        self.assertEqual('2026-01-01T00:00:02Z', body['results'][0][
            'created_at'])

    def test_filters(self):
        self._record(1, service='a')
        self._record(2, service='b', state=status.FAILED)
        self._record(3, service='b', policy='ops')
        ids = lambda q: [int(r['id'][-12:]) for r in self.app.get(  # noqa
            '/v1/executions' + q).json['results']]
        self.assertEqual([3, 2], ids('?service=b'))
        self.assertEqual([2], ids('?status=failed'))
        self.assertEqual([3], ids('?policy=ops'))
        self.assertEqual([], ids('?service=a&status=failed'))

    def test_paging_with_next_link(self):
        for index in range(5):
            self._record(index, service='s')
        seen = []
        url = '/v1/executions?limit=2&service=s'
        pages = 0
        while url:
            body = self.app.get(url).json
            seen += [int(r['id'][-12:]) for r in body['results']]
            url = body.get('next')
            if url:
                self.assertTrue(url.startswith('http://localhost/v1/'
                                               'executions?'))
                self.assertIn('service=s', url)
                url = url[len('http://localhost'):]
            pages += 1
        self.assertEqual([4, 3, 2, 1, 0], seen)
        self.assertEqual(3, pages)

    def test_max_limit(self):
        self.config(max_limit=2, group='api')
        for index in range(3):
            self._record(index)
        body = self.app.get('/v1/executions?limit=50').json
        self.assertEqual(2, len(body['results']))
        self.assertIn('limit=2', body['next'])

    def test_bad_parameters(self):
        for query in ('?limit=0', '?limit=abc', '?limit=-1',
                      '?status=exploded', '?marker=nope',
                      '?service=a&service=b'):
            response = self.app.get('/v1/executions' + query,
                                    expect_errors=True)
            self.error(response, 400, 1001)

    def test_show_unknown_is_404(self):
        response = self.app.get('/v1/executions/nope', expect_errors=True)
        self.error(response, 404, 1002)
