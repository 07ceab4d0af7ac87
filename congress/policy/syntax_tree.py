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

"""The parsed form of Datalog text: terms, atoms and rules.

These classes keep what the author wrote (qualifiers, named columns,
positions in the text); the compiler turns them into the evaluator's form.
"""

import dataclasses

ANONYMOUS = '_'


def format_value(value):
    """Datalog text of a constant value (strings double-quoted)."""
    if isinstance(value, str):
        escaped = value.replace('\\', '\\\\').replace('"', '\\"')
        return '"%s"' % escaped.replace('\n', '\\n')
    return repr(value) if isinstance(value, float) else str(value)


@dataclasses.dataclass(frozen=True)
class Variable:
    """A variable; the name ``_`` is anonymous (a fresh variable each)."""

    name: str
    line: int = dataclasses.field(default=0, compare=False)
    column: int = dataclasses.field(default=0, compare=False)

    @property
    def anonymous(self):
        return self.name == ANONYMOUS

    def __str__(self):
        return self.name


@dataclasses.dataclass(frozen=True)
class Constant:
    """A string, integer or float constant."""

    value: object
    line: int = dataclasses.field(default=0, compare=False)
    column: int = dataclasses.field(default=0, compare=False)

    def __str__(self):
        return format_value(self.value)


@dataclasses.dataclass(frozen=True)
class Argument:
    """One argument of an atom: a term, by position or by column name."""

    term: object
    column_name: str = None

    def __str__(self):
        if self.column_name is None:
            return str(self.term)
        return '%s=%s' % (self.column_name, self.term)


@dataclasses.dataclass(frozen=True)
class Atom:
    """A table reference with arguments, possibly negated.

    ``qualifier`` is the service or policy before the colon (None when the
    table is unqualified); ``action`` marks an ``execute[...]`` head.
    """

    qualifier: str
    table: str
    arguments: tuple
    negated: bool = False
    action: bool = False
    line: int = dataclasses.field(default=0, compare=False)
    column: int = dataclasses.field(default=0, compare=False)

    @property
    def qualified_table(self):
        if self.qualifier is None:
            return self.table
        return '%s:%s' % (self.qualifier, self.table)

    def __str__(self):
        text = '%s(%s)' % (self.qualified_table,
                           ', '.join(str(arg) for arg in self.arguments))
        if self.action:
            text = 'execute[%s]' % text
        return 'not ' + text if self.negated else text


@dataclasses.dataclass(frozen=True)
class Rule:
    """``head :- body``; a fact has an empty body."""

    head: Atom
    body: tuple = ()

    def __str__(self):
        if not self.body:
            return str(self.head)
        return '%s :- %s' % (self.head,
                             ', '.join(str(lit) for lit in self.body))
