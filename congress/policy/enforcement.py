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
