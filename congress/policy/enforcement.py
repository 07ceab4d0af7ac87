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

"""Reactive enforcement: turning new rows of ``execute[...]`` tables into
action requests, with a limit on how many one rule may fire per change."""

import dataclasses
import typing

from congress.i18n import _
from congress.policy import compiler
from congress.policy import explanation


@dataclasses.dataclass(frozen=True)
class ActionRequest:
    """An action a policy rule asks for.

    Run ``service:action`` with ``positional_args``; ``why`` tells which rule
    instance and rows derived it (see :func:`congress.policy.explanation.why`).
    """

    service: str
    action: str
    positional_args: tuple
    policy: str
    rule_id: str
    why: dict


class ActionSink(typing.Protocol):
    """Where the engine sends the actions its rules dictate."""

    def fire(self, requests: typing.List[ActionRequest]) -> tuple:
        """Run each request (once); returns ``(sent, rejected)``: how many
        were sent, and how many the sink itself refused."""

    def reject(self, requests: typing.List[ActionRequest],
               reason: str) -> int:
        """Record that these requests were refused, and why; returns how
        many were recorded."""

    def withdraw(self, rows: typing.List[tuple]) -> None:
        """``(policy, service, action, row)`` rows left their execute
        tables."""


@dataclasses.dataclass
class Batch:
    """The requests one compiled ``rule`` made in one change.

    ``reason`` is set when the batch is rejected.
    """

    policy: str
    rule_id: str
    requests: list
    reason: str = None
    rule: object = dataclasses.field(default=None, repr=False)
    # the table the first argument of the rule's action comes from, and
    # its number of rows (see ``note_sources``)
    table: tuple = None
    table_rows: int = None


@dataclasses.dataclass
class Withdrawal:
    """Rows ``(policy, service, action, row)`` gone from execute tables in
    one change."""

    rows: list


def withdrawn_rows(changes):
    """A ``Withdrawal`` of the execute rows that ``changes`` removed, or
    None."""
    rows = []
    for key in sorted(changes):
        action = compiler.split_action_table(key[1])
        if action is not None:
            rows += [(key[0], action[0], action[1], row)
                     for row, net in changes[key].items() if net < 0]
    return Withdrawal(rows) if rows else None


def new_requests(evaluator, changes, rule_ids):
    """Requests for the rows that appeared in execute tables, not yet
    explained (``why`` None: see :func:`explain`).

    ``changes`` is the evaluator's ``{key: {row: net change}}``;
    ``rule_ids`` maps a compiled rule to its id.  Returns batches, one per
    rule, in the order the rules were inserted.  A row of a table that one
    rule defines is that rule's without solving it again; a row of a table
    several rules define belongs to the first that derives it.
    """
    batches = {}
    for key in sorted(changes):
        action = compiler.split_action_table(key[1])
        if action is None:
            continue
        rules = tuple(evaluator.head_rules.get(key, ()))
        for row in sorted((row for row, net in changes[key].items()
                           if net > 0), key=repr):
            rule = rules[0] if len(rules) == 1 else next(
                (rule for rule in rules
                 if evaluator.derivation(rule, row) is not None), None)
            if rule is None:
                continue
            batch = batches.get(rule)
            if batch is None:
                batch = batches[rule] = Batch(key[0], rule_ids.get(rule),
                                              [], rule=rule)
            batch.requests.append(ActionRequest(
                action[0], action[1], row, key[0], batch.rule_id, None))
    order = list(evaluator.rules)
    return [batches[rule] for rule in sorted(batches, key=order.index)]


def explain(evaluator, batches):
    """Give each request of ``batches`` its ``why``.

    A request that will run gets its derivation; one of a rejected batch
    gets only the rule that asked for it: the derivations of a batch that
    never runs are not worth their cost (a rule matching 600,000 rows
    spent half a minute and 400 MiB on them).  A request whose row no rule
    derives any more is dropped.
    """
    for batch in batches:
        if batch.reason is not None:
            why = {'rule': batch.rule.text, 'rule_instance': None,
                   'rows': []}
            batch.requests = [dataclasses.replace(request, why=why)
                              for request in batch.requests]
            continue
        explained = []
        for request in batch.requests:
            solution = evaluator.derivation(batch.rule,
                                            request.positional_args)
            if solution is not None:
                explained.append(dataclasses.replace(
                    request, why=explanation.why(
                        batch.rule, request.positional_args, solution)))
        batch.requests = explained
    return [batch for batch in batches if batch.requests]


