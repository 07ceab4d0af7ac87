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

"""The parent of a congress-server that runs several processes: it forks
them, forks again one that dies, and stops them all on SIGTERM/SIGINT.

It holds no thread, no bus connection and no database connection of its
own, so that each process forked (at the start or later) makes its own.
"""

import collections
import os
import signal
import time

from oslo_log import log as logging

from congress import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)

#: One process to run: ``run()`` serves until SIGTERM and returns the exit
#: code.
Process = collections.namedtuple('Process', ['name', 'run'])


class Supervisor(object):
    """Runs each ``Process`` in a forked child until told to stop.

    A child that exits on its own is forked again, at most once every
    ``RESPAWN_INTERVAL`` seconds. On SIGTERM or SIGINT every child gets
    SIGTERM and ``[DEFAULT] shutdown_timeout`` seconds (plus
    ``KILL_GRACE``) to finish its requests; one still running then is
    killed. Each child stops by itself too when its parent is gone.
    """

    RESPAWN_INTERVAL = 1.0
    KILL_GRACE = 5.0
    POLL_INTERVAL = 0.2

    def __init__(self, processes):
        self.processes = list(processes)
        self._children = {}  # pid -> (Process, started at)
        self._dead = []  # (Process, started at) to fork again
        self._stopping = False

    @property
    def pids(self):
        return sorted(self._children)

    def run(self):
        """Fork the children and watch them until a signal; returns 0."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        for process in self.processes:
            self._fork(process)
        while not self._stopping:
            self._reap()
            self._respawn()
            time.sleep(self.POLL_INTERVAL)
        self._stop_children()
        return 0

    def _on_signal(self, signum, frame):
        LOG.info('Signal %d received: stopping %d processes', signum,
                 len(self._children))
        self._stopping = True

    def _fork(self, process):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for signum in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(signum, signal.SIG_DFL)
                code = process.run()
            except BaseException:
                LOG.exception('Process %s failed', process.name)
            finally:
                os._exit(code or 0)
        LOG.info('Started %(name)s process %(pid)d',
                 {'name': process.name, 'pid': pid})
        self._children[pid] = (process, time.monotonic())

    def _reap(self):
        """Forget the children that exited; returns how many did."""
        count = 0
        while self._children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            count += 1
            entry = self._children.pop(pid, None)
            if entry is not None and not self._stopping:
                LOG.error('The %(name)s process %(pid)d exited (status '
                          '%(status)d); starting another',
                          {'name': entry[0].name, 'pid': pid,
                           'status': status})
                self._dead.append(entry)
        return count

    def _respawn(self):
        now = time.monotonic()
        waiting = []
        for process, started in self._dead:
            if now - started >= self.RESPAWN_INTERVAL:
                self._fork(process)
            else:
                waiting.append((process, started))
        self._dead = waiting

    def _stop_children(self):
        for pid in self.pids:
            _signal(pid, signal.SIGTERM)
        deadline = (time.monotonic() + CONF.shutdown_timeout +
                    self.KILL_GRACE)
        while self._children and time.monotonic() < deadline:
            if not self._reap():
                time.sleep(0.05)
        for pid in self.pids:
            LOG.error('Process %d did not stop in time: killed', pid)
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            del self._children[pid]


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
