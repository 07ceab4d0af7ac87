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

"""Incremental maintenance of every derived table.

Each derived table is kept materialised.  A non-recursive table stores,
for each row, its number of derivations (counting algorithm): a change of
one row in a table a rule reads runs that rule's delta plan, which adds
the change in derivations to the pending counts of the rule's head; rows
whose count rises from zero appear and rows whose count drops to zero
disappear, and those changes propagate in turn.  Tables are processed in
dependency order (strata), so negation always reads a finished table.

Tables of a recursive component, and tables derived by rules that use a
volatile builtin (``now``), are recomputed from scratch whenever a table
they read changes (the latter also on every ``refresh_volatile``, as time
passes), and the difference propagates as above.

Join orders are chosen by :mod:`congress.policy.plans` for the sizes of
the tables when a plan is made; plans are cached per rule and made again
once a table they read has grown or shrunk by more than ``REPLAN_FACTOR``.

Every single-row change is applied to storage first and then propagated
at once, so that the counts always equal the number of derivations in the
current contents plus the changes still pending.
"""

import collections
import heapq

from congress.policy import dependency_graph
from congress.policy import plans
from congress.policy import tables as tables_mod

COUNTING = 'counting'
REPLAN_FACTOR = 4
REPLAN_SLACK = 64
RECOMPUTED = 'recomputed'


