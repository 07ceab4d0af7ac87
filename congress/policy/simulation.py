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

"""Queries, and simulation: answering a query as if a sequence of updates,
rule updates and actions had happened.

A sequence lists elements separated by blanks or commas:

* ``p+(1)`` inserts and ``p-(1)`` deletes a row, of a data source table
  (``nova:servers+(...)``) or of a policy table (as a fact);
* ``p+(x) :- q(x)`` inserts and ``p-(x) :- q(x)`` deletes the rule
  ``p(x) :- q(x)`` of the simulated policy (or of the policy that
  qualifies the head);
* any other atom, ``act(1)``, invokes an action, which the action policy
  must declare with a fact ``action("act")``.  Its effects are the rows
  of the action policy's ``table+`` and ``table-`` tables while the
  action's atom is asserted there; deletions are applied before
  insertions, so that an insertion wins over a deletion of the same row::

      action("reboot")
      nova:servers-(id, name, "ACTIVE") :- reboot(id), nova:servers(id, name)

* ``act(x, 0) :- r(x)`` invokes an action with arguments taken from the
  first answer of its body (``q(1), r(1) :- true`` invokes two at once).
  The body may read ``result``: the rows the action policy's ``result``
  table held during the previous action, so that the results of one
  action feed the next.

As in the reference engine, an unqualified table in the action policy's
rules (or in an action's body) is read from the simulated policy unless
the action policy defines it itself (its rule heads, its declared
actions, ``action`` and ``result``).

Design: bounded, linear, never blocking the engine.

* The engine parses the sequence and refuses one longer than
  ``[policy_engine] simulate_max_steps`` (413) before taking its lock.
* Under its lock the engine only forks: a private evaluator holding a copy
  of every table's rows (dict copies, tens of milliseconds for a million
  rows) and the same compiled rules.  The lock is then released: the
  steps, the query, and the plans and indexes they need run on the fork
  while the engine's other callers (reads, rule checks, deltas, firing)
  go on.  The fork never fires and is dropped afterwards, so nothing has
  to be undone.
* Each element is one incremental change (a row, a fact, a rule), so the
  cost grows linearly with the sequence (times the changes each causes);
  a fact of a policy table is a derivation count, not a re-stratification.
  A deadline (``[policy_engine] simulate_timeout``) is checked between
  elements and while answering the query (413 beyond).
* A query runs under the engine lock for at most ``QUERY_SLICE`` seconds;
  one that needs longer is started again on a fork, outside the lock.
"""

import time

from congress import exception
from congress.i18n import _
from congress.policy import compiler
from congress.policy import errors
from congress.policy import explanation
from congress.policy import parser
from congress.policy import syntax_tree

UPDATE_SUFFIXES = compiler.UPDATE_SUFFIXES
ACTION_TABLE = 'action'
RESULT_TABLE = 'result'
TRUE = 'true'
QUERY_SLICE = 0.05
_CHECK_EVERY = 256


class SliceOver(Exception):
    """A query under the engine lock used up its slice."""


class _Clock(object):
    """A deadline checked now and then."""

    def __init__(self, seconds, error):
        self.end = None if seconds is None else time.monotonic() + seconds
        self.error = error
        self.ticks = 0

    def check(self, every=1):
        self.ticks += 1
        if (self.end is not None and self.ticks % every == 0 and
                time.monotonic() > self.end):
            raise self.error()


_NO_CLOCK = _Clock(None, None)


def _compile_query(engine, policy, text, unqualified=None):
    literals = parser.parse_query(text) if isinstance(text, str) else text
    return compiler.compile_query(literals, policy, engine.resolver(),
                                  kind=engine.get_policy(policy)['kind'],
                                  unqualified=unqualified)


def _instance(rule, solution):
    values, rows = solution
    return ', '.join(explanation.literal_instance(lit, values, row,
                                                  rule.policy)
                     for lit, row in zip(rule.body, rows))


