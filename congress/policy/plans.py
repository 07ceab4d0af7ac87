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

"""Join plans: rule bodies compiled to Python functions.

A plan orders a rule's body literals for a given set of already bound
variables and generates a nested-loop function that probes hash indexes
for bound columns and tests membership when every column is bound.  The
order is chosen greedily, whatever order the author wrote:

* builtins and negations come as soon as their inputs are bound;
* then a positive literal *connected* to what is bound (sharing a bound
  variable), so that a cross product only happens when the body itself
  has unconnected parts;
* among those, the one expected to match the fewest rows: a fully bound
  literal is a membership test; otherwise the table's size divided by the
  number of keys of an existing index on (a subset of) its bound columns,
  or a fixed selectivity per bound column when no such index exists yet.

Two kinds of plan exist:

* a *delta counter* for one body occurrence: given one row that has just
  appeared in (``sign`` +1) or disappeared from (``sign`` -1) that
  occurrence's table, it adds to ``out[head_row]`` the change in the number
  of derivations.  Occurrences of the same table later in the body see the
  table as it was before the change (``excl``/``incl``), so that
  self-joins count every derivation once;
* a *solver*: a generator of every body solution for some variables bound
  in advance, yielding the values of all variables and the rows matched by
  the positive literals.
"""

from congress.policy import builtin_functions
from congress.policy import compiler

EMPTY = frozenset()


def _view(rows, excl, incl):
    """The rows of a table as they were before a change.

    That is without ``excl`` (a row just added) or with ``incl`` (a row just
    removed).
    """
    view = [row for row in rows if row != excl]
    if incl is not None:
        view.append(incl)
    return view


