"""A task that runs every few seconds on its own thread."""

import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class PeriodicTask(object):
    """Calls ``fn()`` every ``interval()`` seconds until stopped; an error
    is logged and the next run goes ahead."""

    def __init__(self, name, fn, interval):
        self._fn = fn
        self._interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name,
                                        daemon=True)

    def start(self):
        self._thread.start()

    def _run(self):
        while not self._stopped.wait(self._interval()):
            try:
                self._fn()
            except Exception:
                LOG.exception('Periodic task %s failed', self._thread.name)

    def stop(self):
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()