def _solutions(engine, rule, clock):
    for solution in engine.evaluator.solve_once(rule):
        clock.check(_CHECK_EVERY)
        yield solution


def run_query(engine, policy, text, trace=False, clock=_NO_CLOCK):
    """(sorted instances of the query as text, trace text or None)."""
    rule, solutions = query_solutions(engine, policy, text, clock)
    return render_query(engine, rule, solutions, trace)


def query_solutions(engine, policy, text, clock=_NO_CLOCK):
    """(the compiled query, its distinct solutions): what needs the
    engine's tables, without the text (``render_query``)."""
    rule = _compile_query(engine, policy, text)
    solutions = {}
    for values, rows in _solutions(engine, rule, clock):
        solutions.setdefault((tuple(rows), tuple(values)), (values, rows))
    return rule, list(solutions.values())


def render_query(engine, rule, solutions, trace=False):
    """``run_query``'s answer from ``query_solutions``; without ``trace``
    it reads nothing of ``engine`` (it may run outside its lock)."""
    by_instance = {}
    for solution in solutions:
        by_instance.setdefault(_instance(rule, solution), solution)
    results = sorted(by_instance)
    if not trace:
        return results, None
    lines = ['query %s: %d answers' % (rule.text, len(results))]
    for instance in results:
        lines.append(instance)
        _values, rows = by_instance[instance]
        for lit, row in zip(rule.body, rows):
            if lit.kind != compiler.POSITIVE:
                continue
            found = explanation.explain(engine.evaluator, lit.table, row)
            if found is not None:
                lines.append('    %s  <=  %s' % (
                    explanation.literal_instance(lit, None, row,
                                                 rule.policy),
                    found[1]['rule_instance']))
    return results, '\n'.join(lines)


def query_clock():
    """The clock of a query's slice under the engine lock."""
    return _Clock(QUERY_SLICE, SliceOver)


def parse_sequence(sequence, max_steps):
    """The parsed sequence; 413 when longer than ``max_steps``."""
    elements = parser.parse_sequence(sequence or '')
    if max_steps is not None and len(elements) > max_steps:
        raise errors.SimulationTooLarge(
            _('The simulation sequence has %(n)d elements, more than '
              '[policy_engine] simulate_max_steps (%(max)d)') %
            {'n': len(elements), 'max': max_steps})
    return elements


