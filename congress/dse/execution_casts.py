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

"""The casts of accepted executions to the workers of their service: what
several threads send to one service at the same time goes as one
message."""

import functools
import threading

from congress import batching
from congress import context as congress_context


class _Sending(batching.Job):
    """One caller's execution messages."""

    def __init__(self, messages):
        super().__init__()
        self.messages = messages


class ExecutionCasts(object):
    """Casts execution messages (see ``DataSourceAPI.execute``) to the
    workers of their service, with ``ds_api`` (a ``DataSourceAPI``).

    A caller waits until the broker took its messages, or failed to, as
    with a cast of its own; the callers that send to the same service
    meanwhile share the next cast, an ``execute_batch`` of up to
    ``MAX_MESSAGES``: one publish and one publisher confirm where each
    execution paid for its own, and one delivery to the worker. The batch
    goes with the admin context, as the reaper's casts do: each record
    says who asked for its action.
    """

    #: The most executions in one message: a worker runs
    #: ``[datasources] execution_threads`` at once, and a larger batch
    #: would keep the others of the service idle.
    MAX_MESSAGES = 32

    def __init__(self, ds_api):
        self._ds_api = ds_api
        self._services = {}
        self._lock = threading.Lock()

    def send(self, service, messages):
        """Cast ``messages`` to the workers of ``service``.

        :raises: what a cast of ``messages`` raised (a message of a cast
            that failed may have reached the broker nonetheless).
        """
        with self._lock:
            batches = self._services.get(service)
            if batches is None:
                batches = self._services[service] = batching.Batches(
                    functools.partial(self._cast, service))
        batches.run(_Sending(messages))

    def _cast(self, service, jobs):
        context = congress_context.get_admin_context()
        sending = [(job, message) for job in jobs for message in job.messages]
        for start in range(0, len(sending), self.MAX_MESSAGES):
            part = sending[start:start + self.MAX_MESSAGES]
            try:
                self._ds_api.execute_batch(
                    context, service, [message for _job, message in part])
            except Exception as exc:
                for job, _message in part:
                    job.error = exc