class _Writer(object):
    """Accumulates the source of one generated function."""

    def __init__(self, rule, tables):
        self.rule = rule
        self.tables = tables
        self.lines = []
        self.depth = 1
        self.names = {'NO': builtin_functions.NO_RESULT, 'EMPTY': EMPTY,
                      '_view': _view}
        self.bound = set()

    def emit(self, line):
        self.lines.append('    ' * self.depth + line)

    def open(self, line):
        self.emit(line)
        self.depth += 1

    def constant(self, value):
        name = 'C%d' % len(self.names)
        self.names[name] = value
        return name

    def global_name(self, prefix, value):
        name = '%s%d' % (prefix, len(self.names))
        self.names[name] = value
        return name

    def term(self, arg):
        is_var, value = arg
        return 'v%d' % value if is_var else self.constant(value)

    def tuple_of(self, exprs):
        if len(exprs) == 1:
            return '(%s,)' % exprs[0]
        return '(%s)' % ', '.join(exprs)

    def key_of(self, exprs):
        return exprs[0] if len(exprs) == 1 else '(%s)' % ', '.join(exprs)

    def bind_from_row(self, row, lit, skip=()):
        """Match the row expression ``row`` against ``lit``.

        Tests its constants and repeated variables and binds its new variables.
        """
        for position, (is_var, value) in enumerate(lit.args):
            if position in skip:
                continue
            if not is_var:
                self.open('if %s[%d] == %s:' % (row, position,
                                                self.constant(value)))
            elif value in self.rule.anonymous:
                continue
            elif value in self.bound:
                self.open('if %s[%d] == v%d:' % (row, position, value))
            else:
                self.emit('v%d = %s[%d]' % (value, row, position))
                self.bound.add(value)

    def is_bound(self, arg):
        is_var, value = arg
        return not is_var or value in self.bound

    def positive(self, index, lit, override):
        table = self.tables(lit.table)
        row = 'r%d' % index
        bound_positions = [p for p, arg in enumerate(lit.args)
                           if self.is_bound(arg)]
        exprs = [self.term(lit.args[p]) for p in bound_positions]
        if len(bound_positions) == len(lit.args):
            rows = self.global_name('T', table.rows)
            self.emit('%s = %s' % (row, self.tuple_of(exprs)))
            if override:
                self.open('if (%s in %s and %s != excl) or %s == incl:' %
                          (row, rows, row, row))
            else:
                self.open('if %s in %s:' % (row, rows))
            return
        if bound_positions:
            columns = tuple(bound_positions)
            index_name = self.global_name('I', table.index(columns))
            source = '%s.get(%s, EMPTY)' % (index_name, self.key_of(exprs))
            incl_test = ' and '.join('incl[%d] == %s' % (p, e) for p, e in
                                     zip(bound_positions, exprs))
        else:
            source = self.global_name('T', table.rows)
            incl_test = 'True'
        if override:
            source = '_view(%s, excl, incl if incl is not None and %s ' \
                     'else None)' % (source, incl_test)
        self.open('for %s in %s:' % (row, source))
        self.bind_from_row(row, lit, skip=set(bound_positions))

    def negative(self, lit, override):
        table = self.tables(lit.table)
        named = [p for p, (is_var, value) in enumerate(lit.args)
                 if not is_var or value not in self.rule.anonymous]
        exprs = [self.term(lit.args[p]) for p in named]
        if len(named) == len(lit.args):
            key = self.tuple_of(exprs)
            rows = self.global_name('T', table.rows)
            if override:
                self.open('if (%s not in %s or %s == excl) and %s != incl:'
                          % (key, rows, key, key))
            else:
                self.open('if %s not in %s:' % (key, rows))
            return
        if named:
            index_name = self.global_name('I', table.index(tuple(named)))
            source = '%s.get(%s, EMPTY)' % (index_name, self.key_of(exprs))
            incl_test = ' and '.join('incl[%d] == %s' % (p, e)
                                     for p, e in zip(named, exprs))
        else:
            source = self.global_name('T', table.rows)
            incl_test = 'True'
        if override:
            self.open('if not _view(%s, excl, incl if incl is not None and '
                      '%s else None):' % (source, incl_test))
        else:
            self.open('if not %s:' % source)

    def builtin(self, index, lit):
        function = self.global_name('F', lit.builtin.safe_function())
        call = '%s(%s)' % (function, ', '.join(self.term(arg)
                                               for arg in lit.inputs))
        if not lit.builtin.has_output:
            self.open('if %s%s:' % ('not ' if lit.negated else '', call))
            return
        out = 'o%d' % index
        self.emit('%s = %s' % (out, call))
        self.open('if %s is not NO:' % out)
        outputs = lit.outputs
        for position, (is_var, value) in enumerate(outputs):
            # a function of several outputs returns a tuple
            result = out if len(outputs) == 1 else '%s[%d]' % (out, position)
            if not is_var:
                self.open('if %s == %s:' % (result, self.constant(value)))
            elif value in self.bound:
                self.open('if %s == v%d:' % (result, value))
            elif value not in self.rule.anonymous:
                self.emit('v%d = %s' % (value, result))
                self.bound.add(value)

    def body(self, order, seed_table, seed_index):
        for index in order:
            lit = self.rule.body[index]
            override = seed_table is not None and (
                lit.table == seed_table and index > seed_index)
            if lit.kind == compiler.POSITIVE:
                self.positive(index, lit, override)
            elif lit.kind == compiler.NEGATIVE:
                self.negative(lit, override)
            else:
                self.builtin(index, lit)

    def build(self, header):
        source = header + '\n' + '\n'.join(self.lines) + '\n'
        namespace = dict(self.names)
        exec(compile(source, '<plan of %s>' % self.rule.text, 'exec'),
             namespace)
        return namespace['plan']


