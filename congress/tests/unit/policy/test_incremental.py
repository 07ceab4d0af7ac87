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

"""Incremental maintenance against a naive from-scratch evaluator.

Hypothesis draws random sequences of data inserts/deletes and rule
inserts/deletes; after every step each derived table must equal what a
small independent evaluator (the rules written as Python set
comprehensions, evaluated stratum by stratum) computes from scratch, and
the actions fired must be exactly the rows that appeared.

The rules use builtins by their bare and their ``builtin:`` names, and
one reads ``now``: a step may advance the clock and tick the engine, and
the rows that come of age must appear (and fire) then, once. They also
include heads an action policy derives for another policy (``m:p+``),
read back by the action policy's rules and, through them, by ``m``.
"""

import datetime

import hypothesis
from hypothesis import strategies as st
import testtools

from congress.policy import engine as engine_mod
from congress.tests.unit.policy import fakes

DOMAIN = range(4)
BASE = {'e': 2, 'n': 1, 'v': 2}
EPOCH = datetime.datetime(2026, 12, 1)
#: key of the reference database holding the clock (seconds after EPOCH)
CLOCK = '__clock__'


def _p1(db):
    return {(x, y) for x, y in db['e'] if (y,) not in db['n']}


def _p2(db):
    return {(x, y) for y, x in db['e'] if (x, 1) in db['v']}


def _q1(db):
    return {(x,) for x, y in db['p'] if (y, x) in db['p']}


def _q2(db):
    return {(x,) for (x,) in db['n'] if (x, 2) in db['v']}


def _r(db):
    return {(x,) for (x,) in db['n'] if (x,) not in db['q']}


def _s(db):
    return {(x, k + 1) for x, k in db['v'] if (k + 1,) not in db['n']}


def _tc_base(db):
    return set(db['e'])


def _tc_step(db):
    return {(x, y) for x, z in db['tc'] for z2, y in db['e'] if z == z2}


def _u(db):
    return {(x,) for x, y in db['tc'] if x == y and (x,) not in db['r']}


def _w(db):
    targets = {y for _x, y in db['e']}
    return {(x,) for x, _y in db['e'] if x not in targets}


def _loop(db):
    return {(x,) for x, y in db['e'] if x == y}


def _fact(db):
    return {(3, 0)}


def _b(db):
    return {(x, k * 2) for x, k in db['v'] if k * 2 >= 2}


def _len(db):
    return {(x,) for x, y in db['e'] if len(str(x) + str(y)) == 2}


def _late(db):
    return {(x,) for x, k in db['v'] if k < db[CLOCK]}


def _fresh(db):
    return {(x,) for (x,) in db['n'] if (x,) not in db['late']}


def _p_plus(db):
    return {(x,) for (x,) in db['n'] if (x,) not in db['q']}


def _p_minus(db):
    return {(x, y) for x, y in db['p'] if (x, y) in db['v']}


def _gone(db):
    return {(x,) for x, _y in db['m:p-']}


def _h(db):
    return {(x,) for (x,) in db['gone'] if (x,) in db['n']}


# (rule text, head table, reference function); heads are listed in an
# order where every table comes after the tables it reads.
RULES = [
    ('p(x, y) :- src:e(x, y), not src:n(y)', 'p', _p1),
    ('p(x, y) :- src:e(y, x), src:v(x, 1)', 'p', _p2),
    ('p(3, 0)', 'p', _fact),
    ('b(x, z) :- src:v(x, k), mul(k, 2, z), builtin:gteq(z, 2)', 'b', _b),
    ('b(x, z) :- src:v(x, k), builtin:mul(k, 2, z), gteq(z, 2)', 'b', _b),
    ('ln(x) :- src:e(x, y), builtin:int(x, i), float(y, f), int(f, j), '
     'plus(i, j, _), concat("a", "b", s), len(s, 2)', 'ln',
     lambda db: {(x,) for x, _y in db['e']}),
    ('late(x) :- src:v(x, k), now(t), '
     'datetime_plus("%s", k, d), builtin:datetime_lt(d, t)' % EPOCH,
     'late', _late),
    ('fresh(x) :- src:n(x), not late(x)', 'fresh', _fresh),
    ('q(x) :- p(x, y), p(y, x)', 'q', _q1),
    ('q(x) :- src:n(x), src:v(x, 2)', 'q', _q2),
    ('r(x) :- src:n(x), not q(x)', 'r', _r),
    ('s(x, z) :- src:v(x, k), builtin:plus(k, 1, z), not src:n(z)', 's',
     _s),
    ('tc(x, y) :- src:e(x, y)', 'tc', _tc_base),
    ('tc(x, y) :- tc(x, z), src:e(z, y)', 'tc', _tc_step),
    ('u(x) :- tc(x, x), not r(x)', 'u', _u),
    ('w(x) :- src:e(x, _), not src:e(_, x)', 'w', _w),
    ('loop(x) :- src:e(x, x)', 'loop', _loop),
    # heads of an action policy in another policy, read back by its rules
    # and by a rule of that other policy
    ('m:p+(x) :- src:n(x), not m:q(x)', 'm:p+', _p_plus, 'act'),
    ('m:p-(x, y) :- m:p(x, y), src:v(x, y)', 'm:p-', _p_minus, 'act'),
    ('gone(x) :- m:p-(x, _)', 'gone', _gone, 'act'),
    ('h(x) :- act:gone(x), src:n(x)', 'h', _h),
]
DERIVED = ['p', 'q', 'r', 's', 'tc', 'u', 'w', 'loop', 'b', 'ln', 'late',
           'fresh', 'm:p+', 'm:p-', 'gone', 'h']