class _Simulation(object):
    """The elements of a sequence applied one by one to a fork."""

    def __init__(self, fork, policy, action_policy, clock):
        self.fork = fork
        self.policy = policy
        self.action_policy = action_policy
        self.clock = clock
        self.lines = []
        self.results = []
        self.added_rules = []
        self.actions = set()
        self.own_tables = set()
        self.update_tables = []
        if action_policy is not None:
            self._read_through_action_policy()

    # The action policy's view

    def _read_through_action_policy(self):
        """Recompile the action policy's rules so that the unqualified
        tables it does not define are read from the simulated policy."""
        fork, name = self.fork, self.action_policy
        self.actions = {row[0] for row in fork.evaluator.rows(
            (name, ACTION_TABLE)) if len(row) == 1}
        record = fork._policy(name)
        compiled = [rule.compiled for rule in record.rules.values()
                    if rule.compiled is not None]
        self.own_tables = ({rule.head.table[1] for rule in compiled} |
                           self.actions | {ACTION_TABLE, RESULT_TABLE})
        if name != self.policy:
            for rule in compiled:
                if not rule.body:
                    continue
                again = fork.compile(record, rule.source,
                                     unqualified=self.namespace_of)
                if [lit.table for lit in again.body] != [
                        lit.table for lit in rule.body]:
                    fork.remove_compiled(rule)
                    fork.add_compiled(again)
        self.update_tables = sorted(
            key for key in fork.evaluator.head_rules
            if key[0] == name and key[1].endswith(UPDATE_SUFFIXES))

    def namespace_of(self, table):
        if table in self.own_tables:
            return self.action_policy
        return self.policy

    # Elements

    def step(self, heads, body):
        self.clock.check()
        if body is None:
            atom = heads[0]
            if atom.table.endswith(UPDATE_SUFFIXES):
                self.update(self.policy, _strip(atom), atom.table[-1] == '+')
            else:
                self.invoke([self.declared(atom)])
        elif all(head.table.endswith(UPDATE_SUFFIXES) for head in heads):
            for head in heads:
                self.rule_update(head, body)
        else:
            grounds = self.instantiate(
                [self.declared(head) for head in heads], body)
            if grounds:
                self.invoke(grounds)

    def declared(self, atom):
        if atom.qualifier in (None, self.action_policy) and (
                atom.table in self.actions):
            return atom
        raise exception.PolicyException(
            _('%(atom)s is neither an update (table+ or table-) nor an '
              'action declared by action("%(name)s") in policy '
              '%(policy)s') % {'atom': atom, 'name': atom.qualified_table,
                               'policy': self.action_policy})

    def rule_update(self, head, body):
        target = head.qualifier or self.policy
        if not self.fork.is_policy(target):
            raise exception.PolicyException(
                _('%(h)s: rules can only be added to or removed from a '
                  'policy, not %(t)s') % {'h': head, 't': target})
        rule = syntax_tree.Rule(
            syntax_tree.Atom(None, head.table[:-1], head.arguments), body)
        record = self.fork._policy(target)
        if head.table.endswith('+'):
            self.lines.append('insert rule %s' % rule)
            compiled = self.fork.compile(record, rule)
            self.fork.check_strata(list(self.fork.evaluator.rules) +
                                   [compiled])
            self.fork.add_compiled(compiled)
            self.added_rules.append(compiled)
            return
        self.lines.append('delete rule %s' % rule)
        text = str(rule)
        candidates = [r.compiled for r in record.rules.values()
                      if r.compiled is not None] + self.added_rules
        for compiled in candidates:
            if (compiled.policy == record.name and compiled.text == text and
                    compiled in self.fork.evaluator.rules):
                self.fork.remove_compiled(compiled)
                return

    def instantiate(self, heads, body):
        """The heads grounded by the first answer of ``body``."""
        body = tuple(lit for lit in body
                     if not (lit.table == TRUE and lit.qualifier is None and
                             not lit.arguments))
        values = {}
        if body:
            facts = [self.assert_fact(self.action_policy, RESULT_TABLE, row)
                     for row in self.results]
            try:
                rule = _compile_query(self.fork, self.action_policy, body,
                                      unqualified=self.namespace_of)
                first = next(iter(_solutions(self.fork, rule, self.clock)),
                             None)
            finally:
                for fact in facts:
                    self.fork.remove_compiled(fact)
            if first is None:
                self.lines.append('no answer to %s' % ', '.join(
                    str(lit) for lit in body))
                return []
            first = first[0]
            values = {name: first[slot]
                      for slot, name in enumerate(rule.variables)
                      if name != syntax_tree.ANONYMOUS}
        grounds = []
        for head in heads:
            args = []
            for arg in head.arguments:
                term = arg.term
                if isinstance(term, syntax_tree.Variable):
                    if term.name not in values:
                        raise exception.UnsafeRule(
                            _('Unsafe action invocation %(a)s: variable '
                              '%(v)s does not appear in its body') %
                            {'a': head, 'v': term.name})
                    term = syntax_tree.Constant(values[term.name])
                args.append(syntax_tree.Argument(term))
            grounds.append(syntax_tree.Atom(None, head.table, tuple(args)))
        return grounds

    def invoke(self, atoms):
        """Assert the action atoms, apply the updates they cause."""
        fork = self.fork
        asserted = []
        for atom in atoms:
            self.lines.append('action %s' % atom)
            asserted.append(self.assert_fact(self.action_policy, atom.table,
                                             _row(atom)))
        effects = [(key[1], fork.evaluator.rows(key))
                   for key in self.update_tables]
        self.results = fork.evaluator.rows((self.action_policy,
                                            RESULT_TABLE))
        for fact in asserted:
            fork.remove_compiled(fact)
        # Deletions first, so that an insertion wins over a deletion.
        effects.sort(key=lambda effect: effect[0].endswith('+'))
        for name, rows in effects:
            qualifier, _sep, table = name[:-1].rpartition(':')
            for row in rows:
                self.update(self.policy, syntax_tree.Atom(
                    qualifier or None, table, _arguments(row)),
                    name.endswith('+'))

    def assert_fact(self, policy, table, row):
        fact = self.fork.compile_fact(policy, syntax_tree.Atom(
            None, table, _arguments(row)))
        self.fork.add_compiled(fact)
        return fact

    def update(self, policy, atom, insert):
        """Insert or delete the row ``atom``, read as a rule of ``policy``
        would."""
        for arg in atom.arguments:
            if (arg.column_name is not None or
                    not isinstance(arg.term, syntax_tree.Constant)):
                raise exception.PolicyException(
                    _('%s: simulated updates take constants by position') %
                    atom)
        row = _row(atom)
        namespace = atom.qualifier or policy
        self.lines.append('%s %s' % ('insert' if insert else 'delete',
                                     explanation.format_atom(
                                         atom.qualified_table, row)))
        fork = self.fork
        if fork.is_policy(namespace):
            key = (namespace, atom.table)
            present = fork.facts(key, row)
            if insert and not present:
                self.assert_fact(namespace, atom.table, row)
            elif not insert:
                for fact in present:
                    fork.remove_compiled(fact)
            return
        key = (namespace, atom.table)
        row = next(iter(fork.check_rows(key, [row])))
        if insert != (row in fork.evaluator.table(key).rows):
            fork.evaluator.update_base(key, [row] if insert else [],
                                       [] if insert else [row])


