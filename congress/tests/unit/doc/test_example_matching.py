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

"""How a shown answer is compared with the server's: the comparison must
catch what differs, and let through only what the page leaves out."""

import os

import fixtures
import testtools

from congress.tests.unit.doc import examples

URL = 'http://127.0.0.1:40000'


class ShownBodyTestCase(testtools.TestCase):

    def match(self, shown, actual, bindings=None):
        return examples.match(examples.parse_shown(shown), actual,
                              bindings or {}, URL)

    def test_exact_values(self):
        self.assertEqual({}, self.match('{"a": 1, "b": [true, null]}',
                                        {'a': 1, 'b': [True, None]}))
        for actual in ({'a': 2, 'b': [True, None]}, {'a': 1},
                       {'a': 1, 'b': [True, None], 'c': 3},
                       {'a': '1', 'b': [True, None]},
                       {'a': 1, 'b': [True]}):
            self.assertRaises(AssertionError, self.match,
                              '{"a": 1, "b": [true, null]}', actual)

    def test_ellipsis(self):
        self.match('{"a": ..., ...}', {'a': [1], 'b': 2})
        self.match('[1, ...]', [3, 1, 2])
        self.match('"Service ... not found"', 'Service nova not found')
        self.assertRaises(AssertionError, self.match, '[1, ...]', [2, 3])
        self.assertRaises(AssertionError, self.match, '{"a": ..., ...}',
                          {'b': 1})
        self.assertRaises(AssertionError, self.match, '"Service ... found"',
                          'Driver nova found')

    def test_lists_match_in_any_order(self):
        self.match('[{"data": ["<x>", "b"]}, {"data": ["<y>", "a"]}]',
                   [{'data': ['1', 'a']}, {'data': ['2', 'b']}])
        self.assertRaises(AssertionError, self.match, '["a", "a"]',
                          ['a', 'b'])

    def test_variables_bind_then_compare(self):
        bound = self.match('{"id": "<p>", "href": "%s/v1/p/<p>"}'
                           % examples.DOC_BASE_URL,
                           {'id': 'abc', 'href': URL + '/v1/p/abc'})
        self.assertEqual({'p': 'abc'}, bound)
        self.assertRaises(AssertionError, self.match, '{"id": "<p>"}',
                          {'id': 'other'}, bound)
        self.assertEqual('/v1/p/abc?x=1', examples.substitute(
            '/v1/p/<p>?x=1', bound, URL))


class ReadExamplesTestCase(testtools.TestCase):

    def test_request_and_answer(self):
        page = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'page.rst')
        with open(page, 'w') as out:
            out.write('Intro.\n\n.. http-example::\n\n'
                      '   POST /v1/policies\n   {"name": "ops"}\n\n'
                      '   HTTP/1.1 201 Created\n'
                      '   Location: http://127.0.0.1:1789/v1/policies/<id>\n'
                      '\n   {"id": "<id>", ...}\n\nAfter.\n\n'
                      '.. http-example::\n\n   GET /v1\n\n'
                      '   HTTP/1.1 200 OK\n')
        first, second = examples.read_examples(page)
        self.assertEqual(('POST', '/v1/policies', {'name': 'ops'}, 201),
                         (first.method, first.path, first.body,
                          first.status))
        self.assertEqual(
            {'Location': 'http://127.0.0.1:1789/v1/policies/<id>'},
            first.headers)
        self.assertEqual({'id': '<id>', examples.ANY: examples.ANY},
                         first.answer)
        self.assertEqual(('GET', '/v1', None, 200, None),
                         (second.method, second.path, second.body,
                          second.status, second.answer))
