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

"""Writes the outcomes of executions in batches, off the driver's thread.
"""

import queue
import threading
import time

from oslo_log import log as logging

from congress.db import executions as executions_db
from congress.dse import faults

LOG = logging.getLogger(__name__)

_STOP = object()


class OutcomeReporter(object):
    """Collects ``(id, status, result, error)`` and records them, as many
    as have queued up in one transaction each time.

    An outcome is kept until it is recorded: while the database fails, the
    reporter retries with backoff (the fault shows in ``faults``).
    """

    MAX_BATCH = 200

    def __init__(self, name, worker, incarnation, service_faults):
        self._worker = worker
        self._incarnation = incarnation
        self._faults = service_faults
        self._queue = queue.Queue()
        self._pending = []
        self._thread = threading.Thread(target=self._run,
                                        name='outcomes-%s' % name,
                                        daemon=True)

    def start(self):
        self._thread.start()

    def report(self, execution_id, outcome, result=None, error=None):
        self._queue.put((execution_id, outcome, result, error))

    def stop(self, timeout=None):
        """Record everything reported so far, then end; wait at most
        ``timeout`` seconds. Outcomes still unrecorded then stay with the
        (daemon) thread, which keeps trying until the process exits; the
        records they belong to stay dispatched to this worker, and are
        failed in doubt once it is gone: by the reaper when this process
        is no longer alive on the bus (``executions_db.reap``), or by the
        node's next process when it starts
        (``executions_db.fail_earlier_incarnations``)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            LOG.error('Outcomes of executions %s could not be recorded '
                      'before shutdown',
                      ', '.join(item[0] for item in list(self._pending)))

    def _run(self):
        pending = self._pending
        stopping = False
        backoff = faults.Backoff()
        retry_at = 0.0
        while not (stopping and not pending):
            timeout = (max(0.0, retry_at - time.monotonic()) if pending
                       else None)
            stopping = self._collect(pending, timeout) or stopping
            if not pending or time.monotonic() < retry_at:
                continue
            batch = pending[:self.MAX_BATCH]
            if self._record(batch):
                del pending[:len(batch)]
                backoff.reset()
            else:
                retry_at = time.monotonic() + backoff.next()

    def _collect(self, pending, timeout):
        """Move queued outcomes to ``pending``, waiting up to ``timeout``
        seconds (None: for ever) for the first; True once told to stop."""
        stop = False
        try:
            item = self._queue.get(timeout=timeout)
            while True:
                if item is _STOP:
                    stop = True
                else:
                    pending.append(item)
                if len(pending) >= self.MAX_BATCH:
                    break
                item = self._queue.get_nowait()
        except queue.Empty:
            pass
        return stop

    def _record(self, batch):
        try:
            recorded = executions_db.finish_many(
                batch, worker=self._worker, incarnation=self._incarnation)
        except Exception as exc:
            self._faults.failed('recording outcomes', exc)
            return False
        self._faults.succeeded('recording outcomes')
        for item, done in zip(batch, recorded):
            if not done:
                LOG.warning('Outcome %s of execution %s came too late: the '
                            'record had already ended', item[1], item[0])
        return True