def _strip(atom):
    """``p+(1)`` as ``p(1)``."""
    return syntax_tree.Atom(atom.qualifier, atom.table[:-1], atom.arguments)


def _row(atom):
    return tuple(arg.term.value for arg in atom.arguments)


def _arguments(row):
    return tuple(syntax_tree.Argument(syntax_tree.Constant(value))
                 for value in row)


def simulate(fork, policy, query, elements, action_policy, delta, trace,
             timeout=None):
    """Answer ``query`` on ``fork`` (an engine's private copy) after the
    parsed sequence ``elements``; see
    :meth:`congress.policy.engine.PolicyEngine.simulate`."""
    clock = _Clock(timeout, lambda: errors.SimulationTooLarge(
        _('The simulation took longer than [policy_engine] '
          'simulate_timeout (%s s)') % timeout))
    rule = _compile_query(fork, policy, query)
    if delta and (len(rule.body) != 1 or
                  rule.body[0].kind != compiler.POSITIVE):
        raise exception.PolicyException(
            _('A delta simulation needs a query of one positive literal, '
              'not %s') % query)
    before = (set(_solutions(fork, rule, clock)) if delta else None)
    simulation = _Simulation(fork, policy, action_policy, clock)
    for heads, body in elements:
        simulation.step(heads, body)
    results, query_trace = run_query(fork, policy, query, trace, clock)
    if delta:
        after = set(_solutions(fork, rule, clock))
        results = sorted(
            {_delta_instance(rule, solution, '+')
             for solution in after - before}) + sorted(
            {_delta_instance(rule, solution, '-')
             for solution in before - after})
    text = None
    if trace:
        text = '\n'.join(simulation.lines + [query_trace])
    return {'result': results, 'trace': text}


def _delta_instance(rule, solution, suffix):
    lit = rule.body[0]
    _values, rows = solution
    return explanation.format_atom(
        compiler.display_table(lit.table, rule.policy) + suffix, rows[0])
