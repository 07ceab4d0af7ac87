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

"""Malformed input a fuzzer sends: every case answers a 4xx with the
error JSON and writes nothing."""

from congress.api import request_input
from congress.api import validation
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import models
from congress.db import policies as policies_db
from congress.policy import engine_service
from congress.tests.unit.api import base

# (method, path) of every route that reads a JSON body
BODY_ROUTES = (
    ('POST', '/v1/data-sources'),
    ('POST', '/v1/data-sources/fake?action=execute'),
    ('POST', '/v1/data-sources/fake?action=request-refresh'),
    ('POST', '/v1/policies'),
    ('POST', '/v1/policies/classification/rules'),
    ('POST', '/v1/policies/classification?action=execute'),
    ('POST', '/v1/policies/classification?action=simulate'),
    ('POST', '/v1/librarypolicies'),
    ('PUT', '/v1/librarypolicies/nothing'),
)


class BadInputTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.create_fake('fake')
        self.stored = self.everything_stored()

    def send(self, method, path, body, content_type='application/json'):
        return self.app.request(path, method=method, body=body,
                                headers={'Content-Type': content_type},
                                expect_errors=True)

    @staticmethod
    def everything_stored():
        return (datasources_db.list_all(), policies_db.list_policies(),
                executions_db.list_records(limit=10))

    def assert_nothing_written(self):
        self.assertEqual(self.stored, self.everything_stored())

    def assert_refused_everywhere(self, body, expected):
        for method, path in BODY_ROUTES:
            response = self.send(method, path, body)
            message = self.error(response, 400, 1001)
            self.assertIn(expected, message, (method, path))
        self.assert_nothing_written()

    def test_deeply_nested_json(self):
        depth = request_input.MAX_JSON_DEPTH
        for opening, closing in (('[', ']'), ('{"a":', '}')):
            deep = (opening * 10000 + '1' + closing * 10000).encode()
            self.assert_refused_everywhere(deep, 'deeper than %d' % depth)
        # brackets inside strings do not count
        body = {'name': 'things.list', 'dry_run': True,
                'args': {'positional': ['[' * 100]}}
        response = self.app.post_json('/v1/data-sources/fake?action=execute',
                                      body)
        self.assertEqual(202, response.status_int)

    def test_nesting_up_to_the_limit_is_accepted(self):
        nested = 'x'
        # the body, args and named objects take three levels
        for _ in range(request_input.MAX_JSON_DEPTH - 3):
            nested = [nested]
        body = {'name': 'things.list', 'dry_run': True,
                'args': {'named': {'deep': nested}}}
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute', body)
        self.assertEqual(nested, response.json['args']['named']['deep'])
        body['args']['named']['deep'] = [nested]
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute', body, expect_errors=True)
        self.error(response, 400, 1001)

    def test_lone_surrogates_and_nul_in_body_strings(self):
        for text in (r'\ud800', r'x\udfffy', r'\u0000'):
            self.assert_refused_everywhere(
                ('{"name": "%s", "driver": "fake", "query": "p(1)", '
                 '"rule": "p(1)"}' % text).encode(), 'surrogate')
            self.assert_refused_everywhere(
                ('{"name": "x", "args": {"named": {"%s": 1}}}'
                 % text).encode(), 'surrogate')

    def test_nan_and_infinity_are_not_json(self):
        for constant in ('NaN', 'Infinity', '-Infinity'):
            self.assert_refused_everywhere(
                ('{"name": "x", "args": {"positional": [%s]}}'
                 % constant).encode(), 'not a JSON value')

    def test_poll_time_must_be_positive(self):
        for poll_time in (0, -1, '0', '-0.5', 0.01, 'soon', True, None,
                          [1], '1e400', 'nan'):
            response = self.app.post_json(
                '/v1/data-sources', {'name': 'polled', 'driver': 'fake',
                                     'config': {'poll_time': poll_time}},
                expect_errors=True)
            self.assertIn('poll_time', self.error(response, 400, 1001),
                          poll_time)
        self.assert_nothing_written()
        for index, poll_time in enumerate((0.1, '5', 60)):
            response = self.app.post_json(
                '/v1/data-sources', {'name': 'polled%d' % index,
                                     'driver': 'fake',
                                     'config': {'poll_time': poll_time}})
            self.assertEqual(201, response.status_int)

    def test_body_that_is_not_utf8(self):
        self.assert_refused_everywhere(b'{"name": "\xff"}', 'UTF-8')

    def test_invalid_utf8_in_the_path(self):
        for segment in ('%ff', '%ed%a0%80', '%00', 'a%c3'):
            for path in ('/v1/policies/%s', '/v1/data-sources/%s',
                         '/v1/executions/%s', '/v1/librarypolicies/%s',
                         '/v1/system/drivers/%s', '/v1/%s'):
                response = self.app.get(path % segment, expect_errors=True)
                self.assertIn('the path', self.error(response, 400, 1001))

    def test_invalid_utf8_in_the_query(self):
        for query in ('service=%ff', 'status=%ed%a0%80', 'policy=a%00',
                      '%ff=1'):
            response = self.app.get('/v1/executions?' + query,
                                    expect_errors=True)
            self.assertIn('query parameter', self.error(response, 400, 1001))

    def test_media_types_are_case_insensitive(self):
        for content_type in ('APPLICATION/JSON', 'Application/Json',
                             'application/JSON; charset=UTF-8'):
            response = self.send(
                'POST', '/v1/data-sources/fake?action=execute',
                b'{"name": "things.list", "dry_run": true}', content_type)
            self.assertEqual(202, response.status_int, content_type)
        response = self.send('POST', '/v1/data-sources', b'{}', 'TEXT/PLAIN')
        self.error(response, 415, 1006)


