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

"""Pushes over the bus to the service hosting a push driver."""

from unittest import mock

from congress.cloudservices import doctor_driver
from congress import context as congress_context
from congress.dse import datasource_service
from congress.dse import rpcapi
from congress import exception
from congress.tests import base

EVENT = {'time': 't', 'type': 'compute.host.down',
         'details': {'hostname': 'h1', 'status': 'down'}}


class _HookDriver(doctor_driver.DoctorDriver):
    """A push driver with a webhook handler: the payload's events replace
    the table."""

    def handle_webhook(self, payload):
        return self.replace_table('events', payload['events'])


class PushServiceTestCase(base.FakeServiceTestCase):
    """``doctor`` beside ``fake`` on node ``node-a``."""

    def setUp(self):
        super().setUp()
        self.doctor = datasource_service.DataSourceService(
            'doctor', doctor_driver.DoctorDriver('doctor', {}), self.node,
            poll_time=60)
        self.node.add_service(self.doctor)
        base.wait_for(self.doctor.is_leader, message='doctor leads')
        self.api = rpcapi.DataSourceAPI()
        self.context = congress_context.get_admin_context()

    def push(self, service, rows, table='events'):
        return self.api.push_rows(self.context, service, table, rows,
                                  'node-a')

    def test_push_is_published_like_a_poll(self):
        self.push('doctor', [EVENT])
        snapshot = self.doctor.snapshot('events')
        self.assertEqual([['t', 'compute.host.down', 'h1', 'down', None,
                           None]], snapshot['rows'])
        seq = snapshot['seq']
        self.push('doctor', [])
        self.assertEqual(([], seq + 1),
                         (self.doctor.snapshot('events')['rows'],
                          self.doctor.snapshot('events')['seq']))

    def test_errors_cross_the_bus_as_themselves(self):
        self.assertRaises(exception.BadRequest, self.push, 'doctor',
                          [{'time': 't'}])
        self.assertRaises(exception.BadRequest, self.push, 'doctor', [],
                          table='hosts')
        error = self.assertRaises(exception.BadRequest, self.push, 'fake',
                                  [], table='things')
        self.assertIn('not a push driver', str(error))
        with mock.patch.object(self.doctor, 'is_leader', return_value=False):
            self.assertRaises(exception.ServiceUnavailable, self.push,
                              'doctor', [EVENT])
        self.assertEqual([], self.doctor.snapshot('events')['rows'])

    def test_push_methods_are_sent_as_1_1_the_others_as_1_0(self):
        client = self.api._client('doctor', 'node-a')
        self.assertEqual('1.0', client.target.version)
        with mock.patch.object(client, 'prepare',
                               wraps=client.prepare) as prepare:
            self.push('doctor', [])
        prepare.assert_called_once_with(version='1.1')

    def test_webhook_goes_to_the_drivers_handler(self):
        self.assertRaises(exception.BadRequest, self.api.push_webhook,
                          self.context, 'doctor', {'events': []}, 'node-a')
        hook = datasource_service.DataSourceService(
            'hook', _HookDriver('hook', {}), self.node, poll_time=60)
        self.node.add_service(hook)
        base.wait_for(hook.is_leader, message='hook leads')
        self.api.push_webhook(self.context, 'hook', {'events': [EVENT]},
                              'node-a')
        self.assertEqual(['h1'], [r[2] for r in
                                  hook.snapshot('events')['rows']])
