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

"""Which tables depend on which: strata, recursion and evaluation order.

Tables are grouped into strongly connected components, numbered in an
order where every component comes after the components it reads.  A
component is *recursive* when its tables depend on themselves.
"""

from congress import exception
from congress.i18n import _
from congress.policy import compiler


class Strata(object):
    """The components of the dependency graph of a set of rules.

    ``rank[table]`` is the position of the table's component in evaluation
    order; ``members[rank]`` lists its tables; ``recursive`` holds the
    ranks of recursive components.
    """

    def __init__(self, rules):
        self.edges = {}
        for rule in rules:
            head = rule.head.table
            self.edges.setdefault(head, set())
            for lit in rule.body:
                if lit.kind != compiler.BUILTIN:
                    self.edges.setdefault(lit.table, set()).add(
                        (head, lit.kind == compiler.NEGATIVE))
        self.rank = {}
        self.members = []
        self.recursive = set()
        for component in self._components():
            rank = len(self.members)
            self.members.append(component)
            for table in component:
                self.rank[table] = rank
        for table, successors in self.edges.items():
            for head, _negative in successors:
                if self.rank[head] == self.rank[table]:
                    self.recursive.add(self.rank[table])

    def _components(self):
        """Tarjan's algorithm, iterative.

        Returns the components, each after the components it reads.
        """
        index = {}
        low = {}
        stack = []
        on_stack = set()
        components = []
        for root in self.edges:
            if root in index:
                continue
            work = [(root, iter(self.edges[root]))]
            index[root] = low[root] = len(index)
            stack.append(root)
            on_stack.add(root)
            while work:
                node, successors = work[-1]
                advanced = False
                for head, _negative in successors:
                    if head not in index:
                        index[head] = low[head] = len(index)
                        stack.append(head)
                        on_stack.add(head)
                        work.append((head, iter(self.edges[head])))
                        advanced = True
                        break
                    if head in on_stack:
                        low[node] = min(low[node], index[head])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
        # Tarjan finds sinks first; edges point from body to head, so the
        # reversed order puts every table after the tables it reads.
        components.reverse()
        return components

    def check(self, recursion_allowed):
        """Raise RecursionNotAllowed if the rules are not acceptable.

        They are not when negation goes through recursion, or when a recursive
        component holds a table of a policy ``namespace`` for which
        ``recursion_allowed(namespace)`` is False.
        """
        for table, successors in self.edges.items():
            for head, negative in successors:
                if negative and self.rank[head] == self.rank[table]:
                    raise exception.RecursionNotAllowed(
                        _('Rules are not stratified: %(h)s depends on the '
                          'negation of %(t)s, which depends on %(h)s') %
                        {'h': _name(head), 't': _name(table)})
        for rank in sorted(self.recursive):
            for namespace, name in self.members[rank]:
                if not recursion_allowed(namespace):
                    raise exception.RecursionNotAllowed(
                        _('Recursion is not allowed in policy %(p)s: table '
                          '%(t)s depends on itself (through %(c)s)') %
                        {'p': namespace, 't': name,
                         'c': ', '.join(_name(t)
                                        for t in self.members[rank])})


def _name(table):
    return '%s:%s' % table
