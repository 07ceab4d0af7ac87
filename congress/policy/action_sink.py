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
from congress.execution import calls
from congress.execution import status
from congress.i18n import _
from congress.policy import dseruntime
from congress.policy import exemptions
from congress.policy import modes

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


def _call_of(request):
    """The checked ``ActionCall`` of a rule-fired ``ActionRequest``: the
    rule's ``service:action`` with the row's values as positional
    arguments."""
    return calls.ActionCall(request.service, request.action,
                            request.positional_args)


def _log_not_fired(policy, service, action, exc):
    LOG.warning('Policy %(p)s could not fire %(s)s:%(a)s: %(e)s',
                {'p': policy, 's': service, 'a': action, 'e': exc})


class RuleActionSink(object):
    """Sends rule-fired actions to ``runtime`` and records refusals.

    Of replicated engines, only the one for which ``is_leader()`` is true
    acts; the others evaluate the same rules and stand by. Each action
    carries the key of its ``execute[...]`` row, which the fired set holds
    once: an overlap of two leaders acts on a row once.

    ``origin_of(policy, rule_id)`` tells the enforcement mode of a policy
    and who is behind a rule (``PolicyEngine.action_origin``); without it,
    every action is enforced, with no user named.
    """

    def __init__(self, runtime, is_leader=lambda: True, origin_of=None):
        self.runtime = runtime
        self.is_leader = is_leader
        self.origin_of = origin_of or (lambda policy, rule_id: None)
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

    def _context(self, request):
        """The context of ``request`` and the status it is held with
        (see ``modes.held_status``; None: it runs)."""
        origin = self.origin_of(request.policy, request.rule_id) or {}
        return congress_context.RequestContext(
            is_admin=True, overwrite=False, policy=request.policy,
            rule_id=request.rule_id, user_id=origin.get('user_id'),
            project_id=origin.get('project_id'),
            policy_owner=origin.get('owner_id')), modes.held_status(
                origin.get('enforcement', modes.ENFORCE))

    def _fired(self, request, refusal=None):
        """The ``Fired`` of one request; None (logged) when its row makes
        no valid call."""
        try:
            call = _call_of(request)
        except exception.CongressException as exc:
            _log_not_fired(request.policy, request.service, request.action,
                           exc)
            return None
        context, held = self._context(request)
        return dseruntime.Fired(
            call, context=context, why=request.why,
            row_key=request_key(request), refusal=refusal, held=held)

    def _decide(self, request):
        """The ``Fired`` of one request, its refusal set if it may not go.

        Every request of a batch is decided here, in order, before the
        batch is written: a check that may refuse a request goes here.
        """
        fired = self._fired(request)
        # held actions do not run: they take nothing of the rate
        if (fired is not None and fired.held is None and
                not self._within_rate(request.service)):
            fired.refusal = _(
                'over the rate limit of %s actions per second on service '
                '%s') % (CONF.policy_engine.rate_limit_per_service,
                         request.service)
        return fired

    def fire(self, requests):
        """Send ``requests``; returns ``(sent, rejected)``: how many were
        recorded and cast (or held by the policy's mode), and how many
        refused over the rate limit; those an active exemption matches are
        recorded ``exempted`` and counted in neither.

        The batch is written as one transaction, then cast.
        """
        if not self.is_leader():
            LOG.debug('Not the leading engine: %d actions left to the '
                      'leader', len(requests))
            return 0, 0
        kept, exempted = exemptions.split(requests)
        decided = ([self._decide(request) for request in kept] +
                   [self._exempted(request, exemption)
                    for request, exemption in exempted])
        batch = [fired for fired in decided if fired is not None]
        records = self.runtime.execute_many(batch)
        sent = rejected = 0
        for fired, record in zip(batch, records):
            if fired.error is not None:
                _log_not_fired(fired.context.policy, fired.service,
                               fired.action, fired.error)
            elif record is None or fired.held == status.EXEMPTED:
                continue  # an engine acted on the row already; exempted
            elif fired.refusal is not None:
                rejected += 1
            else:
                sent += 1
        return sent, rejected

    def _exempted(self, request, exemption):
        """The ``Fired`` of a request an active exemption matches: recorded
        ``exempted``, not run."""
        fired = self._fired(request)
        if fired is not None:
            fired.held = status.EXEMPTED
            fired.note = exemptions.reason(exemption)
        return fired

    def reject(self, requests, reason):
        """Record ``requests`` refused for ``reason``; returns how many
        were recorded."""
        if not self.is_leader():
            return 0
        batch = [self._fired(request, refusal=reason) for request in requests]
        records = self.runtime.execute_many(
            [fired for fired in batch if fired is not None])
        return sum(1 for record in records if record is not None)

    def withdraw(self, rows):
        """``(policy, service, action, row)`` rows left their tables: if
        they appear again, they fire again."""
        if self.is_leader():
            fired_actions_db.forget(row_key(*row) for row in rows)
