"""Writes the outcomes of executions in batches, off the driver's thread.
"""

import queue
import threading

from oslo_log import log as logging

from congress.db import executions as executions_db

LOG = logging.getLogger(__name__)

_STOP = object()


class OutcomeReporter(object):
    """Collects ``(id, status, result, error)`` and records them, as many
    as have queued up in one transaction each time."""

    MAX_BATCH = 200

    def __init__(self, name):
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run,
                                        name='outcomes-%s' % name,
                                        daemon=True)

    def start(self):
        self._thread.start()

    def report(self, execution_id, outcome, result=None, error=None):
        self._queue.put((execution_id, outcome, result, error))

    def stop(self):
        """Record everything reported so far, then end."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self):
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = _STOP in batch
            batch = [item for item in batch if item is not _STOP]
            if batch:
                self._record(batch)
            if stop:
                return

    @staticmethod
    def _record(batch):
        try:
            recorded = executions_db.finish_many(batch)
        except Exception:
            LOG.exception('Recording %d outcomes failed; the reaper will '
                          'mark them failed', len(batch))
            return
        for item, done in zip(batch, recorded):
            if not done:
                LOG.warning('Outcome %s of execution %s came too late: the '
                            'record had already ended', item[1], item[0])
