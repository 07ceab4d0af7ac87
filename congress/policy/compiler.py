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

"""Turns parsed rules into the evaluator's form.

Compiling resolves each table reference to a ``(namespace, table)`` key
(the policy itself, another policy, a data source or a builtin), maps
named columns to positions using the data source's schema, pads short
positional atoms with anonymous variables, numbers the variables and
checks that the rule is safe.
"""

import dataclasses

from congress import exception
from congress.i18n import _
from congress.policy import builtin_functions
from congress.policy import errors
from congress.policy import syntax_tree

POSITIVE = 'positive'
NEGATIVE = 'negative'
BUILTIN = 'builtin'

ACTION_KIND = 'action'
UPDATE_SUFFIXES = ('+', '-')


def action_table_name(service, action):
    """Name of the derived table of ``execute[service:action(...)]``."""
    return 'execute[%s:%s]' % (service, action)


def split_action_table(name):
    """(service, action) of an execute table name, or None."""
    if name.startswith('execute[') and name.endswith(']'):
        service, _sep, action = name[len('execute['):-1].partition(':')
        return service, action
    return None


def display_table(key, policy):
    """How a rule of ``policy`` writes the table ``key``."""
    namespace, name = key
    return name if namespace == policy else '%s:%s' % (namespace, name)


@dataclasses.dataclass(frozen=True)
class Literal:
    """A compiled atom.

    ``args`` holds ``(True, slot)`` for a variable and ``(False, value)``
    for a constant.  ``table`` is the ``(namespace, name)`` key (None for a
    builtin); ``service`` tells whether the namespace is a data source.
    """

    kind: str
    table: tuple
    args: tuple
    builtin: object = None
    negated: bool = False
    service: bool = False

    def slots(self):
        return [value for is_var, value in self.args if is_var]

    @property
    def inputs(self):
        return self.args[:self.builtin.inputs]

    @property
    def outputs(self):
        return self.args[self.builtin.inputs:]


@dataclasses.dataclass(eq=False)
class CompiledRule:
    """A rule ready for evaluation; compared by identity."""

    policy: str
    head: Literal
    body: tuple
    variables: tuple
    anonymous: frozenset
    source: syntax_tree.Rule
    text: str

    @property
    def volatile(self):
        return any(lit.kind == BUILTIN and lit.builtin.volatile
                   for lit in self.body)


