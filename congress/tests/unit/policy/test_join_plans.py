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

"""Join orders: never a cross product when a connected order exists."""

import testtools

from congress.policy import compiler
from congress.policy import parser
from congress.policy import plans
from congress.tests.unit.policy import fakes

# The first two atoms share no variable; the atom linking them comes last.
ADVERSARIAL = ('exposed(p) :- src:networks(n, o), src:tenants(t, l), '
               'src:ports(p, s, n), src:servers(s, t, "ACTIVE"), '
               'builtin:lt(l, 3), not trusted(o)')


class JoinOrderTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, _sink = fakes.new_engine()
        self.engine.create_policy('p')
        self.engine.initialize_table('src', 'networks', [
            ('net-%d' % i, 'tenant-%d' % (i % 7)) for i in range(20)])
        self.engine.initialize_table('src', 'tenants', [
            ('tenant-%d' % i, i % 5) for i in range(10)])
        self.engine.initialize_table('src', 'servers', [
            ('srv-%d' % i, 'tenant-%d' % (i % 10), 'ACTIVE')
            for i in range(200)])
        self.engine.initialize_table('src', 'ports', [
            ('port-%d' % i, 'srv-%d' % (i % 200), 'net-%d' % (i % 20))
            for i in range(2000)])
        self.engine.insert_rule('p', 'trusted("tenant-1")')
        self.rule = self.engine.compile(self.engine._policy('p'),
                                        parser.parse_rule(ADVERSARIAL))
        self.tables = self.engine.evaluator.table

    def assert_connected(self, order, bound):
        bound = set(bound)
        for index in order:
            lit = self.rule.body[index]
            if lit.kind == compiler.POSITIVE and bound:
                self.assertTrue(
                    set(lit.slots()) & bound,
                    'literal %d joins nothing bound: order %s' % (index,
                                                                  order))
            bound.update(lit.slots())

    def test_rule_insert_and_query_order_is_connected(self):
        order = plans._order(self.rule, (), set(), self.tables)
        self.assert_connected(order, ())

    def test_delta_order_of_every_occurrence_is_connected(self):
        for occurrence, lit in enumerate(self.rule.body):
            if lit.kind != compiler.POSITIVE:
                continue
            bound = lit.slots()
            order = plans._order(self.rule, bound, {occurrence},
                                 self.tables)
            self.assert_connected(order, bound)

    def test_results_do_not_depend_on_the_atom_order(self):
        self.engine.insert_rule('p', ADVERSARIAL)
        self.engine.insert_rule(
            'p', 'linked(p) :- src:ports(p, s, n), src:servers(s, t, '
                 '"ACTIVE"), src:networks(n, o), src:tenants(t, l), '
                 'builtin:lt(l, 3), not trusted(o)')
        exposed = self.engine.select('p', 'exposed')[0]
        self.assertEqual(self.engine.select('p', 'linked')[0], exposed)
        self.assertTrue(exposed)
        query, _trace = self.engine.query('p', ADVERSARIAL.split(':- ')[1])
        # every port determines its server, network, tenant and owner
        self.assertEqual(len(exposed), len(query))

    def test_plans_are_made_again_when_a_table_grows(self):
        self.engine.insert_rule('p', 'a(x, z) :- src:x(x, y), src:y(y, z)')
        self.engine.receive_delta('src', 'x', [(1, 2)], [])
        counters = self.engine.evaluator._counters
        self.assertTrue(counters)
        self.engine.receive_delta('src', 'y', [(i, i) for i in range(300)],
                                  [])
        self.assertFalse([key for key in counters if key[1] == 0])
