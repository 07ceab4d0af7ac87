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

"""Secret action arguments never show in execution records, the 202
answer, logs or error messages."""

import logging

import fixtures

from congress.db import executions as executions_db
from congress.execution import status
from congress.tests.unit.api import base

SECRET = 'hunter2-the-secret'


class MaskingTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        self.create_fake('fake', things=1)
        self.wait_on_bus('fake')
        self.driver = self.node.service('fake').driver
        self.thing = self.driver.things.list()[0]['id']

    def execute(self, name, positional=(), named=None, **kwargs):
        return self.app.post_json(
            '/v1/data-sources/fake?action=execute',
            {'name': name, 'args': {'positional': list(positional),
                                    'named': named or {}}}, **kwargs)

    def assert_hidden(self, record_id, *answers):
        """The secret is in none of the answers, nor in the record, its
        list, the log."""
        final = self.wait_terminal(record_id)
        shown = [self.app.get('/v1/executions/%s' % record_id).text,
                 self.app.get('/v1/executions').text, str(final),
                 self.log.output] + [a.text for a in answers]
        for text in shown:
            self.assertNotIn(SECRET, text)
        return final

    def test_nested_values(self):
        response = self.execute('things.create', [{'password': SECRET}], {
            'status': {'name': {'password': SECRET}, 'spec': [
                {'token': SECRET}]}})
        self.assertEqual(202, response.status_int)
        self.assertEqual({'positional': [{'password': '***'}],
                          'named': {'status': {'name': {'password': '***'},
                                               'spec': [{'token': '***'}]}}},
                         response.json['args'])
        final = self.assert_hidden(response.json['id'], response)
        self.assertEqual(status.SUCCEEDED, final['status'])
        # the action got the real values; its result is masked alike
        created = [t for t in self.driver.things.list()
                   if t['id'] == final['result']['id']][0]
        self.assertEqual({'password': SECRET}, created['name'])
        self.assertEqual({'password': '***'}, final['result']['name'])

    def test_positional_arguments_by_declared_name(self):
        response = self.execute('things.change_password',
                                [self.thing, SECRET])
        self.assertEqual([self.thing, '***'],
                         response.json['args']['positional'])
        final = self.assert_hidden(response.json['id'], response)
        self.assertEqual(status.SUCCEEDED, final['status'])
        # the result echoes the password: masked by its key
        self.assertEqual('***', final['result']['password'])
        self.assertEqual(SECRET, self.driver.things.list()[0]['password'])

    def test_names_like_secrets(self):
        named = {name: SECRET for name in (
            'passwd', 'pwd', 'secret', 'token', 'credential', 'adminPass',
            'admin_pass', 'api_key')}
        named['key_name'] = 'my-keypair'
        response = self.execute('things.list', named=named,
                                expect_errors=True)
        args = response.json['args']['named']
        self.assertEqual('my-keypair', args.pop('key_name'))
        self.assertEqual({'***'}, set(args.values()))
        self.assert_hidden(response.json['id'], response)

    def test_configured_patterns(self):
        self.config(secret_argument_patterns=['*colour'], group='execution')
        response = self.execute('things.create', ['x'],
                                {'status': 'up', 'favourite_colour': SECRET},
                                expect_errors=True)
        self.assertEqual({'status': 'up', 'favourite_colour': '***'},
                         response.json['args']['named'])
        self.assert_hidden(response.json['id'], response)

    def test_error_text_of_a_failed_action(self):
        short = SECRET[:7]
        response = self.execute('things.change_password', [self.thing, short])
        final = self.wait_terminal(response.json['id'])
        self.assertEqual(status.FAILED, final['status'])
        self.assertEqual("ValueError: Password '***' is shorter than 8 "
                         "characters", final['error'])
        for text in (self.log.output, str(final),
                     self.app.get('/v1/executions').text):
            self.assertNotIn(short, text)

    def test_unknown_action_masks_every_positional_argument(self):
        response = self.execute('things.nope', [SECRET], expect_errors=True)
        self.error(response, 400, 1019)
        self.assertNotIn(SECRET, response.text)
        records = executions_db.list_records(limit=10)
        self.assertEqual([['***']],
                         [r['args']['positional'] for r in records])

    def test_wrongly_typed_secret_is_not_echoed(self):
        for body in ({'name': {'password': SECRET}},
                     {'name': [SECRET]},
                     {'name': 'things.list', 'args': {'named': [SECRET]}},
                     {'name': 'things.list', 'args': {'positional': {
                         'password': SECRET}}},
                     {'name': 'things.list', 'dry_run': SECRET}):
            response = self.app.post_json(
                '/v1/data-sources/fake?action=execute', body,
                expect_errors=True)
            self.assertEqual(400, response.status_int, body)
            self.assertNotIn(SECRET, response.text)
        for config in ({'password': {'value': SECRET}},
                       {'password': [SECRET]}, {'things': [SECRET]}):
            response = self.app.post_json(
                '/v1/data-sources', {'name': 'other', 'driver': 'fake',
                                     'config': config}, expect_errors=True)
            self.assertEqual(400, response.status_int, config)
            self.assertNotIn(SECRET, response.text)
        self.assertNotIn(SECRET, self.log.output)