class Evaluator(object):
    """Every table and rule, kept up to date change by change.

    It holds the tables of every policy and data source and the rules deriving
    them.  ``watched(key)`` tells which tables' row changes are reported: the
    mutating methods return ``{key: {row: +1 or -1}}``, the net change of
    every watched table.
    """

    def __init__(self, watched=lambda key: False):
        self.watched = watched
        self.tables = {}
        self.rules = {}
        self.readers = {}
        self.head_rules = {}
        self.facts = {}
        self.strata = dependency_graph.Strata([])
        self.modes = {}
        self._counters = {}
        self._solvers = {}
        self._pending = {}
        self._dirty = set()
        self._queue = []
        self._current_rank = None
        self._log = {}
        self._plan_sizes = {}

    # Storage

    def table(self, key):
        """The table of ``key``, created empty if needed."""
        table = self.tables.get(key)
        if table is None:
            table = self.tables[key] = tables_mod.Table(key)
        return table

    def rows(self, key):
        table = self.tables.get(key)
        return list(table.rows) if table is not None else []

    # Changes

    def update_base(self, key, added, removed):
        """Remove then add data rows of a table no rule derives."""
        table = self.table(key)
        observed = self._observed(key)
        for row in removed:
            if row in table.rows:
                table.discard(row)
                if observed:
                    self._transition(table, row, -1)
        for row in added:
            if row not in table.rows:
                table.add(row)
                if observed:
                    self._transition(table, row, 1)
        changes = self._run()
        self._replan_if_resized(key)
        return changes

    def add_rule(self, rule):
        """Add a compiled rule (already checked against the others)."""
        self.rules[rule] = None
        head = rule.head.table
        self.head_rules.setdefault(head, {})[rule] = None
        if not rule.body:
            self.facts.setdefault((head, fact_row(rule)), {})[rule] = None
            if head in self.modes:
                # a fact of a table that already has rules changes no
                # dependency: one more derivation of its row
                self._count_fact(rule, 1)
                return self._run()
        for occurrence, lit in enumerate(rule.body):
            if lit.table is not None:
                self.readers.setdefault(lit.table, []).append(
                    (rule, occurrence))
        self._restratify(head)
        return self._run()

    def remove_rule(self, rule):
        del self.rules[rule]
        head = rule.head.table
        head_rules = self.head_rules[head]
        del head_rules[rule]
        if not head_rules:
            del self.head_rules[head]
        if not rule.body:
            facts = self.facts[(head, fact_row(rule))]
            del facts[rule]
            if not facts:
                del self.facts[(head, fact_row(rule))]
            if head in self.head_rules:
                self._count_fact(rule, -1)
                return self._run()
        for occurrence, lit in enumerate(rule.body):
            if lit.table is not None:
                readers = self.readers[lit.table]
                readers.remove((rule, occurrence))
                if not readers:
                    del self.readers[lit.table]
        if rule.body:
            for cache in (self._counters, self._solvers):
                for plan_key in [k for k in cache if k[0] is rule]:
                    del cache[plan_key]
        self._restratify(head)
        return self._run()

    def _count_fact(self, rule, sign):
        head = rule.head.table
        rank = self.strata.rank[head]
        if self.modes[head] == RECOMPUTED:
            self._schedule(rank, dirty=True)
            return
        out = self._pending.get(head)
        if out is None:
            out = self._pending[head] = {}
            self._schedule(rank)
        row = fact_row(rule)
        out[row] = out.get(row, 0) + sign

    def fork(self):
        """A private copy to change freely (a simulation's).

        Every table's rows and indexes are copied (copying the indexes of a
        million rows took about half the time of building the ones a query
        needed again); the compiled rules are shared, the plans are not
        (they are bound to the tables they read).
        """
        copy = Evaluator(self.watched)
        for key, table in self.tables.items():
            copy.tables[key] = table.copy()
        copy.rules = dict(self.rules)
        copy.readers = {key: list(readers)
                        for key, readers in self.readers.items()}
        copy.head_rules = {key: dict(rules)
                           for key, rules in self.head_rules.items()}
        copy.facts = {key: dict(rules) for key, rules in self.facts.items()}
        copy.strata = self.strata
        copy.modes = dict(self.modes)
        return copy

    def _restratify(self, changed_head):
        old_modes = self.modes
        self.strata = dependency_graph.Strata(self.rules)
        self.modes = {}
        for key, rules in self.head_rules.items():
            recursive = self.strata.rank[key] in self.strata.recursive
            self.modes[key] = RECOMPUTED if recursive or any(
                rule.volatile for rule in rules) else COUNTING
        stale = {changed_head}
        stale.update(key for key in set(old_modes) | set(self.modes)
                     if old_modes.get(key) != self.modes.get(key))
        for key in stale:
            if key in self.strata.rank:
                self._schedule(self.strata.rank[key], dirty=True)
            else:
                self._recompute_orphan(key)

    def refresh_volatile(self):
        """Recompute the tables derived by rules that read a volatile
        builtin (``now``), as time has passed; returns the changes."""
        for key, rules in self.head_rules.items():
            if any(rule.volatile for rule in rules):
                self._schedule(self.strata.rank[key], dirty=True)
        return self._run()

    def _recompute_orphan(self, key):
        """Empty a table that lost its last rule and that nothing reads."""
        table = self.tables.get(key)
        for row in list(table.rows) if table is not None else ():
            table.discard(row)
            self._transition(table, row, -1)

    # Propagation

    def _schedule(self, rank, dirty=False):
        if dirty:
            self._dirty.add(rank)
        heapq.heappush(self._queue, rank)

    def _transition(self, table, row, sign):
        key = table.key
        if self.watched(key):
            changes = self._log.setdefault(key, {})
            changes[row] = changes.get(row, 0) + sign
        readers = self.readers.get(key)
        if not readers:
            return
        incl, excl = (None, row) if sign > 0 else (row, None)
        rank_of = self.strata.rank
        for rule, occurrence in readers:
            head = rule.head.table
            rank = rank_of[head]
            if rank in self._dirty:
                continue
            if self.modes[head] == RECOMPUTED:
                if rank != self._current_rank:
                    self._schedule(rank, dirty=True)
                continue
            out = self._pending.get(head)
            if out is None:
                out = self._pending[head] = {}
                self._schedule(rank)
            plan = self._counters.get((rule, occurrence))
            if plan is None:
                self._note_plan_sizes(rule)
                plan = self._counters[(rule, occurrence)] = (
                    plans.delta_counter(rule, occurrence, self.table))
            plan(row, out, sign, incl, excl)

    def _run(self):
        queue = self._queue
        last = None
        while queue:
            rank = heapq.heappop(queue)
            if rank == last:
                continue
            last = rank
            self._current_rank = rank
            members = self.strata.members[rank]
            if rank in self._dirty:
                for key in members:
                    self._pending.pop(key, None)
                self._recompute(members)
                self._dirty.discard(rank)
            else:
                for key in members:
                    pending = self._pending.pop(key, None)
                    if pending:
                        self._apply_counts(self.table(key), pending)
            for key in members:
                self._replan_if_resized(key)
        self._current_rank = None
        log, self._log = self._log, {}
        changes = {}
        for key, rows in log.items():
            net = {row: sign for row, sign in rows.items() if sign}
            if net:
                changes[key] = net
        return changes

    def _observed(self, key):
        """Whether a row change of table ``key`` matters beyond storage:
        the table is watched or some rule reads it."""
        return key in self.readers or self.watched(key)

    def _apply_counts(self, table, pending):
        rows = table.rows
        observed = self._observed(table.key)
        for row, delta in pending.items():
            if not delta:
                continue
            old = rows.get(row, 0)
            new = old + delta
            if old <= 0 < new:
                table.add(row, new)
                if observed:
                    self._transition(table, row, 1)
            elif new <= 0 < old:
                table.discard(row)
                if observed:
                    self._transition(table, row, -1)
            elif old > 0:
                rows[row] = new

    def _recompute(self, members):
        if len(members) == 1 and self.modes.get(members[0]) != RECOMPUTED:
            self._recount(members[0])
            return
        tables = [self.table(key) for key in members]
        old = [dict(table.rows) for table in tables]
        rules = [rule for key in members
                 for rule in self.head_rules.get(key, ())]
        for table in tables:
            _clear(table)
        changed = True
        while changed:
            changed = False
            for rule in rules:
                table = self.table(rule.head.table)
                for row in list(self._head_rows(rule)):
                    if row not in table.rows:
                        table.add(row)
                        changed = True
        new = [dict(table.rows) for table in tables]
        for table, before, after in zip(tables, old, new):
            _clear(table)
            for row in before:
                table.add(row)
        self._apply_difference(tables, old, new)

    def _recount(self, key):
        table = self.table(key)
        counts = collections.Counter()
        for rule in self.head_rules.get(key, ()):
            counts.update(self._head_rows(rule))
        old = dict(table.rows)
        if old:
            for row, count in counts.items():
                if row in old:
                    table.rows[row] = count
        self._apply_difference([table], [old], [counts])

    def _apply_difference(self, tables, old, new):
        for table, before, after in zip(tables, old, new):
            observed = self._observed(table.key)
            for row in before:
                if row not in after:
                    table.discard(row)
                    if observed:
                        self._transition(table, row, -1)
            fresh = {row: count for row, count in after.items()
                     if row not in before} if before else after
            if not observed:
                table.add_counted(fresh)
                continue
            for row, count in fresh.items():
                table.add(row, count)
                self._transition(table, row, 1)

    # Plans follow the sizes of the tables they read

    def _note_plan_sizes(self, rule):
        for lit in rule.body:
            if lit.table is not None:
                self._plan_sizes.setdefault(lit.table,
                                            len(self.table(lit.table)))

    def _replan_if_resized(self, key):
        """Forget the plans reading ``key`` once its size has changed by
        more than a factor REPLAN_FACTOR since they were made: their join
        order was chosen for other sizes."""
        planned = self._plan_sizes.get(key)
        table = self.tables.get(key)
        if planned is None or table is None:
            return
        size = len(table)
        if (size <= REPLAN_FACTOR * planned + REPLAN_SLACK and
                planned <= REPLAN_FACTOR * size + REPLAN_SLACK):
            return
        del self._plan_sizes[key]
        rules = {rule for rule, _occurrence in self.readers.get(key, ())}
        for cache in (self._counters, self._solvers):
            for plan_key in [k for k in cache if k[0] in rules]:
                del cache[plan_key]

    # Reading

    def _head_rows(self, rule):
        plan = self._solvers.get((rule, None))
        if plan is None:
            self._note_plan_sizes(rule)
            plan = self._solvers[(rule, None)] = plans.head_solver(
                rule, self.table)
        return plan()

    def solve(self, rule, prebound, *values):
        """Every solution of ``rule``'s body, some variables given.

        ``prebound`` lists variable slots and ``values`` their values.  Yields
        (values of all variables, rows matched by the positive literals).
        """
        plan = self._solvers.get((rule, prebound))
        if plan is None:
            self._note_plan_sizes(rule)
            plan = self._solvers[(rule, prebound)] = plans.solver(
                rule, prebound, self.table)
        return plan(*values)

    def solve_once(self, rule):
        """Every solution of an ad hoc rule (a query).

        The plan is not cached.
        """
        return plans.solver(rule, (), self.table)()

    def derivation(self, rule, row):
        """One solution of ``rule`` deriving head ``row``, or None."""
        bindings = {}
        for (is_var, value), actual in zip(rule.head.args, row):
            if not is_var:
                if value != actual:
                    return None
            elif bindings.setdefault(value, actual) != actual:
                return None
        prebound = tuple(sorted(bindings))
        solutions = self.solve(rule, prebound,
                               *[bindings[slot] for slot in prebound])
        return next(iter(solutions), None)


def fact_row(rule):
    """The row a fact (a rule without body) states."""
    return tuple([value for _is_var, value in rule.head.args])


def _clear(table):
    table.rows.clear()
    for index in table.indexes.values():
        index.clear()