def start_engine(test):
    """A policy engine on the bus of ``test`` (policy changes are told to
    it)."""
    test.node.add_service(engine_service.PolicyEngineService(
        test.node, test.backends.runtime))


class PolicyTextTestCase(base.ApiTestCase):
    """Rule and query text the policy engine refuses."""

    def setUp(self):
        super().setUp()
        start_engine(self)
        self.app.post_json('/v1/policies', {'name': 'ops'})

    def test_huge_number_in_a_rule_or_a_query(self):
        huge = '9' * 60000
        for path, body in (
                # as long as a rule may be
                ('/v1/policies/ops/rules', {'rule': 'p(%s)' % huge[:16000]}),
                ('/v1/policies/ops?action=simulate',
                 {'query': 'p(%s)' % huge, 'sequence': 'q+(1)',
                  'action_policy': 'action'}),
                ('/v1/policies/ops?action=simulate',
                 {'query': 'p(x)', 'sequence': 'q+(%s)' % huge,
                  'action_policy': 'action'})):
            response = self.app.post_json(path, body, expect_errors=True)
            self.assertIn('more than 64 characters',
                          self.error(response, 400, 1101))
        self.assertEqual([], self.app.get(
            '/v1/policies/ops/rules').json['results'])


class _WithEngineTestCase(base.ApiTestCase):
    """The fake data source on the bus, an engine, and a policy ``ops``."""

    def setUp(self):
        super().setUp()
        self.create_fake('fake')
        self.wait_on_bus('fake')
        start_engine(self)
        self.app.post_json('/v1/policies', {'name': 'ops'})


