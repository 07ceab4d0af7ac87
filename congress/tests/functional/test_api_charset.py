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

"""4-byte UTF-8 characters through the API on MariaDB, with the
``charset=utf8`` (utf8mb3) URL devstack writes."""

import urllib.parse

from congress.api import validation
from congress.db import models
from congress.execution import names
from congress.tests.functional import databases
from congress.tests.unit.api import base

EMOJI = '\U0001f600'


class MariaDBUtf8UrlTestCase(base.ApiTestCase):

    def database_url(self):
        url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, url)
        self.url = url.replace('charset=utf8mb4', 'charset=utf8')
        return self.url

    def test_body_strings_are_stored_faithfully(self):
        self.assertTrue(self.url.endswith('?charset=utf8'))
        created = self.app.post_json(
            '/v1/data-sources', {'name': 'fake', 'driver': 'fake',
                                 'description': 'smile ' + EMOJI}).json
        self.assertEqual('smile ' + EMOJI, self.app.get(
            '/v1/data-sources/%s' % created['id']).json['description'])
        self.wait_on_bus('fake')
        record = self.app.post_json(
            '/v1/data-sources/fake?action=execute',
            {'name': 'things.create', 'dry_run': True,
             'args': {'positional': [EMOJI], 'named': {'status': EMOJI}}},
        ).json
        self.assertEqual({'positional': [EMOJI], 'named': {'status': EMOJI}},
                         self.app.get('/v1/executions/%s' %
                                      record['id']).json['args'])

    def test_path_ids_and_query_values_are_looked_up(self):
        for collection in ('policies', 'data-sources', 'executions',
                           'librarypolicies'):
            path = '/v1/%s/%s' % (collection, urllib.parse.quote(EMOJI))
            self.error(self.app.get(path, expect_errors=True), 404, 1002)
        answer = self.app.get('/v1/executions', {'service': EMOJI,
                                                 'policy': EMOJI})
        self.assertEqual([], answer.json['results'])

    def test_the_longest_strings_fit_their_columns(self):
        description = EMOJI * validation.max_length(
            models.DataSource.description)
        created = self.app.post_json(
            '/v1/data-sources', {'name': 'fake', 'driver': 'fake',
                                 'description': description}).json
        self.assertEqual(description, self.app.get(
            '/v1/data-sources/%s' % created['id']).json['description'])
        self.wait_on_bus('fake')
        action = EMOJI * names.MAX_ACTION_LENGTH
        response = self.app.post_json('/v1/data-sources/fake?action=execute',
                                      {'name': action}, expect_errors=True)
        self.error(response, 400, 1019)
        self.assertEqual([action], [r['action'] for r in self.app.get(
            '/v1/executions').json['results']])