class _RuleCompiler(object):
    def __init__(self, policy, kind, resolver, unqualified=None):
        self.policy = policy
        self.kind = kind
        self.resolver = resolver
        self.unqualified = unqualified
        self.slots = {}
        self.variables = []
        self.anonymous = set()
        self.first_seen = {}
        self.arities = {}

    def variable(self, name, line=0, column=0):
        if name == syntax_tree.ANONYMOUS:
            slot = len(self.variables)
            self.variables.append(name)
            self.anonymous.add(slot)
            return slot
        if name not in self.slots:
            self.slots[name] = len(self.variables)
            self.variables.append(name)
            self.first_seen[name] = (line, column)
        return self.slots[name]

    def term(self, term):
        if isinstance(term, syntax_tree.Variable):
            return (True, self.variable(term.name, term.line, term.column))
        return (False, term.value)

    def head(self, atom):
        if (atom.qualifier == builtin_functions.QUALIFIER or
                builtin_functions.lookup(atom.qualifier, atom.table)):
            raise errors.InvalidRule(
                _('line %(line)d: a rule cannot define the builtin %(t)s') %
                {'line': atom.line, 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        name = atom.table
        if atom.action:
            if atom.qualifier is None:
                raise errors.InvalidRule(
                    _('line %d: execute[...] needs service:action(...)') %
                    atom.line, line=atom.line, column=atom.column)
            name = action_table_name(atom.qualifier, atom.table)
        elif atom.qualifier not in (None, self.policy):
            if not (self.kind == ACTION_KIND and
                    name.endswith(UPDATE_SUFFIXES)):
                raise errors.InvalidRule(
                    _('line %(line)d: a rule of policy %(p)s cannot define '
                      'table %(t)s of another service or policy') %
                    {'line': atom.line, 'p': self.policy,
                     't': atom.qualified_table},
                    line=atom.line, column=atom.column)
            name = atom.qualified_table
        if any(arg.column_name for arg in atom.arguments):
            raise exception.SchemaMismatch(
                _('line %(line)d: the head %(t)s cannot use named columns: '
                  'rule heads are positional') %
                {'line': atom.line, 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        key = (self.policy, name)
        self.check_arity(key, len(atom.arguments), atom)
        args = tuple(self.term(arg.term) for arg in atom.arguments)
        return Literal(POSITIVE, key, args)

    def body_literal(self, atom):
        builtin = builtin_functions.lookup(atom.qualifier, atom.table)
        if builtin is not None:
            return self.builtin_literal(atom, builtin)
        if atom.qualifier == builtin_functions.QUALIFIER:
            raise errors.InvalidRule(
                _('line %(line)d, column %(col)d: unknown builtin %(t)s') %
                {'line': atom.line, 'col': atom.column,
                 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        if self.own_update_table(atom):
            key = (self.policy, atom.qualified_table)
            args = self.arguments(atom, key, None, False)
            return Literal(NEGATIVE if atom.negated else POSITIVE, key,
                           args)
        namespace = atom.qualifier or (
            self.unqualified(atom.table) if self.unqualified is not None
            else self.policy)
        service = (namespace != self.policy and
                   not self.resolver.is_policy(namespace))
        key = (namespace, atom.table)
        columns = (self.resolver.columns(namespace, atom.table)
                   if service else None)
        args = self.arguments(atom, key, columns, service)
        return Literal(NEGATIVE if atom.negated else POSITIVE, key, args,
                       service=service)

    def own_update_table(self, atom):
        """Whether ``atom`` names an update table of another policy or
        service (``test2:p+``) that this action policy derives itself:
        its rows live in this policy, under that qualified name."""
        return (self.kind == ACTION_KIND and
                atom.qualifier not in (None, self.policy) and
                atom.table.endswith(UPDATE_SUFFIXES))

    def builtin_literal(self, atom, builtin):
        if any(arg.column_name for arg in atom.arguments):
            raise exception.SchemaMismatch(
                _('line %(line)d: builtin %(t)s takes positional arguments '
                  'only') % {'line': atom.line, 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        if len(atom.arguments) != builtin.arity:
            raise exception.SchemaMismatch(
                _('line %(line)d: builtin %(t)s takes %(n)d arguments, '
                  'not %(m)d') %
                {'line': atom.line, 't': atom.qualified_table,
                 'n': builtin.arity, 'm': len(atom.arguments)},
                line=atom.line, column=atom.column)
        if atom.negated and builtin.has_output:
            raise errors.InvalidRule(
                _('line %(line)d: only builtins without an output (filters) '
                  'can be negated, not %(t)s') %
                {'line': atom.line, 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        for position, arg in enumerate(atom.arguments[:builtin.inputs]):
            self.check_constant(atom, builtin, position, arg.term)
        args = tuple(self.term(arg.term) for arg in atom.arguments)
        return Literal(BUILTIN, None, args, builtin=builtin,
                       negated=atom.negated)

    def check_constant(self, atom, builtin, position, term):
        """Refuse a constant input the builtin could never accept (a date
        that does not parse...): the literal would be silently false."""
        if not isinstance(term, syntax_tree.Constant):
            return
        reason = builtin_functions.check_constant(builtin, position,
                                                  term.value)
        if reason is not None:
            raise errors.InvalidRule(
                _('line %(line)d, column %(col)d: %(value)s cannot be '
                  'argument %(n)d (%(arg)s) of builtin %(b)s: %(reason)s') %
                {'line': term.line, 'col': term.column, 'value': term,
                 'n': position + 1, 'arg': builtin.arguments[position],
                 'b': builtin.signature, 'reason': reason},
                line=term.line, column=term.column)

    def arguments(self, atom, key, columns, service):
        positional = []
        named = {}
        for arg in atom.arguments:
            if arg.column_name is None:
                if named:
                    raise exception.PolicySyntaxError(
                        _('line %(line)d, column %(col)d: a positional '
                          'argument cannot follow a named one in %(t)s') %
                        {'line': atom.line, 'col': atom.column,
                         't': atom.qualified_table},
                        line=atom.line, column=atom.column)
                positional.append(arg.term)
            elif arg.column_name in named:
                raise exception.SchemaMismatch(
                    _('line %(line)d: column %(c)s of %(t)s is given twice') %
                    {'line': atom.line, 'c': arg.column_name,
                     't': atom.qualified_table},
                    line=atom.line, column=atom.column)
            else:
                named[arg.column_name] = arg.term
        if named and columns is None and service and (
                not self.resolver.has_schema(key[0])):
            raise errors.SchemaUnknown(
                _('line %(line)d: named columns need the schema of data '
                  'source %(s)s, which is not known yet: the rule waits '
                  'for it') % {'line': atom.line, 's': key[0]},
                line=atom.line, column=atom.column, service=key[0])
        if named and columns is None:
            raise exception.SchemaMismatch(
                _('line %(line)d: named columns need the schema of %(t)s, '
                  'which is unknown') %
                {'line': atom.line, 't': atom.qualified_table},
                line=atom.line, column=atom.column)
        arity = len(columns) if columns is not None else (
            self.known_arity(key))
        if arity is None or (not service and not named):
            self.check_arity(key, len(positional), atom)
            return tuple(self.term(term) for term in positional)
        if len(positional) > arity:
            raise exception.SchemaMismatch(
                _('line %(line)d: %(t)s has %(n)d columns but %(m)d '
                  'arguments are given') %
                {'line': atom.line, 't': atom.qualified_table, 'n': arity,
                 'm': len(positional)},
                line=atom.line, column=atom.column)
        terms = positional + [None] * (arity - len(positional))
        for name, term in named.items():
            if name not in columns:
                raise exception.SchemaMismatch(
                    _('line %(line)d: %(t)s has no column %(c)s (its '
                      'columns: %(cols)s)') %
                    {'line': atom.line, 't': atom.qualified_table, 'c': name,
                     'cols': ', '.join(columns)},
                    line=atom.line, column=atom.column)
            position = columns.index(name)
            if terms[position] is not None:
                raise exception.SchemaMismatch(
                    _('line %(line)d: column %(c)s of %(t)s is given both '
                      'by position and by name') %
                    {'line': atom.line, 'c': name,
                     't': atom.qualified_table},
                    line=atom.line, column=atom.column)
            terms[position] = term
        self.arities[key] = arity
        return tuple((True, self.variable(syntax_tree.ANONYMOUS))
                     if term is None else self.term(term) for term in terms)

    def known_arity(self, key):
        if key in self.arities:
            return self.arities[key]
        return self.resolver.arity(key)

    def check_arity(self, key, arity, atom):
        known = self.known_arity(key)
        if known is not None and known != arity:
            raise exception.SchemaMismatch(
                _('line %(line)d: %(t)s is used with %(m)d arguments here '
                  'but has %(n)d columns elsewhere') %
                {'line': atom.line, 't': atom.qualified_table, 'm': arity,
                 'n': known},
                line=atom.line, column=atom.column)
        self.arities[key] = arity

    def check_safety(self, head, body):
        bound = set()
        for lit in body:
            if lit.kind == POSITIVE:
                bound.update(lit.slots())
        pending = [lit for lit in body if lit.kind == BUILTIN]
        progress = True
        while progress:
            progress = False
            for lit in list(pending):
                inputs = [v for is_var, v in lit.inputs if is_var]
                if all(slot in bound for slot in inputs):
                    pending.remove(lit)
                    bound.update(v for is_var, v in lit.outputs if is_var)
                    progress = True
        for lit in pending:
            self.unsafe([v for is_var, v in lit.inputs
                         if is_var and v not in bound],
                        _('an input of builtin %s') % lit.builtin.name)
        for lit in body:
            if lit.kind == NEGATIVE:
                self.unsafe([slot for slot in lit.slots()
                             if slot not in bound and
                             slot not in self.anonymous],
                            _('a negated literal'))
        self.unsafe([slot for slot in head.slots() if slot not in bound],
                    _('the head'))

    def unsafe(self, slots, where):
        if not slots:
            return
        name = self.variables[slots[0]]
        if name == syntax_tree.ANONYMOUS:
            raise exception.UnsafeRule(
                _('Unsafe rule: an anonymous variable "_" cannot appear in '
                  '%s') % where)
        line, column = self.first_seen[name]
        raise exception.UnsafeRule(
            _('Unsafe rule: variable %(v)s in %(where)s must appear in a '
              'positive literal of the body') % {'v': name, 'where': where},
            line=line, column=column)


def compile_rule(rule, policy, kind, resolver, unqualified=None):
    """Compile a parsed rule of ``policy``.

    ``resolver`` answers ``is_policy(name)``, ``has_schema(service)``,
    ``columns(service, table)`` (column names, or None when unknown) and
    ``arity((namespace, table))`` (None when unknown).
    ``unqualified(table)``, when given, names the namespace of an
    unqualified table of the body (``policy`` otherwise): a simulation
    reads an action policy's rules that way.

    :raises PolicyException: a subclass telling what is wrong.
    """
    compiler = _RuleCompiler(policy, kind, resolver, unqualified)
    head = compiler.head(rule.head)
    body = tuple(compiler.body_literal(atom) for atom in rule.body)
    compiler.check_safety(head, body)
    return CompiledRule(policy, head, body, tuple(compiler.variables),
                        frozenset(compiler.anonymous), rule, str(rule))


def compile_query(literals, policy, resolver, kind=None, unqualified=None):
    """Compile a query (a conjunction) of policy ``policy`` (of ``kind``)
    into a rule; ``unqualified`` as for :func:`compile_rule`.

    The rule's head holds the query's named variables in order of appearance.
    """
    compiler = _RuleCompiler(policy, kind, resolver, unqualified)
    body = tuple(compiler.body_literal(atom) for atom in literals)
    head_slots = [slot for slot, name in enumerate(compiler.variables)
                  if slot not in compiler.anonymous and
                  compiler.slots.get(name) == slot]
    head = Literal(POSITIVE, (policy, '__query__'),
                   tuple((True, slot) for slot in head_slots))
    compiler.check_safety(head, body)
    source = syntax_tree.Rule(
        syntax_tree.Atom(None, '__query__', ()), tuple(literals))
    return CompiledRule(policy, head, body, tuple(compiler.variables),
                        frozenset(compiler.anonymous), source,
                        ', '.join(str(atom) for atom in literals))
