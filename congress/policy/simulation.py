"""Queries, and simulation: answering a query as if a sequence of updates
and actions had happened, then undoing them all.

A sequence lists atoms.  ``p+(1)`` inserts and ``p-(1)`` deletes a row
(of a data source table such as ``nova:servers+(...)`` or of a policy
table, as a fact).  Any other atom is an action, which the action policy
must declare with a fact ``action("name")``; its effects are the rows of
the action policy's ``table+`` and ``table-`` tables while the action's
atom is asserted there, e.g.::

    action("reboot")
    nova:servers-(id, name, "ACTIVE") :- reboot(id), nova:servers(id, name)
"""

from congress import exception
from congress.i18n import _
from congress.policy import compiler
from congress.policy import explanation
from congress.policy import parser
from congress.policy import syntax_tree

UPDATE_SUFFIXES = compiler.UPDATE_SUFFIXES
ACTION_TABLE = 'action'


def _compile_query(engine, policy, text):
    return compiler.compile_query(parser.parse_query(text), policy,
                                  engine.resolver(),
                                  kind=engine.get_policy(policy)['kind'])


def _instance(rule, solution):
    values, rows = solution
    return ', '.join(explanation.literal_instance(lit, values, row,
                                                  rule.policy)
                     for lit, row in zip(rule.body, rows))


def run_query(engine, policy, text, trace=False):
    """(sorted instances of the query as text, trace text or None)."""
    rule = _compile_query(engine, policy, text)
    solutions = {}
    for solution in engine.evaluator.solve_once(rule):
        solutions.setdefault(_instance(rule, solution), solution)
    results = sorted(solutions)
    if not trace:
        return results, None
    lines = ['query %s: %d answers' % (rule.text, len(results))]
    for instance in results:
        lines.append(instance)
        _values, rows = solutions[instance]
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


class _Simulation(object):
    def __init__(self, engine, policy, action_policy):
        self.engine = engine
        self.policy = policy
        self.action_policy = action_policy
        self.undo = []
        self.lines = []

    def step(self, atom):
        if atom.table.endswith(UPDATE_SUFFIXES):
            target = syntax_tree.Atom(atom.qualifier, atom.table[:-1],
                                      atom.arguments)
            self.update(self.policy, target, atom.table.endswith('+'),
                        self.undo)
        elif self.is_action(atom):
            self.action(atom)
        else:
            raise exception.PolicyException(
                _('%(atom)s is neither an update (table+ or table-) nor an '
                  'action declared by action("%(name)s") in policy '
                  '%(policy)s') % {'atom': atom,
                                   'name': atom.qualified_table,
                                   'policy': self.action_policy})

    def is_action(self, atom):
        if self.action_policy is None:
            return False
        declared = self.engine.evaluator.rows((self.action_policy,
                                               ACTION_TABLE))
        return (atom.qualified_table,) in declared

    def action(self, atom):
        asserted = []
        self.update(self.action_policy, atom, True, asserted)
        evaluator = self.engine.evaluator
        effects = [(key[1], evaluator.rows(key))
                   for key in list(evaluator.head_rules)
                   if key[0] == self.action_policy and
                   key[1].endswith(UPDATE_SUFFIXES)]
        for undo in reversed(asserted):
            undo()
        self.lines.append('action %s' % atom)
        # Deletions first, so that an action may replace a row.
        effects.sort(key=lambda effect: effect[0].endswith('+'))
        for name, rows in effects:
            qualifier, _sep, table = name[:-1].rpartition(':')
            for row in rows:
                target = syntax_tree.Atom(
                    qualifier or None, table,
                    tuple(syntax_tree.Argument(syntax_tree.Constant(value))
                          for value in row))
                self.update(self.policy, target, name.endswith('+'),
                            self.undo)

    def update(self, policy, atom, insert, undo):
        """Insert or delete the row ``atom``.

        ``atom`` is read as a rule of ``policy`` would; what undoes the
        change is pushed onto ``undo``.
        """
        for arg in atom.arguments:
            if (arg.column_name is not None or
                    not isinstance(arg.term, syntax_tree.Constant)):
                raise exception.PolicyException(
                    _('%s: simulated updates take constants by position') %
                    atom)
        row = tuple(arg.term.value for arg in atom.arguments)
        namespace = atom.qualifier or policy
        self.lines.append('%s %s' % ('insert' if insert else 'delete',
                                     explanation.format_atom(
                                         atom.qualified_table, row)))
        if self.engine.is_policy(namespace):
            self.update_policy_table(namespace, atom, row, insert, undo)
        else:
            self.update_data(namespace, atom.table, row, insert, undo)

    def update_data(self, service, table, row, insert, undo):
        key = (service, table)
        row = next(iter(self.engine.check_rows(key, [row])))
        evaluator = self.engine.evaluator
        if insert == (row in evaluator.table(key).rows):
            return
        if insert:
            evaluator.update_base(key, [row], [])
            undo.append(lambda: evaluator.update_base(key, [], [row]))
        else:
            evaluator.update_base(key, [], [row])
            undo.append(lambda: evaluator.update_base(key, [row], []))

    def update_policy_table(self, policy, atom, row, insert, undo):
        engine = self.engine
        if insert:
            fact = engine.compile_fact(policy, syntax_tree.Atom(
                None, atom.table, atom.arguments))
            engine.add_compiled(fact)
            undo.append(lambda: engine.remove_compiled(fact))
            return
        for fact in engine.facts((policy, atom.table), row):
            engine.remove_compiled(fact)
            undo.append(lambda fact=fact: engine.add_compiled(fact))


def simulate(engine, policy, query, sequence, action_policy, delta, trace):
    """See :meth:`congress.policy.engine.PolicyEngine.simulate`."""
    rule = _compile_query(engine, policy, query)
    if delta and (len(rule.body) != 1 or
                  rule.body[0].kind != compiler.POSITIVE):
        raise exception.PolicyException(
            _('A delta simulation needs a query of one positive literal, '
              'not %s') % query)
    steps = parser.parse_sequence(sequence or '')
    simulation = _Simulation(engine, policy, action_policy)
    before = set(engine.evaluator.solve_once(rule)) if delta else None
    try:
        for atom in steps:
            simulation.step(atom)
        results, query_trace = run_query(engine, policy, query, trace)
        if delta:
            after = set(engine.evaluator.solve_once(rule))
            results = sorted(
                {_delta_instance(rule, solution, '+')
                 for solution in after - before}) + sorted(
                {_delta_instance(rule, solution, '-')
                 for solution in before - after})
    finally:
        for undo in reversed(simulation.undo):
            undo()
    text = None
    if trace:
        text = '\n'.join(simulation.lines + [query_trace])
    return {'result': results, 'trace': text}


def _delta_instance(rule, solution, suffix):
    lit = rule.body[0]
    _values, rows = solution
    return explanation.format_atom(
        compiler.display_table(lit.table, rule.policy) + suffix, rows[0])
