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

"""A task that runs every few seconds on its own thread."""

import threading

from oslo_log import log as logging

from congress.dse import faults

LOG = logging.getLogger(__name__)


class PeriodicTask(object):
    """Calls ``fn()`` every ``interval()`` seconds until stopped; an error
    is logged (with its traceback when it differs from the last one) and
    the next run goes ahead."""

    def __init__(self, name, fn, interval):
        self._fn = fn
        self._interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name,
                                        daemon=True)

    def start(self):
        self._thread.start()

    def _run(self):
        failing = None
        name = self._thread.name
        while not self._stopped.wait(self._interval()):
            try:
                self._fn()
            except Exception as exc:
                error = faults.describe(exc)
                if error != failing:
                    LOG.exception('Periodic task %s failed', name)
                else:
                    LOG.debug('Periodic task %s failed again: %s', name,
                              error)
                failing = error
                continue
            if failing is not None:
                LOG.info('Periodic task %s works again', name)
                failing = None

    def stop(self):
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()
