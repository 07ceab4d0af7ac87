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

"""Notifications of the state changes of execution records, through
oslo.messaging's in-memory test driver."""

import datetime
from unittest import mock

from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils

from congress.db import executions as executions_db
from congress.execution import notifications
from congress.execution import status
from congress.tests import base


class NotificationsTestCase(base.BusTestCase):

    def setUp(self):
        super().setUp()
        _impl_test.reset()
        self.addCleanup(notifications.reset)
        notifications.reset()

    def record(self, **values):
        now = timeutils.utcnow()
        return executions_db.create(dict({
            'id': 'x-%s' % now.timestamp(), 'service': 'fake',
            'action': 'things.change_password',
            'args': {'positional': ['t1', '***'],
                     'named': {'admin_pass': 'hunter22', 'size': 2}},
            'status': status.ACCEPTED, 'origin': status.ORIGIN_API,
            'expires_at': now + datetime.timedelta(minutes=1)}, **values))

    def sent(self):
        notifications.flush()
        return [(message['event_type'], message['payload'])
                for _ctxt, message, _priority, _retry
                in _impl_test.NOTIFICATIONS]

    def test_every_state_change_of_a_record_in_order(self):
        self.config(driver=['test'], group='oslo_messaging_notifications')
        record = self.record()
        self.assertTrue(executions_db.claim(record['id'], 'node-a'))
        self.assertEqual([True], executions_db.finish_many(
            [(record['id'], status.SUCCEEDED, {'token': 'abcdef'}, None)]))
        sent = self.sent()
        self.assertEqual(['congress.execution.accepted',
                          'congress.execution.dispatched',
                          'congress.execution.succeeded'],
                         [event for event, _payload in sent])
        for _event, payload in sent:
            self.assertEqual(notifications.PAYLOAD_VERSION,
                             payload['payload_version'])
            self.assertEqual(record['id'], payload['id'])
            self.assertEqual('***', payload['args']['named']['admin_pass'])
            self.assertNotIn('payload', payload)
            self.assertTrue(payload['created_at'].endswith('Z'))
        self.assertEqual(['accepted', 'dispatched', 'succeeded'],
                         [payload['status'] for _event, payload in sent])
        self.assertEqual('***', sent[2][1]['result']['token'])
        self.assertNotIn('hunter22', repr(sent))
        self.assertNotIn('abcdef', repr(sent))

    def test_the_reaper_and_refusals_notify(self):
        self.config(driver=['test'], group='oslo_messaging_notifications')
        late = self.record(expires_at=timeutils.utcnow() -
                           datetime.timedelta(seconds=1))
        refused = self.record()
        running = self.record()
        executions_db.claim(running['id'], 'gone-node', 'i1')
        executions_db.refuse(refused['id'], 'bus down')
        self.assertEqual((1, 1), executions_db.reap(set()))
        events = {(payload['id'], event) for event, payload in self.sent()}
        self.assertTrue({(late['id'], 'congress.execution.expired'),
                         (refused['id'], 'congress.execution.rejected'),
                         (running['id'], 'congress.execution.failed')} <=
                        events)

    def test_no_driver_sends_and_queues_nothing(self):
        with mock.patch.object(notifications, '_Sender') as sender:
            self.record()
        sender.assert_not_called()
        self.assertEqual([], self.sent())