def _order(rule, bound, done, tables):
    """Order the body literals not in ``done`` for variables ``bound``."""
    bound = set(bound)
    remaining = [i for i in range(len(rule.body)) if i not in done]
    order = []

    def all_bound(slots):
        return all(slot in bound for slot in slots)

    while remaining:
        chosen = None
        for i in remaining:
            lit = rule.body[i]
            if lit.kind == compiler.BUILTIN and all_bound(
                    [v for is_var, v in lit.inputs if is_var]):
                chosen = i
                break
            if lit.kind == compiler.NEGATIVE and all_bound(
                    [s for s in lit.slots() if s not in rule.anonymous]):
                chosen = i
                break
        if chosen is None:
            positives = [i for i in remaining
                         if rule.body[i].kind == compiler.POSITIVE]
            if not positives:
                raise ValueError('unsafe rule reached the planner: %s' %
                                 rule.text)
            connected = [i for i in positives
                         if any(slot in bound
                                for slot in rule.body[i].slots())]
            chosen = min(connected or positives, key=lambda i: estimate(
                rule.body[i], bound, tables))
        order.append(chosen)
        remaining.remove(chosen)
        bound.update(rule.body[chosen].slots())
    return order


SELECTIVITY = 0.05


def estimate(lit, bound, tables):
    """Rows a probe of positive literal ``lit`` is expected to match, its
    variables ``bound`` being known."""
    positions = tuple(p for p, (is_var, value) in enumerate(lit.args)
                      if not is_var or value in bound)
    if len(positions) == len(lit.args):
        return 0.0
    table = tables(lit.table)
    size = float(len(table))
    if not positions:
        return size
    exact = table.indexes.get(positions)
    if exact:
        return size / len(exact)
    guess = size * SELECTIVITY ** len(positions)
    for columns, index in table.indexes.items():
        if index and set(columns) <= set(positions):
            guess = min(guess, size / len(index))
    return guess


def _head_exprs(writer, rule):
    return writer.tuple_of([writer.term(arg) for arg in rule.head.args])


def delta_counter(rule, occurrence, tables):
    """Plan counting the derivations that one row change makes.

    The row changes in body literal ``occurrence``: appears (``sign`` 1) or
    disappears (``sign`` -1).
    """
    lit = rule.body[occurrence]
    writer = _Writer(rule, tables)
    sign = 'sign'
    if lit.kind == compiler.POSITIVE:
        writer.bind_from_row('t', lit)
    else:
        sign = '-sign'
        writer.bind_from_row('t', lit)
        named = [p for p, (is_var, value) in enumerate(lit.args)
                 if not is_var or value not in rule.anonymous]
        if len(named) < len(lit.args):
            # The negation only changes if no other row matches.
            if named:
                index = writer.global_name(
                    'I', tables(lit.table).index(tuple(named)))
                key = writer.key_of(['t[%d]' % p for p in named])
                writer.emit('b = %s.get(%s)' % (index, key))
            else:
                writer.emit('b = %s' % writer.global_name(
                    'T', tables(lit.table).rows))
            writer.open('if not b or (len(b) == 1 and t in b):')
    order = _order(rule, writer.bound, {occurrence}, tables)
    writer.body(order, lit.table, occurrence)
    writer.emit('h = %s' % _head_exprs(writer, rule))
    writer.emit('out[h] = out.get(h, 0) + %s' % sign)
    return writer.build('def plan(t, out, sign, incl, excl):')


def solver(rule, prebound, tables):
    """Generator plan of every solution of the rule's body.

    The variables ``prebound`` (a tuple of slots) are its arguments.
    """
    writer = _Writer(rule, tables)
    writer.bound.update(prebound)
    order = _order(rule, prebound, set(), tables)
    writer.body(order, None, None)
    values = ['v%d' % slot if slot in writer.bound else 'None'
              for slot in range(len(rule.variables))]
    rows = ['r%d' % i if lit.kind == compiler.POSITIVE else 'None'
            for i, lit in enumerate(rule.body)]
    writer.emit('yield %s, %s' % (writer.tuple_of(values) if values else '()',
                                  writer.tuple_of(rows) if rows else '()'))
    params = ', '.join('v%d' % slot for slot in prebound)
    return writer.build('def plan(%s):' % params)


def head_solver(rule, tables):
    """Generator plan of the head row of every solution of the rule's body
    (one per solution: a row derived twice is yielded twice)."""
    writer = _Writer(rule, tables)
    order = _order(rule, (), set(), tables)
    writer.body(order, None, None)
    writer.emit('yield %s' % _head_exprs(writer, rule))
    return writer.build('def plan():')
