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

"""Notifications of execution state changes, consumed from the real
RabbitMQ: every process (the caller, the engine, the workers) notifies the
changes it makes, on a topic of this test's own."""

import collections
import threading
import uuid

import oslo_messaging as messaging

from congress import conf
from congress.execution import notifications
from congress.tests.functional import processes
from congress.tests.functional import stack

CONF = conf.CONF

TOPIC = 'congress-test-notifications-%s' % uuid.uuid4().hex[:8]


class _Collector(object):
    """Notification endpoint: keeps what it hears."""

    def __init__(self):
        self.heard = []
        self.lock = threading.Lock()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.lock:
            self.heard.append((publisher_id, event_type, payload))

    def of(self, execution_id):
        with self.lock:
            return [(event, payload) for _p, event, payload in self.heard
                    if payload.get('id') == execution_id]


class RabbitNotificationsTestCase(stack.StackTestCase):

    WORKERS = ('worker-1',)
    CONFIG = {'oslo_messaging_notifications': {'driver': 'messagingv2',
                                               'topics': TOPIC}}

    def setUp(self):
        super().setUp()
        # this process (it records the accepted actions) notifies too
        messaging.get_notification_transport(CONF)
        self.config(driver=['messagingv2'], topics=[TOPIC],
                    group='oslo_messaging_notifications')
        notifications.reset()
        self.addCleanup(notifications.reset)
        self.collector = _Collector()
        transport = messaging.get_notification_transport(CONF)
        self.addCleanup(transport.cleanup)
        listener = messaging.get_notification_listener(
            transport, [messaging.Target(topic=TOPIC)], [self.collector],
            executor='threading')
        listener.start()
        self.addCleanup(listener.wait)
        self.addCleanup(listener.stop)

    def events(self, execution_id, count):
        return processes.wait_for(
            lambda: (lambda found: found if len(found) >= count else None)(
                self.collector.of(execution_id)),
            message='%d notifications of %s' % (count, execution_id))

    def test_one_action_notifies_each_of_its_states_in_order(self):
        execution_id = self.execute('one')
        events = self.events(execution_id, 3)
        self.assertEqual(['congress.execution.accepted',
                          'congress.execution.dispatched',
                          'congress.execution.succeeded'],
                         [event for event, _payload in events])
        self.assertEqual(['accepted', 'dispatched', 'succeeded'],
                         [payload['status'] for _e, payload in events])
        self.assertEqual({notifications.PAYLOAD_VERSION},
                         {payload['payload_version'] for _e, payload
                          in events})
        self.assertEqual('one', events[2][1]['result'])
        self.assertEqual('worker-1', events[2][1]['worker'])
        publishers = collections.Counter(
            p for p, _e, payload in self.collector.heard
            if payload.get('id') == execution_id)
        self.assertEqual(3, sum(publishers.values()))

    def test_secret_arguments_are_masked(self):
        record = self.runtime.execute('fake:things.change_password',
                                      ['no-such-thing', 'hunter2-secret'],
                                      {'token': 'tok-secret-value'})
        events = self.events(record['id'], 3)
        self.assertEqual('congress.execution.failed', events[-1][0])
        for _event, payload in events:
            self.assertEqual(['no-such-thing', '***'],
                             payload['args']['positional'])
            self.assertEqual({'token': '***'}, payload['args']['named'])
        self.assertNotIn('hunter2-secret', repr(events))
        self.assertNotIn('tok-secret-value', repr(events))