RECURSIVE = {'tc'}
EXECUTE_RULES = {'act': ('execute[svc:act(x)] :- r(x)', 'r'),
                 'expire': ('execute[svc:expire(x)] :- late(x)', 'late')}


def _policy(index):
    """The policy of rule ``index``: 'm', or the action policy 'act'."""
    rule = RULES[index]
    return rule[3] if len(rule) > 3 else 'm'


def _new_engine(**kwargs):
    engine = engine_mod.PolicyEngine(**kwargs)
    engine.create_policy('m', kind='materialized')
    engine.create_policy('act', kind='action')
    return engine


def _select(engine, head):
    policy = next(_policy(i) for i, rule in enumerate(RULES)
                  if rule[1] == head)
    return engine.select(policy, head)[0]


def reference(base, active, clock=0):
    """The derived tables of the ``active`` rule indexes, from scratch,
    ``clock`` seconds after EPOCH."""
    db = {name: set(rows) for name, rows in base.items()}
    db[CLOCK] = clock
    for head in DERIVED:
        rules = [RULES[i] for i in sorted(active) if RULES[i][1] == head]
        db[head] = set()
        changed = True
        while changed:
            new = set()
            for rule in rules:
                new |= rule[2](db)
            changed = not new <= db[head]
            db[head] |= new
            changed = changed and head in RECURSIVE
    return db


class _Recorder(object):
    def __init__(self):
        self.fired = []

    def fire(self, requests):
        self.fired.extend((r.action, r.positional_args) for r in requests)
        return len(requests), 0

    def reject(self, requests, reason):
        raise AssertionError('no limit is set: %s' % reason)

    def withdraw(self, rows):
        pass


def _fired(db):
    """The actions that the execute rules would fire for ``db``."""
    return {(action, row) for action, (_text, table) in
            EXECUTE_RULES.items() for row in db[table]}


_rows = {table: st.tuples(*[st.sampled_from(DOMAIN)] * arity)
         for table, arity in BASE.items()}
_data_step = st.sampled_from(sorted(BASE)).flatmap(
    lambda table: st.tuples(st.sampled_from(['insert', 'delete']),
                            st.just(table), _rows[table]))
_rule_step = st.tuples(st.sampled_from(['add rule', 'remove rule']),
                       st.just(None), st.integers(0, len(RULES) - 1))
_tick_step = st.tuples(st.just('tick'), st.just(None),
                       st.integers(0, 2))
_steps = st.lists(st.one_of(_data_step, _data_step, _rule_step,
                            _tick_step),
                  min_size=1, max_size=40)


class IncrementalMatchesNaiveTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = fakes.Clock(EPOCH).install(self)

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(_steps, st.sets(st.integers(0, len(RULES) - 1)))
    def test_random_changes(self, steps, initial_rules):
        self.clock.time = EPOCH
        recorder = _Recorder()
        engine = _new_engine(action_sink=recorder,
                             max_actions_per_change=None)
        for text, _table in EXECUTE_RULES.values():
            engine.insert_rule('m', text)
        ids = {}
        for i in sorted(initial_rules):
            ids[i] = engine.insert_rule(_policy(i), RULES[i][0])['id']
        base = {table: set() for table in BASE}
        clock = 0
        previous = _fired(reference(base, set(ids)))
        self.assertEqual(sorted(previous), sorted(recorder.fired))
        for kind, table, item in steps:
            del recorder.fired[:]
            if kind == 'tick':
                clock += item
                self.clock.advance(seconds=item)
                engine.tick()
            elif kind == 'insert':
                engine.receive_delta('src', table, [item], [])
                base[table].add(item)
            elif kind == 'delete':
                engine.receive_delta('src', table, [], [item])
                base[table].discard(item)
            elif kind == 'add rule' and item not in ids:
                ids[item] = engine.insert_rule(_policy(item),
                                               RULES[item][0])['id']
            elif kind == 'remove rule' and item in ids:
                engine.delete_rule(_policy(item), ids.pop(item))
            expected = reference(base, set(ids), clock)
            for head in DERIVED:
                rows = _select(engine, head)
                self.assertEqual(sorted(expected[head]), sorted(rows),
                                 'table %s after %s' % (head, kind))
            fired = _fired(expected)
            self.assertEqual(sorted(fired - previous),
                             sorted(recorder.fired))
            previous = fired

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(st.lists(_data_step, max_size=30))
    def test_snapshot_equals_deltas(self, steps):
        """initialize_table with the final rows gives the same tables as
        the sequence of deltas."""
        by_delta = _new_engine()
        by_snapshot = _new_engine()
        for engine in (by_delta, by_snapshot):
            for i, rule in enumerate(RULES):
                engine.insert_rule(_policy(i), rule[0])
        base = {table: set() for table in BASE}
        for kind, table, row in steps:
            if kind == 'insert':
                by_delta.receive_delta('src', table, [row], [])
                base[table].add(row)
            else:
                by_delta.receive_delta('src', table, [], [row])
                base[table].discard(row)
        for table, rows in base.items():
            by_snapshot.initialize_table('src', table, sorted(rows))
        expected = reference(base, set(range(len(RULES))))
        for head in DERIVED:
            self.assertEqual(sorted(expected[head]),
                             _select(by_delta, head))
            self.assertEqual(sorted(expected[head]),
                             _select(by_snapshot, head))
