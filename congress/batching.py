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

"""Work that several threads hand in at the same time, done a batch at a
time by one of them: the group commit of execution records, the grouped
casts of executions.

No thread of its own: the caller that finds no batch under way does one
(its own job and all that queued up meanwhile), then hands the next batch
to the first caller still waiting, so nobody works on behalf of others for
longer than one batch, and a caller alone pays no hand-off.
"""

import threading


class Job(object):
    """One caller's part of a batch; ``process`` (see ``Batches``) sets
    its ``result`` or its ``error``, which the caller then gets."""

    def __init__(self):
        self.result = None
        self.error = None
        self._done = False
        self._wakeup = threading.Event()


class Batches(object):
    """Runs ``process(jobs)`` on the jobs handed to ``run`` at the same
    time, one batch after the other.
    What ``process`` raises becomes the error of each job of its batch
    that has none: no job of a failed batch passes for done."""

    def __init__(self, process):
        self._process = process
        self._lock = threading.Lock()
        self._queue = []
        self._busy = False

    def waiting(self):
        """How many jobs wait for a batch to take them."""
        with self._lock:
            return len(self._queue)

    def if_idle(self, fn):
        """Call ``fn()`` unless a batch is under way; none starts before
        it returns."""
        with self._lock:
            if not self._busy:
                fn()

    def run(self, job):
        """Hand in ``job`` (a ``Job``); its result once its batch is done.

        :raises: the job's error.
        """
        with self._lock:
            self._queue.append(job)
            lead = not self._busy
            self._busy = True
        while not job._done:
            if not lead:
                job._wakeup.wait()
                job._wakeup.clear()
                lead = not job._done
                continue
            with self._lock:
                batch, self._queue = self._queue, []
            self._do(batch)
            with self._lock:
                if self._queue:
                    self._queue[0]._wakeup.set()
                else:
                    self._busy = False
        if job.error is not None:
            raise job.error
        return job.result

    def _do(self, batch):
        try:
            self._process(batch)
        except BaseException as exc:
            for each in batch:
                if each.error is None:
                    each.error = exc
        finally:
            for each in batch:
                each._done = True
                each._wakeup.set()
