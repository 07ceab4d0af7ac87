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

"""Recursive-descent parser of the Congress Datalog dialect.

Grammar (``[]`` optional, ``{}`` repeated)::

    rule     := head [":-" literal {"," literal}]
    head     := "execute" "[" atom "]" | atom
    literal  := ["not"] atom
    atom     := [NAME ":"] NAME ["+" | "-"] ["(" [argument {"," argument}] ")"]
    argument := [NAME "="] term
    term     := NAME (a variable, "_" is anonymous) | STRING | NUMBER
"""

from congress import exception
from congress.i18n import _
from congress.policy import lexer
from congress.policy import syntax_tree

NEGATION = 'not'
EXECUTE = 'execute'


class _Parser(object):
    def __init__(self, text):
        if not isinstance(text, str):
            raise exception.PolicySyntaxError(
                _('Datalog text must be a string'), line=1, column=1)
        self.tokens = lexer.tokenize(text)
        self.index = 0

    @property
    def token(self):
        return self.tokens[self.index]

    def peek(self, offset=1):
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self):
        token = self.token
        if token.kind != lexer.END:
            self.index += 1
        return token

    def error(self, expected, token=None):
        token = token or self.token
        return exception.PolicySyntaxError(
            _('line %(line)d, column %(column)d: expected %(expected)s '
              'but found %(found)s') %
            {'line': token.line, 'column': token.column,
             'expected': expected, 'found': token.describe()},
            line=token.line, column=token.column)

    def expect(self, kind, expected):
        if self.token.kind != kind:
            raise self.error(expected)
        return self.advance()

    def at_end(self):
        return self.token.kind == lexer.END

    def rule(self):
        head = self.head()
        body = ()
        if self.token.kind == ':-':
            self.advance()
            body = self.conjunction()
        return syntax_tree.Rule(head, body)

    def conjunction(self):
        literals = [self.literal()]
        while self.token.kind == ',':
            self.advance()
            literals.append(self.literal())
        return tuple(literals)

    def head(self):
        token = self.token
        if (token.kind == lexer.NAME and token.value == EXECUTE and
                self.peek().kind == '['):
            self.advance()
            self.advance()
            atom = self.atom()
            self.expect(']', _('"]" closing execute['))
            return syntax_tree.Atom(
                atom.qualifier, atom.table, atom.arguments, action=True,
                line=token.line, column=token.column)
        if token.kind == lexer.NAME and token.value == NEGATION:
            raise self.error(_('a rule head (a head cannot be negated)'))
        return self.atom()

    def literal(self):
        token = self.token
        if (token.kind == lexer.NAME and token.value == NEGATION and
                self.peek().kind == lexer.NAME):
            self.advance()
            atom = self.atom()
            return syntax_tree.Atom(
                atom.qualifier, atom.table, atom.arguments, negated=True,
                line=token.line, column=token.column)
        return self.atom()

    def atom(self):
        start = self.expect(lexer.NAME, _('a table name'))
        qualifier, table = None, start.value
        if self.token.kind == ':':
            self.advance()
            qualifier = table
            table = self.expect(lexer.NAME, _('a table name after "%s:"') %
                                qualifier).value
        if self.token.kind in ('+', '-') and self.peek().kind == '(':
            table += self.advance().kind
        arguments = ()
        if self.token.kind == '(':
            self.advance()
            arguments = self.arguments()
            self.expect(')', _('"," or ")" in the arguments of %s') % table)
        return syntax_tree.Atom(qualifier, table, arguments,
                                line=start.line, column=start.column)

    def arguments(self):
        if self.token.kind == ')':
            return ()
        arguments = [self.argument()]
        while self.token.kind == ',':
            self.advance()
            arguments.append(self.argument())
        return tuple(arguments)

    def argument(self):
        if self.token.kind == lexer.NAME and self.peek().kind == '=':
            column_name = self.advance().value
            self.advance()
            return syntax_tree.Argument(self.term(), column_name)
        return syntax_tree.Argument(self.term())

    def term(self):
        token = self.token
        if token.kind == lexer.NAME:
            self.advance()
            return syntax_tree.Variable(token.value, token.line, token.column)
        if token.kind in (lexer.STRING, lexer.NUMBER):
            self.advance()
            return syntax_tree.Constant(token.value, token.line, token.column)
        raise self.error(_('a variable, string or number'))


def parse_rule(text):
    """Parse exactly one rule or fact.

    :raises PolicySyntaxError: with the line and column of the problem.
    """
    parser = _Parser(text)
    if parser.at_end():
        raise parser.error(_('a rule'))
    rule = parser.rule()
    if not parser.at_end():
        raise parser.error(_('"," or the end of the rule'))
    return rule


def parse_rules(text):
    """Parse any number of rules and facts, one after the other."""
    parser = _Parser(text)
    rules = []
    while not parser.at_end():
        rules.append(parser.rule())
    return rules


def parse_query(text):
    """Parse a query: one or more literals separated by commas."""
    parser = _Parser(text)
    literals = parser.conjunction()
    if not parser.at_end():
        raise parser.error(_('"," or the end of the query'))
    return literals


def parse_sequence(text):
    """Parse a simulation sequence.

    Its elements are separated by blanks or commas: atoms (``p+(1)``,
    ``act(1)``) and rules (``p+(x) :- q(x)``; ``q(1), r(1) :- true``, whose
    heads are the comma-separated atoms before ``:-``).  Returns a list of
    ``(heads, body)``, ``body`` None for an atom.
    """
    parser = _Parser(text)
    elements = []
    while not parser.at_end():
        group = [parser.atom()]
        while parser.token.kind == ',':
            parser.advance()
            if parser.at_end():
                break
            group.append(parser.atom())
        if parser.token.kind == ':-':
            parser.advance()
            elements.append((tuple(group), parser.conjunction()))
            if parser.token.kind == ',':
                parser.advance()
        else:
            elements.extend(((atom,), None) for atom in group)
    return elements
