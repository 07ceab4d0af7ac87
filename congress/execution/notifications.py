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

"""oslo.messaging notifications of the state changes of execution records.

Each change is sent as event type ``congress.execution.<status>`` (e.g.
``congress.execution.succeeded``), priority INFO, publisher
``congress.<host>``, with the record's fields (secret values masked, see
``masking``) and ``payload_version``. The ``[oslo_messaging_notifications]``
options choose the driver, topics and transport; with no driver or
``noop`` (the default) nothing is sent and nothing is queued.

The database module tells this one of each change after it committed;
the notifications are sent by one thread per process, in the order of the
changes, so that no writer waits on the broker. A change whose record was
read after it changed again carries the status of the change it notifies.
"""

import queue
import socket
import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from congress import conf
from congress.execution import masking

CONF = conf.CONF
LOG = logging.getLogger(__name__)

EVENT_PREFIX = 'congress.execution.'
#: Version of the payload: the minor number grows with added fields, the
#: major one when a field changes meaning or goes.
PAYLOAD_VERSION = '1.0'
#: Most changes waiting to be sent; beyond, changes are dropped (logged).
QUEUE_SIZE = 10000

_lock = threading.Lock()
_sender = None


def _iso(value):
    if value is None or isinstance(value, str):
        return value
    return value.replace(tzinfo=None).isoformat() + 'Z'


def payload(record, new_status):
    """The payload notifying that ``record`` became ``new_status``."""
    body = dict(record, status=new_status, payload_version=PAYLOAD_VERSION)
    for field in ('args', 'result', 'why'):
        body[field] = masking.mask_value(body.get(field))
    for field, value in body.items():
        if hasattr(value, 'isoformat'):
            body[field] = _iso(value)
    return body


class _Sender(object):
    """Sends queued changes with one notifier, on its own thread."""

    def __init__(self, notifier):
        self.notifier = notifier
        self.queue = queue.Queue(QUEUE_SIZE)
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='execution-notifications')
        self._thread.start()

    def put(self, item):
        try:
            self.queue.put_nowait(item)
        except queue.Full:
            LOG.warning('Execution notification of %s dropped: %d are '
                        'waiting to be sent', item[0], QUEUE_SIZE)

    def _run(self):
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                self._send(*item)
            except Exception:
                LOG.exception('Execution notification of %s not sent',
                              item[0])
            finally:
                self.queue.task_done()

    def _send(self, execution_id, new_status, record, fetch):
        if record is None:
            record = fetch(execution_id)
            if record is None:
                return  # purged meanwhile
        self.notifier.info({}, EVENT_PREFIX + new_status,
                           payload(record, new_status))

    def stop(self):
        self.queue.put(None)
        self._thread.join()


def _get_sender():
    """The process's sender, made at first use; None when no driver is
    configured."""
    global _sender
    with _lock:
        if _sender is None:
            # registers the [oslo_messaging_notifications] options; the
            # transport connects at its first notification
            transport = messaging.get_notification_transport(CONF)
            drivers = [driver for driver in
                       CONF.oslo_messaging_notifications.driver
                       if driver != 'noop']
            if drivers:
                _sender = _Sender(messaging.Notifier(
                    transport,
                    publisher_id='congress.%s' % socket.gethostname()))
            else:
                transport.cleanup()
                _sender = False
        return _sender or None


def changed(changes, fetch):
    """Notify ``(execution_id, new status, record or None)`` changes,
    committed; ``fetch(execution_id)`` reads the record of a change that
    does not carry it."""
    sender = _get_sender()
    if sender is None:
        return
    for execution_id, new_status, record in changes:
        sender.put((execution_id, new_status, record, fetch))


def flush():
    """Wait until every change notified so far was sent."""
    with _lock:
        sender = _sender
    if sender:
        sender.queue.join()


def reset():
    """Stop the sender; the next change reads the options again (tests,
    a process reloading its configuration)."""
    global _sender
    with _lock:
        sender, _sender = _sender, None
    if sender:
        sender.stop()
        sender.notifier.transport.cleanup()