def limit_batches(batches, max_actions):
    """Mark the batches of more than ``max_actions`` requests rejected.

    ``max_actions`` None means no limit.
    """
    if max_actions is None:
        return batches
    for batch in batches:
        if len(batch.requests) > max_actions:
            batch.reason = _(
                'rule %(rule)s of policy %(policy)s would fire %(n)d actions '
                'in one change, more than max_actions_per_change '
                '(%(max)d): none of them was run') % {
                    'rule': batch.rule_id, 'policy': batch.policy,
                    'n': len(batch.requests), 'max': max_actions}
    return batches


#: How deep ``source_table`` follows policy tables down to their rules.
MAX_SOURCE_DEPTH = 8


def source_table(evaluator, rule, position=0, depth=MAX_SOURCE_DEPTH):
    """The key of the table the ``position``-th head argument of ``rule``
    comes from: the first positive body literal binding its variable,
    followed through the first rule of a derived table down to the data
    source table (or the last table found); None for a constant."""
    if position >= len(rule.head.args):
        return None
    is_var, slot = rule.head.args[position]
    if not is_var:
        return None
    for lit in rule.body:
        if lit.kind != compiler.POSITIVE or lit.negated:
            continue
        for index, (arg_is_var, value) in enumerate(lit.args):
            if not (arg_is_var and value == slot):
                continue
            defining = evaluator.head_rules.get(lit.table)
            if lit.service or not defining or depth <= 0:
                return lit.table
            return source_table(evaluator, next(iter(defining)), index,
                                depth - 1) or lit.table
    return None


def note_sources(batches, evaluator, rules_by_id):
    """Set ``table`` and ``table_rows`` of each batch of requests;
    ``rules_by_id`` maps rule ids to compiled rules."""
    for batch in batches:
        rule = rules_by_id.get(getattr(batch, 'rule_id', None))
        if rule is None:
            continue
        key = source_table(evaluator, rule)
        table = evaluator.tables.get(key) if key is not None else None
        if table is not None:
            batch.table, batch.table_rows = key, len(table.rows)
    return batches


def share_allowed(table_rows, percent, min_actions):
    """How many actions ``percent`` of ``table_rows`` allow (at least
    ``min_actions``)."""
    return max(min_actions, int(table_rows * percent / 100.0))


def limit_share(batch, percent, min_actions, recent=None):
    """Mark ``batch`` rejected when it acts on more than ``percent`` of
    the rows of its table (``note_sources``), beyond ``min_actions``: in
    this change, or with ``recent`` (when given), the actions its rule
    fired over the last hour. Returns the reason, or None."""
    if not percent or batch.table_rows is None or batch.reason:
        return batch.reason
    allowed = share_allowed(batch.table_rows, percent, min_actions)
    count = len(batch.requests)
    values = {'rule': batch.rule_id, 'policy': batch.policy, 'n': count,
              'rows': batch.table_rows, 'table': '%s:%s' % batch.table,
              'share': percent, 'allowed': allowed, 'recent': recent}
    if count > allowed:
        batch.reason = _(
            'rule %(rule)s of policy %(policy)s would fire %(n)d actions in '
            'one change over %(table)s, which has %(rows)d rows: more than '
            'its share limit of %(share)s%% (%(allowed)d actions): none of '
            'them was run') % values
    elif recent is not None and recent + count > allowed:
        batch.reason = _(
            'rule %(rule)s of policy %(policy)s would fire %(n)d actions '
            'over %(table)s after %(recent)d in the last hour; the table '
            'has %(rows)d rows: more than its share limit of %(share)s%% '
            '(%(allowed)d actions) per hour: none of them was run') % values
    return batch.reason
