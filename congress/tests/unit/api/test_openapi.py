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

"""congress/api/openapi.yaml against the application it documents."""

import re

import openapi_spec_validator

from congress.api.controllers import base as controllers_base
from congress.api.controllers import data_sources
from congress.api.controllers import execute
from congress.api.controllers import executions
from congress.api.controllers import exemptions
from congress.api.controllers import policies
from congress.api.controllers import root
from congress.api import openapi
from congress.tests import routes
from congress.tests.unit.api import base

# component of the document -> the jsonschema the API validates with
REQUEST_SCHEMAS = {
    'PolicyCreate': policies.POLICY,
    'RuleCreate': policies.RULE,
    'SimulateRequest': policies.SIMULATE,
    'ExecuteRequest': execute.BODY,
    'DataSourceCreate': data_sources.CREATE_BODY,
    'RefreshRequest': data_sources.REFRESH_BODY,
    'PolicyUpdate': policies.POLICY_UPDATE,
    'ExecutionDecision': executions.DECISION,
    'ExecutionBatchDecision': executions.BATCH,
    'ExemptionCreate': exemptions.EXEMPTION,
}

METHODS = ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')


def _resolve(document, node):
    """``node`` with every local ``$ref`` replaced by what it points to."""
    if isinstance(node, dict):
        if set(node) == {'$ref'}:
            target = document
            for part in node['$ref'].lstrip('#/').split('/'):
                target = target[part.replace('~1', '/').replace('~0', '~')]
            return _resolve(document, target)
        return {key: _resolve(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(document, value) for value in node]
    return node


def _template(path):
    """``/v1/policies/{policy}`` -> ``/v1/policies/{}``."""
    return re.sub(r'\{[^}]*\}', '{}', path)


def _query_params_taken(method, template):
    """The query parameters the handler of ``method`` on ``template``
    takes (``controllers.base.when``); for an element POST of
    ``?action=`` forms, ``action`` and those of every action handler
    (``controllers.base.allows``)."""
    controller = root.RootController()
    handler = None
    for segment in template.strip('/').split('/'):
        if segment == '{}':
            controller = controller._lookup('x')[0]
            continue
        if not segment:
            continue
        resource = getattr(controller, segment)
        if getattr(resource, '_pecan', {}).get('generic'):
            handler = resource._pecan['generic_handlers'][method]
        else:
            controller = resource
    if handler is None:
        handler = controller.index._pecan['generic_handlers'][method]
    if handler.query_params is not controllers_base.BY_ACTION:
        return set(handler.query_params)
    # the other methods' handlers take query parameters of their own
    methods = set(controller.index._pecan['generic_handlers'].values())
    return {'action'}.union(*(
        function.query_params for function in vars(type(controller)).values()
        if isinstance(getattr(function, 'query_params', None), frozenset) and
        function not in methods))


def operations(document):
    """``(METHOD, path, path item, operation)`` of ``document``."""
    for path, item in _resolve(document, document['paths']).items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item, item[method]


def documented_routes(document):
    return {(method, _template(path))
            for method, path, _item, _op in operations(document)}


class OpenApiDocumentTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.document = openapi.load()

    def test_document_is_valid_openapi(self):
        openapi_spec_validator.validate(self.document)
        self.assertEqual('3.1.0', self.document['openapi'])

    def test_request_schemas_are_the_ones_the_api_validates_with(self):
        components = self.document['components']['schemas']
        for name, schema in REQUEST_SCHEMAS.items():
            self.assertEqual(schema, _resolve(self.document,
                                              components[name]), name)

    def test_every_served_route_is_documented_and_no_other(self):
        served = routes.app_routes()
        documented = documented_routes(self.document)
        self.assertEqual(set(), served - documented, 'not documented')
        self.assertEqual(set(), documented - served, 'not served')
        # the walk finds the tree, not nothing
        self.assertIn(('PUT', '/v1/cloud-services/{}/tables/{}/rows'),
                      served)
        self.assertEqual(61, len(served))

    def test_query_parameters_are_the_ones_each_handler_takes(self):
        for method, path, item, operation in operations(self.document):
            documented = {
                parameter['name'] for parameter in
                item.get('parameters', []) + operation.get('parameters', [])
                if parameter['in'] == 'query'}
            self.assertEqual(_query_params_taken(method, _template(path)),
                             documented, (method, path))

    def test_every_documented_operation_is_routed(self):
        for method, path in sorted(documented_routes(self.document)):
            url = path.replace('{}', 'x')
            kwargs = {'expect_errors': True}
            if method in ('POST', 'PUT'):
                kwargs.update(params='{}', content_type='application/json')
            response = getattr(self.app, method.lower())(url, **kwargs)
            self.assertNotEqual(405, response.status_int, (method, url))
            self.assertLess(response.status_int, 500, (method, url))
            if response.status_int == 404:
                self.assertNotIn('could not be found',
                                 response.json['error']['message'],
                                 (method, url))

    def test_every_error_answer_is_documented_with_the_error_body(self):
        error = {'$ref': '#/components/schemas/Error'}
        for path, item in _resolve(self.document,
                                   self.document['paths']).items():
            for method in METHODS:
                if method not in item:
                    continue
                responses = item[method]['responses']
                self.assertNotIn('default', responses, (method, path))
                for status, response in responses.items():
                    # a HEAD answer has no body
                    if int(status) >= 400 and method != 'head':
                        self.assertEqual(
                            _resolve(self.document, error),
                            response['content']['application/json']
                            ['schema'], (method, path, status))
                self.assertEqual([], [s for s in responses
                                      if int(s) >= 500 and s != '503'])
