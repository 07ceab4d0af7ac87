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

"""Why a row is in a table: one derivation, in Datalog text and as data."""

from congress.policy import builtin_functions
from congress.policy import compiler
from congress.policy import syntax_tree


def format_atom(table, values):
    """``table(v1, v2)``, or ``execute[svc:action(v1)]`` for an action."""
    args = ', '.join(syntax_tree.format_value(value) for value in values)
    action = compiler.split_action_table(table)
    if action is not None:
        return 'execute[%s:%s(%s)]' % (action[0], action[1], args)
    return '%s(%s)' % (table, args)


def literal_instance(lit, values, row, policy):
    """Text of body literal ``lit`` with variable ``values``.

    A positive literal shows the whole ``row`` it matched.
    """
    if lit.kind == compiler.POSITIVE:
        return format_atom(compiler.display_table(lit.table, policy), row)
    parts = []
    for is_var, value in lit.args:
        if is_var:
            value = values[value]
            parts.append(syntax_tree.ANONYMOUS if value is None else
                         syntax_tree.format_value(value))
        else:
            parts.append(syntax_tree.format_value(value))
    if lit.kind == compiler.BUILTIN:
        name = '%s:%s' % (builtin_functions.QUALIFIER,
                          lit.builtin.name)
    else:
        name = compiler.display_table(lit.table, policy)
    text = '%s(%s)' % (name, ', '.join(parts))
    return 'not ' + text if lit.negated or lit.kind == compiler.NEGATIVE \
        else text


def why(rule, head_row, solution):
    """The ``why`` record of ``head_row`` derived by ``rule``.

    ``solution`` is (variable values, matched rows); the record is::

        {"rule": rule text, "rule_instance": "head :- body" with values,
         "rows": [{"table": "nova:servers", "row": [...]}, ...]}
    """
    values, rows = solution
    head = format_atom(rule.head.table[1], head_row)
    body = [literal_instance(lit, values, row, rule.policy)
            for lit, row in zip(rule.body, rows)]
    instance = '%s :- %s' % (head, ', '.join(body)) if body else head
    return {
        'rule': rule.text,
        'rule_instance': instance,
        'rows': [{'table': '%s:%s' % lit.table, 'row': list(row)}
                 for lit, row in zip(rule.body, rows)
                 if lit.kind == compiler.POSITIVE],
    }


def explain(evaluator, key, row):
    """The first rule deriving ``row`` of table ``key``, and why.

    Returns (rule, why record), or None when no rule derives the row.
    """
    for rule in evaluator.head_rules.get(key, ()):
        solution = evaluator.derivation(rule, row)
        if solution is not None:
            return rule, why(rule, row, solution)
    return None


def trace_rows(evaluator, key, rows, policy):
    """Text explaining each of ``rows`` of table ``key``.

    Each row comes with the instance of the rule deriving it, or "(data)".
    """
    name = compiler.display_table(key, policy)
    lines = []
    for row in rows:
        found = explain(evaluator, key, row)
        if found is None:
            lines.append('%s  (data)' % format_atom(name, row))
        else:
            rule, record = found
            lines.append('%s  <=  %s' % (format_atom(name, row),
                                         record['rule_instance']))
    return '\n'.join(lines)
