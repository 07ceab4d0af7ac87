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

"""/v1/policies with a real policy engine on the in-process bus."""

import os

import yaml

from congress.db import datasources as datasources_db
from congress.db import policies as policies_db
from congress.policy import engine_service
from congress.tests.unit.api import base


class PoliciesTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.engine = engine_service.PolicyEngineService(
            self.node, self.backends.runtime)
        self.node.add_service(self.engine)

    def create(self, name='ops', **body):
        body['name'] = name
        response = self.app.post_json('/v1/policies', body)
        self.assertEqual(201, response.status_int)
        return response

    def test_builtin_policies_are_listed(self):
        names = [p['name'] for p in
                 self.app.get('/v1/policies').json['results']]
        self.assertIn('classification', names)
        self.assertIn('action', names)

    def test_create_show_delete(self):
        response = self.create('ops', abbreviation='op', kind='nonrecursive',
                               description='operations')
        policy = response.json
        self.assertEqual({'id', 'name', 'abbreviation', 'description',
                          'owner_id', 'kind', 'enforcement',
                          'max_table_share_percent'}, set(policy))
        self.assertEqual(('ops', 'op', 'operations', 'nonrecursive',
                          'admin', 'enforce'),
                         (policy['name'], policy['abbreviation'],
                          policy['description'], policy['kind'],
                          policy['owner_id'], policy['enforcement']))
        self.assertEqual('http://localhost/v1/policies/%s' % policy['id'],
                         response.headers['Location'])
        self.assertEqual(policy, self.app.get('/v1/policies/ops').json)
        self.assertEqual(policy, self.app.get(
            '/v1/policies/%s' % policy['id']).json)
        self.assertEqual(policy, self.app.delete(
            '/v1/policies/%s' % policy['id']).json)
        self.error(self.app.get('/v1/policies/ops', expect_errors=True),
                   404, 1002)
        self.error(self.app.delete('/v1/policies/ops', expect_errors=True),
                   404)

    def test_defaults(self):
        policy = self.create('minimal').json
        self.assertEqual('nonrecursive', policy['kind'])
        self.assertEqual('minim', policy['abbreviation'])

    def test_duplicate_is_409(self):
        self.create('ops')
        response = self.app.post_json('/v1/policies', {'name': 'ops'},
                                      expect_errors=True)
        self.error(response, 409, 1003)

    def test_invalid_bodies(self):
        for body in ({}, {'name': ''}, {'name': '1abc'}, {'name': 'a b'},
                     {'name': 'a:b'}, {'name': 7},
                     {'name': 'p', 'abbreviation': 'toolong'},
                     {'name': 'p', 'kind': 'weird'},
                     {'name': 'p', 'description': 5},
                     {'name': 'p', 'colour': 'red'},
                     {'name': 'p', 'rules': 'p(x) :- q(x)'},
                     {'name': 'p', 'rules': [{'name': 'no rule'}]}):
            response = self.app.post_json('/v1/policies', body,
                                          expect_errors=True)
            self.error(response, 400)
        names = [p['name'] for p in policies_db.list_policies()]
        self.assertNotIn('p', names)

    def test_reserved_name_is_refused_and_rules_still_work(self):
        response = self.app.post_json('/v1/policies', {'name': 'builtin'},
                                      expect_errors=True)
        self.assertIn('reserved', self.error(response, 400, 1111))
        self.assertNotIn('builtin', [p['name'] for p in
                                     policies_db.list_policies()])
        self.create('ops')
        response = self.app.post_json('/v1/policies/ops/rules',
                                      {'rule': 'p(x) :- q(x)'})
        self.assertEqual(201, response.status_int)

    def test_builtin_policy_names_are_409(self):
        for name in ('classification', 'action'):
            response = self.app.post_json('/v1/policies', {'name': name},
                                          expect_errors=True)
            self.error(response, 409, 1003)

    def test_builtin_cannot_be_deleted(self):
        for name in ('classification', 'action'):
            response = self.app.delete('/v1/policies/%s' % name,
                                       expect_errors=True)
            self.assertIn('built in', self.error(response, 403, 1004))
        self.assertIsNotNone(policies_db.get_policy('classification'))

    def test_rules(self):
        self.create('ops')
        response = self.app.post_json(
            '/v1/policies/ops/rules',
            {'rule': 'p(x) :- q(x)', 'name': 'r1', 'comment': 'copy'})
        self.assertEqual(201, response.status_int)
        rule = response.json
        self.assertEqual({'id', 'rule', 'name', 'comment', 'user_id',
                          'project_id'}, set(rule))
        self.assertEqual(('p(x) :- q(x)', 'r1', 'copy', 'admin'),
                         (rule['rule'], rule['name'], rule['comment'],
                          rule['user_id']))
        self.assertEqual('http://localhost/v1/policies/ops/rules/%s'
                         % rule['id'], response.headers['Location'])
        listed = dict(rule, status='enabled', status_reason=None)
        self.assertEqual({'results': [listed]},
                         self.app.get('/v1/policies/ops/rules').json)
        self.assertEqual(listed, self.app.get(
            '/v1/policies/ops/rules/%s' % rule['id']).json)
        self.assertEqual(rule, self.app.delete(
            '/v1/policies/ops/rules/%s' % rule['id']).json)
        self.error(self.app.get('/v1/policies/ops/rules/%s' % rule['id'],
                                expect_errors=True), 404)
        self.error(self.app.get('/v1/policies/nope/rules',
                                expect_errors=True), 404)

    def test_rule_over_a_data_source_not_created_yet_waits(self):
        self.create('ops')
        response = self.app.post_json(
            '/v1/policies/ops/rules',
            {'rule': 'p(x) :- later:things(id=x, status="ACTIVE")'})
        self.assertEqual(201, response.status_int)
        rule = self.app.get('/v1/policies/ops/rules/%s' %
                            response.json['id']).json
        self.assertEqual('disabled', rule['status'])
        self.assertIn('not known yet', rule['status_reason'])
        status = self.app.get('/v1/policies/ops/status').json
        self.assertEqual({rule['id']: rule['status_reason']},
                         status['disabled_rules'])

    def test_bad_rules_are_400_with_the_reason(self):
        self.create('ops')
        response = self.app.post_json('/v1/policies/ops/rules',
                                      {'rule': 'p(x) :- q(x'},
                                      expect_errors=True)
        self.assertEqual(400, response.status_int)
        body = response.json['error']
        self.assertEqual(1101, body['error_code'])
        self.assertEqual({'line', 'column'}, set(body['error_data']))
        response = self.app.post_json('/v1/policies/ops/rules',
                                      {'rule': 'p(x) :- not q(x)'},
                                      expect_errors=True)
        self.error(response, 400, 1102)
        for body in ({}, {'rule': ''}, {'rule': 3},
                     {'rule': 'p(1)', 'extra': 1}):
            response = self.app.post_json('/v1/policies/ops/rules', body,
                                          expect_errors=True)
            self.error(response, 400, 1001)
        self.assertEqual([], self.app.get('/v1/policies/ops/rules')
                         .json['results'])

    def test_duplicate_rule_is_409(self):
        self.create('ops')
        self.app.post_json('/v1/policies/ops/rules', {'rule': 'p(1)'})
        base.wait_for(lambda: self.engine.engine.rules('ops'))
        response = self.app.post_json('/v1/policies/ops/rules',
                                      {'rule': 'p(1)'}, expect_errors=True)
        self.error(response, 409, 1105)

    def test_create_with_rules_is_all_or_nothing(self):
        response = self.app.post_json(
            '/v1/policies', {'name': 'bad', 'rules': [
                {'rule': 'p(1)'}, {'rule': 'q(x) :- '}]},
            expect_errors=True)
        self.error(response, 400)
        self.assertIsNone(policies_db.get_policy('bad'))
        policy = self.create('good', rules=[{'rule': 'p(1)'},
                                            {'rule': 'q(x) :- p(x)',
                                             'name': 'copy'}]).json
        self.assertEqual(2, len(policies_db.list_rules(policy['id'])))

    def test_tables_rows_status_and_simulate(self):
        self.create('ops')
        for text in ('q(1)', 'q(2)', 'p(x) :- q(x)'):
            self.app.post_json('/v1/policies/ops/rules', {'rule': text})
        base.wait_for(lambda: len(self.engine.engine.rules('ops')) == 3)
        self.assertEqual({'results': [{'id': 'p'}, {'id': 'q'}]},
                         self.app.get('/v1/policies/ops/tables').json)
        self.assertEqual({'id': 'p'},
                         self.app.get('/v1/policies/ops/tables/p').json)
        self.error(self.app.get('/v1/policies/ops/tables/zz',
                                expect_errors=True), 404)
        rows = self.app.get('/v1/policies/ops/tables/p/rows').json
        self.assertEqual({'results': [{'data': [1]}, {'data': [2]}]}, rows)
        traced = self.app.get('/v1/policies/ops/tables/p/rows?trace=true')
        self.assertIn('trace', traced.json)
        status = self.app.get('/v1/policies/ops/status').json
        self.assertEqual('ops', status['name'])
        self.assertIn('id', status)
        result = self.app.post_json(
            '/v1/policies/ops?action=simulate',
            {'query': 'p(x)', 'sequence': 'q+(3)',
             'action_policy': 'action'}).json
        self.assertEqual(['p(1)', 'p(2)', 'p(3)'], sorted(result['result']))
        response = self.app.post_json('/v1/policies/ops?action=simulate',
                                      {'query': 'p(x)'}, expect_errors=True)
        self.error(response, 400)

    def test_no_engine_is_503(self):
        self.node.remove_service(self.engine.name)
        self.create('ops')
        response = self.app.post_json('/v1/policies/ops/rules',
                                      {'rule': 'p(1)'}, expect_errors=True)
        self.assertIn('no policy engine', self.error(response, 503, 1200))

    def test_create_from_a_library_policy(self):
        library = self.app.post_json('/v1/librarypolicies', {
            'name': 'lib', 'description': 'from the library',
            'rules': [{'rule': 'p(1)', 'name': 'one'}]}).json
        response = self.app.post('/v1/policies?library_policy=%s'
                                 % library['id'])
        self.assertEqual(201, response.status_int)
        policy = response.json
        self.assertEqual(('lib', 'from the library'),
                         (policy['name'], policy['description']))
        self.assertEqual(['p(1)'], [r['rule'] for r in policies_db.list_rules(
            policy['id'])])
        response = self.app.post('/v1/policies?library_policy=nope',
                                 expect_errors=True)
        self.error(response, 404)
        response = self.app.post_json('/v1/policies?library_policy=%s'
                                      % library['id'], {'name': 'x'},
                                      expect_errors=True)
        self.error(response, 400)


