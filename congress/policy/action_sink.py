"""Where the policy engine's rule-fired actions go: DseRuntime, through a
per-service rate limit."""

import hashlib
import json
import threading
import time

from oslo_log import log as logging

from congress import conf
from congress import context as congress_context
from congress import exception
from congress.i18n import _

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


def dedup_key(request, cause):
    """The same for every engine replica that derives ``request`` from the
    same ``cause`` (a data change or a rule insert)."""
    text = json.dumps([request.policy, request.rule_id, request.service,
                       request.action, list(request.positional_args),
                       cause], sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


class RuleActionSink(object):
    """Sends rule-fired actions to ``runtime`` and records refusals.

    Of replicated engines, only the one for which ``is_leader()`` is true
    acts; the others evaluate the same rules and stand by. ``cause()``
    returns what the engine is processing right now; it makes the
    de-duplication key of each action, which keeps a brief overlap of two
    leaders from running an action twice.
    """

    def __init__(self, runtime, cause, is_leader=lambda: True):
        self.runtime = runtime
        self.cause = cause
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
        if not self.is_leader():
            LOG.debug('Not the leading engine: %d actions left to the '
                      'leader', len(requests))
            return
        cause = self.cause()
        for request in requests:
            key = dedup_key(request, cause)
            context = self._context(request)
            if not self._within_rate(request.service):
                self.runtime.reject(
                    request.service, request.action,
                    request.positional_args, context, request.why,
                    _('over the rate limit of %s actions per second on '
                      'service %s') % (
                          CONF.policy_engine.rate_limit_per_service,
                          request.service), dedup_key=key)
                continue
            try:
                self.runtime.execute_on_service(
                    request.service, request.action,
                    list(request.positional_args), {}, context=context,
                    why=request.why, dedup_key=key)
            except exception.CongressException as exc:
                LOG.warning('Policy %(p)s could not fire %(s)s:%(a)s: %(e)s',
                            {'p': request.policy, 's': request.service,
                             'a': request.action, 'e': exc})

    def reject(self, requests, reason):
        if not self.is_leader():
            return
        cause = self.cause()
        for request in requests:
            self.runtime.reject(request.service, request.action,
                                request.positional_args,
                                self._context(request), request.why, reason,
                                dedup_key=dedup_key(request, cause))