class StringLimitsTestCase(_WithEngineTestCase):
    """Every string field is as long as its column holds, never longer."""

    def assert_limit(self, path, make_body, column, code=1001, **kwargs):
        limit = validation.max_length(column)
        response = self.app.post_json(path, make_body('a' * limit),
                                      expect_errors=True, **kwargs)
        self.assertLess(response.status_int, 300, response.text)
        response = self.app.post_json(path, make_body('a' * (limit + 1)),
                                      expect_errors=True, **kwargs)
        message = self.error(response, 400, code)
        self.assertNotIn('a' * 100, message)
        return response

    def test_limits_come_from_the_columns(self):
        self.assertEqual(255, validation.max_length(models.Policy.name))
        self.assertEqual(5, validation.max_length(models.Policy.abbreviation))
        self.assertEqual(16383,
                         validation.max_length(models.PolicyRule.rule))

    def test_data_source_fields(self):
        self.assert_limit(
            '/v1/data-sources',
            lambda text: {'name': text, 'driver': 'fake'},
            models.DataSource.name)
        self.assert_limit(
            '/v1/data-sources',
            lambda text: {'name': 'd%d' % len(text), 'driver': 'fake',
                          'description': text},
            models.DataSource.description)

    def test_policy_fields(self):
        self.assert_limit(
            '/v1/policies', lambda text: {'name': text},
            models.Policy.name)
        self.assert_limit(
            '/v1/policies',
            lambda text: {'name': 'a%d' % len(text), 'abbreviation': text},
            models.Policy.abbreviation)
        self.assert_limit(
            '/v1/policies',
            lambda text: {'name': 'd%d' % len(text), 'description': text},
            models.Policy.description)

    def test_execute_name(self):
        # the action alone on a data source, "service:action" on a policy;
        # an overlong name is refused before anything is recorded
        for path, name in (('/v1/data-sources/fake', 'a' * 256),
                           ('/v1/policies/ops', 'fake:' + 'a' * 256),
                           ('/v1/policies/ops', 'a' * 256 + ':x')):
            response = self.app.post_json(path + '?action=execute',
                                          {'name': name}, expect_errors=True)
            self.assertIn('longer than 255', self.error(response, 400, 1017))
        response = self.app.post_json(
            '/v1/data-sources/%s?action=execute' % ('s' * 256),
            {'name': 'things.list'}, expect_errors=True)
        self.error(response, 400, 1017)
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute',
            {'name': 'x' * 512}, expect_errors=True)
        self.error(response, 400, 1017)
        self.assertEqual([], executions_db.list_records(limit=10))
        # 255 characters fit: the refusal is recorded
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute', {'name': 'a' * 255},
            expect_errors=True)
        self.error(response, 400, 1019)
        self.assertEqual(['a' * 255], [
            r['action'] for r in executions_db.list_records(limit=10)])


class QueryParamsTestCase(_WithEngineTestCase):
    """Unknown query parameters answer 400; those clients send do not."""

    def setUp(self):
        super().setUp()
        self.app.post_json('/v1/policies/ops/rules', {'rule': 'p(1)'})

    def test_unknown_parameters_are_refused(self):
        for method, path in (
                ('GET', '/'), ('GET', '/v1'), ('GET', '/v1/data-sources'),
                ('GET', '/v1/data-sources/fake'),
                ('GET', '/v1/data-sources/fake/tables/things/rows'),
                ('GET', '/v1/data-sources/fake/status'),
                ('GET', '/v1/policies/ops/tables/p/rows?trace=true'),
                ('GET', '/v1/executions?limit=5'),
                ('GET', '/v1/librarypolicies?include_rules=false'),
                ('GET', '/v1/system/drivers'),
                ('DELETE', '/v1/data-sources/fake'),
                ('POST', '/v1/policies/ops?action=simulate'),
                ('POST', '/v1/policies/ops?action=execute'),
                ('POST', '/v1/data-sources/fake?action=request-refresh'),
                ('POST', '/v1/data-sources/fake?action=execute')):
            joiner = '&' if '?' in path else '?'
            response = self.app.request(
                path + joiner + 'colour=blue', method=method,
                body=b'{}', headers={'Content-Type': 'application/json'},
                expect_errors=True)
            message = self.error(response, 400, 1001)
            self.assertIn('"colour"', message, path)
        # nothing ran: the data source is still there
        self.assertEqual(200, self.app.get('/v1/data-sources/fake').status_int)
        self.assertEqual([], executions_db.list_records(limit=10))

    def test_what_clients_send_is_accepted(self):
        # python-congressclient and the tempest client
        library = self.app.post_json('/v1/librarypolicies',
                                     {'name': 'lib'}).json
        for path in ('/v1/policies/ops/tables/p/rows?trace=True',
                     '/v1/librarypolicies?include_rules=True',
                     '/v1/librarypolicies?include_rules=False&name=lib',
                     '/v1/librarypolicies/%s?include_rules=True'
                     % library['id'],
                     '/v1/executions?service=fake&status=accepted&'
                     'policy=ops&limit=2',):
            self.assertEqual(200, self.app.get(path).status_int, path)
        response = self.app.post_json(
            '/v1/policies/ops?action=simulate&trace=False&delta=False',
            {'query': 'p(x)', 'sequence': 'q+(1)',
             'action_policy': 'action'})
        self.assertEqual(200, response.status_int)
        response = self.app.post_json(
            '/v1/policies/ops?action=execute&trace=False&delta=False',
            {'name': 'fake:things.list', 'dry_run': True})
        self.assertEqual(202, response.status_int)
        response = self.app.post('/v1/policies?library_policy=%s'
                                 % library['id'])
        self.assertEqual(201, response.status_int)
