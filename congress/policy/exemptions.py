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

"""Exemptions: which rule-fired actions are not run, and the table through
which policies read them.

An exemption of policy ``policy`` (and of its rule ``rule_id`` when set)
matches an action that rule fires when ``action`` (None: any) equals or, as
an ``fnmatch`` glob, matches ``service:action``, and every entry
``"<position>": pattern`` of ``args`` matches the positional argument at
that position: a string pattern is an ``fnmatch`` glob over the argument as
text (a string without ``*``, ``?`` or ``[`` is an exact value), any other
JSON value must equal the argument. An exemption stops matching at its
``expires_at``: the time is compared each time actions are matched.

Policies read the active exemptions as the table ``congress:exemptions``
(see ``COLUMNS``); the engine reloads it whenever the exemptions change and
at each time tick, so an expired exemption leaves it within
``[policy_engine] time_tick_interval``.
"""

import fnmatch

from oslo_serialization import jsonutils
from oslo_utils import timeutils

from congress.db import exemptions as exemptions_db
from congress.i18n import _

#: The namespace of the table: no data source or policy may take it.
SERVICE = 'congress'
TABLE = 'exemptions'
#: Columns of ``congress:exemptions``: ``arg0`` is the pattern of the
#: first positional argument (None when the exemption has none), ``args``
#: every argument pattern as JSON text, ``expires_at`` ISO 8601 (UTC).
COLUMNS = ('id', 'policy', 'rule_id', 'action', 'arg0', 'args', 'reason',
           'expires_at')


def _value_matches(pattern, value):
    if isinstance(pattern, str):
        return (isinstance(value, (str, int, float)) and
                not isinstance(value, bool) and
                fnmatch.fnmatchcase(str(value), pattern))
    return pattern == value and type(pattern) is type(value)


def matches(exemption, request):
    """Whether ``exemption`` (a stored exemption, active) matches
    ``request`` (an ``ActionRequest``)."""
    if exemption['policy'] != request.policy:
        return False
    if exemption['rule_id'] and exemption['rule_id'] != request.rule_id:
        return False
    if exemption['action'] and not fnmatch.fnmatchcase(
            '%s:%s' % (request.service, request.action),
            exemption['action']):
        return False
    args = request.positional_args
    for position, pattern in exemption['args'].items():
        index = int(position)
        if index >= len(args) or not _value_matches(pattern, args[index]):
            return False
    return True


def split(requests, now=None):
    """``(kept, exempted)``: the requests no active exemption matches, and
    ``(request, exemption)`` for the others (the oldest exemption that
    matches)."""
    if not requests:
        return [], []
    found = exemptions_db.active({r.policy for r in requests}, now=now)
    if not found:
        return list(requests), []
    kept, exempted = [], []
    for request in requests:
        exemption = next((e for e in found if matches(e, request)), None)
        if exemption is None:
            kept.append(request)
        else:
            exempted.append((request, exemption))
    return kept, exempted


def reason(exemption):
    """The error text of a record exempted by ``exemption``."""
    return _('Exempted by exemption %(id)s until %(until)s: %(reason)s; '
             'not run.') % {'id': exemption['id'],
                            'until': _isotime(exemption['expires_at']),
                            'reason': exemption['reason']}


def _isotime(value):
    return value.replace(tzinfo=None).isoformat() + 'Z'


def schema():
    """The schema of the ``congress`` namespace, as the engine takes
    schemas."""
    return {TABLE: list(COLUMNS)}


def rows(now=None):
    """The rows of ``congress:exemptions``: one per active exemption."""
    return [(e['id'], e['policy'], e['rule_id'], e['action'],
             e['args'].get('0'),
             jsonutils.dumps(e['args'], sort_keys=True), e['reason'],
             _isotime(e['expires_at']))
            for e in exemptions_db.active(now=now or timeutils.utcnow())]