class LibraryPoliciesTestCase(base.ApiTestCase):

    def configure(self):
        library = os.path.join(self.state_dir, 'library')
        os.makedirs(library)
        with open(os.path.join(library, 'seed.yaml'), 'w') as handle:
            yaml.safe_dump({'name': 'seeded', 'description': 'from a file',
                            'rules': [{'rule': 'p(1)'}]}, handle)

    def test_files_are_listed(self):
        results = self.app.get('/v1/librarypolicies').json['results']
        self.assertEqual(['seeded'], [p['name'] for p in results])
        self.assertEqual([{'rule': 'p(1)'}], results[0]['rules'])
        seeded = self.app.get('/v1/librarypolicies/%s'
                              % results[0]['id']).json
        self.assertEqual(results[0], seeded)

    def test_crud(self):
        document = {'name': 'mine', 'description': 'd', 'kind': 'action',
                    'rules': [{'rule': 'q(2)', 'comment': 'c'}]}
        response = self.app.post_json('/v1/librarypolicies', document)
        self.assertEqual(201, response.status_int)
        created = response.json
        self.assertEqual(dict(document, id=created['id']), created)
        self.assertEqual(created, self.app.get(
            '/v1/librarypolicies/%s' % created['id']).json)
        names = self.app.get('/v1/librarypolicies?name=mine').json
        self.assertEqual(['mine'], [p['name'] for p in names['results']])
        short = self.app.get('/v1/librarypolicies?include_rules=false').json
        self.assertTrue(all('rules' not in p for p in short['results']))
        replaced = self.app.put_json(
            '/v1/librarypolicies/%s' % created['id'],
            {'name': 'mine', 'rules': []}).json
        self.assertEqual({'name': 'mine', 'rules': [], 'id': created['id']},
                         replaced)
        self.assertEqual(replaced, self.app.delete(
            '/v1/librarypolicies/%s' % created['id']).json)
        self.error(self.app.get('/v1/librarypolicies/%s' % created['id'],
                                expect_errors=True), 404)

    def test_errors(self):
        response = self.app.post_json('/v1/librarypolicies',
                                      {'name': 'seeded'}, expect_errors=True)
        self.error(response, 409)
        response = self.app.post_json('/v1/librarypolicies',
                                      {'name': 'x', 'kind': 'odd'},
                                      expect_errors=True)
        self.error(response, 400)
        self.error(self.app.delete('/v1/librarypolicies/nope',
                                   expect_errors=True), 404)
        self.error(self.app.get('/v1/librarypolicies?include_rules=maybe',
                                expect_errors=True), 400)

    def test_deleting_a_seeded_policy_hides_it(self):
        seeded = self.app.get('/v1/librarypolicies').json['results'][0]
        self.app.delete('/v1/librarypolicies/%s' % seeded['id'])
        self.assertEqual([], self.app.get('/v1/librarypolicies')
                         .json['results'])


