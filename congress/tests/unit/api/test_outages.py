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

"""Answers while the database or the message bus is unreachable: 503 with
Retry-After and the error JSON, never 500; the rest keeps answering."""

import datetime
from unittest import mock

from oslo_db import exception as db_exc
import oslo_messaging as messaging
import sqlalchemy.exc as sa_exc

from congress.db import executions as executions_db
from congress.dse import rpcapi
from congress.execution import status
from congress.tests.unit.api import base


class OutageTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.create_fake('fake', things=1)
        self.wait_on_bus('fake')

    def unavailable(self, response, error_code):
        self.error(response, 503, error_code)
        self.assertEqual('5', response.headers['Retry-After'])

    def test_a_database_outage_answers_503(self):
        for error in (db_exc.DBConnectionError(),
                      sa_exc.OperationalError('SELECT', {}, OSError(
                          'connection refused')),
                      sa_exc.TimeoutError('QueuePool limit reached')):
            with mock.patch.object(executions_db, 'list_records',
                                   side_effect=error):
                self.unavailable(self.app.get('/v1/executions',
                                              expect_errors=True), 1201)
        self.assertEqual(200, self.app.get('/v1/executions').status_int)

    def test_versions_answer_without_the_database(self):
        with mock.patch('congress.db.api.reader',
                        side_effect=db_exc.DBConnectionError()):
            self.assertEqual(200, self.app.get('/').status_int)
            self.assertEqual(200, self.app.get('/v1').status_int)
            self.unavailable(self.app.get('/v1/policies',
                                          expect_errors=True), 1201)

    def test_an_execute_the_bus_does_not_take_answers_503_not_run(self):
        failure = messaging.MessageDeliveryFailure('broker unreachable')
        with mock.patch.object(rpcapi.DataSourceAPI, 'execute',
                               side_effect=failure):
            response = self.app.post_json(
                '/v1/data-sources/fake?action=execute',
                {'name': 'things.create', 'args': {'positional': ['x']}},
                expect_errors=True)
        self.unavailable(response, 1200)
        self.assertIn('broker unreachable', response.json['error']['message'])
        records = executions_db.list_records()
        self.assertEqual([status.REJECTED], [r['status'] for r in records])
        self.assertIn('not run', records[0]['error'])
        self.assertEqual(200, self.app.get('/v1/executions').status_int)

    def test_an_execute_a_worker_took_despite_the_failed_cast_is_202(self):
        # the connection lost after the broker took the message: the send
        # fails, yet a worker has claimed the record and runs the action
        def taken_then_lost(_context, _service, message, retry=None):
            self.assertTrue(executions_db.claim(message['id'], 'node-a'))
            raise messaging.MessageDeliveryFailure('connection lost')

        with mock.patch.object(rpcapi.DataSourceAPI, 'execute',
                               side_effect=taken_then_lost):
            response = self.app.post_json(
                '/v1/data-sources/fake?action=execute',
                {'name': 'things.create', 'args': {'positional': ['x']}})
        self.assertEqual(202, response.status_int)
        record = executions_db.get(response.json['id'])
        self.assertEqual((status.DISPATCHED, None),
                         (record['status'], record['error']))

    def test_an_execute_whose_refusal_the_database_loses_is_202(self):
        # the bus and then the database fail: the record cannot say "not
        # run", so it stays accepted and the reaper casts it again; a 503
        # would have the caller retry an action that still runs
        failure = messaging.MessageDeliveryFailure('broker unreachable')
        with mock.patch.object(rpcapi.DataSourceAPI, 'execute',
                               side_effect=failure), \
                mock.patch.object(executions_db, 'refuse',
                                  side_effect=db_exc.DBConnectionError()):
            response = self.app.post_json(
                '/v1/data-sources/fake?action=execute',
                {'name': 'things.create', 'args': {'positional': ['x']}})
        self.assertEqual(202, response.status_int)
        self.assertEqual(status.ACCEPTED, response.json['status'])
        record = executions_db.get(response.json['id'])
        self.assertEqual(status.ACCEPTED, record['status'])
        taken = executions_db.take_for_redelivery(
            {'fake': [{}]}, record['created_at'] + datetime.timedelta(
                seconds=1), 10)
        self.assertEqual([('fake', response.json['id'], ['x'])],
                         [(service, message['id'],
                           message['positional_args'])
                          for service, message in taken])

    def test_a_call_the_bus_does_not_take_answers_503(self):
        failure = messaging.MessageDeliveryFailure('broker unreachable')
        with mock.patch('oslo_messaging.RPCClient.call',
                        side_effect=failure):
            self.unavailable(self.app.get('/v1/data-sources/fake/tables/'
                                          'things/rows', expect_errors=True),
                             1200)

    def test_a_stored_data_source_without_workers_answers_503(self):
        self.manager.stop()
        self.node.remove_service('fake')
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute',
            {'name': 'things.create', 'args': {'positional': ['x']}},
            expect_errors=True)
        self.unavailable(response, 1202)
        self.assertIn('no worker', response.json['error']['message'])
