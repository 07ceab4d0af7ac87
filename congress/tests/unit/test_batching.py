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

"""Batches: jobs handed in while a batch is under way share the next one;
each caller gets its own result or error."""

import concurrent.futures
import threading

from congress import batching
from congress.tests import base


class _Job(batching.Job):
    def __init__(self, value):
        super().__init__()
        self.value = value


class BatchesTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.batches_seen = []
        self.first_started = threading.Event()
        self.release_first = threading.Event()
        self.addCleanup(self.release_first.set)
        self.fail_on = set()

    def process(self, jobs):
        self.batches_seen.append([job.value for job in jobs])
        if len(self.batches_seen) == 1:
            self.first_started.set()
            self.release_first.wait(10)
        for job in jobs:
            if job.value in self.fail_on:
                job.error = ValueError(job.value)
            else:
                job.result = job.value * 10
        if 'all' in self.fail_on and jobs[0].value != 0:
            raise RuntimeError('the batch failed')

    def run_while_the_first_is_held(self, batches, values):
        """Run job 0 alone, and ``values`` while its batch is held; the
        results (or errors) of ``values``."""
        with concurrent.futures.ThreadPoolExecutor(len(values) + 1) as pool:
            first = pool.submit(batches.run, _Job(0))
            self.assertTrue(self.first_started.wait(10))
            futures = [pool.submit(batches.run, _Job(value))
                       for value in values]
            base.wait_for(lambda: batches.waiting() == len(values),
                          message='the jobs queued')
            self.release_first.set()
            self.assertEqual(0, first.result(10))
            return base.outcomes(futures)

    def test_jobs_that_wait_share_the_next_batch(self):
        batches = batching.Batches(self.process)
        results = self.run_while_the_first_is_held(batches, [1, 2, 3, 4])
        self.assertEqual([10, 20, 30, 40], results)
        self.assertEqual([[0], [1, 2, 3, 4]], self.batches_seen)
        self.assertEqual(0, batches.waiting())

    def test_each_caller_gets_its_own_error(self):
        self.fail_on = {2}
        batches = batching.Batches(self.process)
        outcomes = self.run_while_the_first_is_held(batches, [1, 2, 3])
        self.assertEqual(10, outcomes[0])
        self.assertIsInstance(outcomes[1], ValueError)
        self.assertEqual(30, outcomes[2])

    def test_what_the_batch_raises_is_the_error_of_the_others(self):
        batches = batching.Batches(self.process)
        self.fail_on = {2, 'all'}
        outcomes = self.run_while_the_first_is_held(batches, [1, 2])
        self.assertEqual(['the batch failed', '2'],
                         [str(outcome) for outcome in outcomes])
        # the next batch is not held back by the failed one
        self.fail_on = set()
        self.assertEqual(50, batches.run(_Job(5)))

    def test_if_idle_waits_for_no_batch_and_runs_none_during_one(self):
        batches = batching.Batches(self.process)
        ran = []
        batches.if_idle(lambda: ran.append('idle'))
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            first = pool.submit(batches.run, _Job(0))
            self.assertTrue(self.first_started.wait(10))
            batches.if_idle(lambda: ran.append('busy'))
            self.release_first.set()
            first.result(10)
        batches.if_idle(lambda: ran.append('idle again'))
        self.assertEqual(['idle', 'idle again'], ran)

    def test_many_callers_each_get_their_result(self):
        self.release_first.set()
        batches = batching.Batches(self.process)
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda v: batches.run(_Job(v)),
                                    range(1, 301)))
        self.assertEqual([v * 10 for v in range(1, 301)], results)
        self.assertEqual(sorted(range(1, 301)),
                         sorted(v for seen in self.batches_seen
                                for v in seen))