class ShippedLibraryTestCase(base.ApiTestCase):
    """Policies of the shipped library activated through the API."""

    def configure(self):
        self.config(policy_library_path=os.path.join(
            os.path.dirname(__file__), '..', '..', '..', '..', 'etc',
            'congress', 'library'), group='policy_engine')

    def setUp(self):
        super().setUp()
        self.node.add_service(engine_service.PolicyEngineService(
            self.node, self.backends.runtime))

    def library_id(self, name):
        found = self.app.get('/v1/librarypolicies?name=%s' % name).json
        return found['results'][0]['id']

    def test_before_its_data_source_a_policy_waits_and_says_why(self):
        # no nova data source yet: its columns are unknown, so the rules
        # that name them are kept, disabled, until the schema arrives
        response = self.app.post(
            '/v1/policies?library_policy=%s'
            % self.library_id('nova_disallowed_flavors'))
        self.assertEqual(201, response.status_int)
        rules = self.app.get('/v1/policies/nova_disallowed_flavors/rules'
                             ).json['results']
        waiting = [r for r in rules if r['status'] == 'disabled']
        self.assertTrue(waiting)
        for rule in waiting:
            self.assertIn('nova:', rule['rule'])
            self.assertIn('not known yet', rule['status_reason'])

    def test_a_policy_over_an_existing_data_source_activates(self):
        datasources_db.create('demo', 'fake', {}, secret_names=())
        response = self.app.post('/v1/policies?library_policy=%s'
                                 % self.library_id('demo_broken_things'))
        self.assertEqual(201, response.status_int)
        self.assertEqual('demo_broken_things', response.json['name'])
