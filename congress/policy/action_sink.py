"""Where the policy engine's rule-fired actions go: DseRuntime, through a
per-service rate limit."""

import hashlib
import json
import threading
import time

from oslo_log import log as logging

from congress import conf
from congress import context as congress_context
from congress.db import fired_actions as fired_actions_db
from congress import exception
from congress.execution import status
from congress.i18n import _
from congress.policy import exemptions

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class TokenBucket(object):
    """``rate`` tokens a second, holding at most ``burst``."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.burst,
                          self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def row_key(policy, service, action, row):
    """The key of one row of an ``execute[service:action]`` table of
    ``policy``: the same on every engine replica."""
    text = json.dumps([policy, service, action, list(row)],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def request_key(request):
    return row_key(request.policy, request.service, request.action,
                   request.positional_args)


class RuleActionSink(object):
    """Sends rule-fired actions to ``runtime`` and records refusals.

    Of replicated engines, only the one for which ``is_leader()`` is true
    acts; the others evaluate the same rules and stand by. Each action
    carries the key of its ``execute[...]`` row, which the fired set holds
    once: an overlap of two leaders acts on a row once.
    """

    def __init__(self, runtime, is_leader=lambda: True):
        self.runtime = runtime
        self.is_leader = is_leader
        self._buckets = {}
        self._lock = threading.Lock()

    def _within_rate(self, service):
        rate = CONF.policy_engine.rate_limit_per_service
        if not rate:
            return True
        with self._lock:
            bucket = self._buckets.get(service)
            if bucket is None or bucket.rate != rate:
                # a second's worth of actions may go at once
                bucket = self._buckets[service] = TokenBucket(
                    rate, max(1.0, rate))
            return bucket.take()

    @staticmethod
    def _context(request):
        return congress_context.RequestContext(
            is_admin=True, overwrite=False, policy=request.policy,
            rule_id=request.rule_id)

    def fire(self, requests):
        """Send ``requests``; returns ``(sent, rejected)``: how many were
        recorded and cast, and how many refused over the rate limit."""
        if not self.is_leader():
            LOG.debug('Not the leading engine: %d actions left to the '
                      'leader', len(requests))
            return 0, 0
        requests = self.exempt(requests)
        sent = rejected = 0
        for request in requests:
            key = request_key(request)
            context = self._context(request)
            if not self._within_rate(request.service):
                if self.runtime.reject(
                        request.service, request.action,
                        request.positional_args, context, request.why,
                        _('over the rate limit of %s actions per second on '
                          'service %s') % (
                              CONF.policy_engine.rate_limit_per_service,
                              request.service), row_key=key):
                    rejected += 1
                continue
            try:
                if self.runtime.execute_on_service(
                        request.service, request.action,
                        list(request.positional_args), {}, context=context,
                        why=request.why, row_key=key):
                    sent += 1
            except exception.CongressException as exc:
                LOG.warning('Policy %(p)s could not fire %(s)s:%(a)s: %(e)s',
                            {'p': request.policy, 's': request.service,
                             'a': request.action, 'e': exc})
        return sent, rejected

    def exempt(self, requests):
        """Record ``exempted`` the requests an active exemption matches;
        returns the others."""
        kept, exempted = exemptions.split(requests)
        for request, exemption in exempted:
            self.runtime.reject(
                request.service, request.action, request.positional_args,
                self._context(request), request.why,
                exemptions.reason(exemption), row_key=request_key(request),
                outcome=status.EXEMPTED)
        return kept

    def reject(self, requests, reason):
        """Record ``requests`` refused for ``reason``; returns how many
        were recorded."""
        if not self.is_leader():
            return 0
        return sum(1 for request in requests if self.runtime.reject(
            request.service, request.action, request.positional_args,
            self._context(request), request.why, reason,
            row_key=request_key(request)))

    def withdraw(self, rows):
        """``(policy, service, action, row)`` rows left their tables: if
        they appear again, they fire again."""
        if self.is_leader():
            fired_actions_db.forget(row_key(*row) for row in rows)
