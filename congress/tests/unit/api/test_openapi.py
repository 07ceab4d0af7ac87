"""congress/api/openapi.yaml against the application it documents."""

import inspect
import re

import openapi_spec_validator

from congress.api.controllers import data_sources
from congress.api.controllers import execute
from congress.api.controllers import policies
from congress.api.controllers import root
from congress.api import openapi
from congress.tests.unit.api import base

# component of the document -> the jsonschema the API validates with
REQUEST_SCHEMAS = {
    'PolicyCreate': policies.POLICY,
    'RuleCreate': policies.RULE,
    'SimulateRequest': policies.SIMULATE,
    'ExecuteRequest': execute.BODY,
    'DataSourceCreate': data_sources.CREATE_BODY,
    'RefreshRequest': data_sources.REFRESH_BODY,
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


def _exposed(attribute):
    return callable(attribute) and hasattr(attribute, '_pecan')


def _is_controller(value):
    cls = type(value)
    return (cls.__module__.startswith('congress.api.controllers.') and
            cls.__name__.endswith('Controller'))


def served_routes(controller, prefix=''):
    """``{(path template, METHOD)}`` that the pecan controller tree
    rooted at ``controller`` answers (the generic handlers declared with
    ``base.when``; ``_lookup`` is a ``{}`` segment)."""
    routes = set()
    for name in dir(controller):
        if name.startswith('__'):
            continue
        attribute = getattr(controller, name)
        if name == '_lookup' and _exposed(attribute):
            arguments = list(inspect.signature(attribute).parameters)
            child, _remainder = attribute(*['{}'] * (len(arguments) - 1))
            routes |= served_routes(child, prefix + '/{}')
        elif _exposed(attribute) and attribute._pecan.get('generic'):
            path = prefix if name == 'index' else '%s/%s' % (prefix, name)
            routes |= {(path or '/', method) for method in
                       attribute._pecan['generic_handlers']
                       if method != 'DEFAULT'}
        elif _is_controller(attribute):
            routes |= served_routes(attribute, '%s/%s' % (prefix, name))
    return routes


def documented_routes(document):
    return {(_template(path), method.upper())
            for path, item in _resolve(document, document['paths']).items()
            for method in METHODS if method in item}


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
        served = served_routes(root.RootController())
        documented = documented_routes(self.document)
        self.assertEqual(set(), served - documented, 'not documented')
        self.assertEqual(set(), documented - served, 'not served')
        # the walk finds the tree, not nothing
        self.assertIn(('/v1/cloud-services/{}/tables/{}/rows', 'PUT'),
                      served)
        self.assertEqual(54, len(served))

    def test_every_documented_operation_is_routed(self):
        for path, method in sorted(documented_routes(self.document)):
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
