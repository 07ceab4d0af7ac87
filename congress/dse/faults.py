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

"""Riding out faults of the database, the broker or a driver: what is
failing right now (for status and logs), and how long to wait before the
next try."""

import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def describe(exc):
    """One line saying what went wrong."""
    text = str(exc).strip().splitlines()
    return '%s: %s' % (exc.__class__.__name__, text[0]) if text else \
        exc.__class__.__name__


class Faults(object):
    """The faults ``owner`` lives through right now, by what failed.

    Each is logged when it starts (or changes) and when it ends, not at
    every retry.
    """

    def __init__(self, owner):
        self._owner = owner
        self._current = {}
        self._lock = threading.Lock()

    def failed(self, what, exc):
        """``what`` (e.g. "recording outcomes") failed with ``exc``."""
        text = '%s failed: %s' % (what, describe(exc))
        with self._lock:
            changed = self._current.get(what) != text
            self._current[what] = text
        if changed:
            LOG.warning('%s: %s; retrying', self._owner, text)

    def succeeded(self, what):
        """``what`` worked: its fault, if any, is over."""
        with self._lock:
            ended = self._current.pop(what, None)
        if ended is not None:
            LOG.info('%s: %s works again', self._owner, what)

    def summary(self):
        """The current faults in one line, or None."""
        with self._lock:
            return '; '.join(sorted(self._current.values())) or None


class Backoff(object):
    """Delays that double from ``initial`` up to ``maximum`` seconds."""

    def __init__(self, initial=0.1, maximum=5.0):
        self._initial = initial
        self._maximum = maximum
        self._next = initial

    def next(self):
        delay = self._next
        self._next = min(self._maximum, delay * 2)
        return delay

    def reset(self):
        self._next = self._initial
