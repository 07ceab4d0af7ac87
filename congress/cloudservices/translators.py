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

"""Declarative translation of API objects into table rows.

A driver declares its tables as :class:`Table` objects; each column says
where its value comes from in an API object (a dotted path of keys or a
function). The same declarations give the driver's schema.
"""

import dataclasses
import typing


def _lookup(obj, path):
    for key in path.split('.'):
        if obj is None:
            return None
        obj = obj.get(key) if isinstance(obj, dict) else getattr(
            obj, key, None)
    return obj


def _scalar(value):
    """Table cells hold strings, numbers, booleans or None."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclasses.dataclass(frozen=True)
class Column:
    """One column: its name, where its value comes from, what it means.

    ``path`` is a dotted path into the object (default: the column name);
    ``fn`` computes the value from the object instead.
    """

    name: str
    description: str = ''
    path: typing.Optional[str] = None
    fn: typing.Optional[typing.Callable] = None

    def value(self, obj):
        if self.fn is not None:
            return _scalar(self.fn(obj))
        return _scalar(_lookup(obj, self.path or self.name))


@dataclasses.dataclass(frozen=True)
class Table:
    """A table filled from a list of API objects.

    ``children`` are tables of items nested in each object (e.g. a server's
    addresses); their rows start with ``parent_key`` of the parent object.
    """

    name: str
    columns: tuple
    description: str = ''
    children: tuple = ()

    def translate(self, objects, into=None):
        """Rows of this table and its children, as ``{table: set(rows)}``.
        """
        tables = {} if into is None else into
        rows = tables.setdefault(self.name, set())
        columns = self.columns
        for obj in objects:
            rows.add(tuple(c.value(obj) for c in columns))
            for child in self.children:
                child.translate_from(obj, tables)
        for child in self.children:
            tables.setdefault(child.name, set())
        return tables

    def schema(self):
        """``{table: [{"name", "description"}]}`` of this table and its
        children."""
        result = {self.name: [{'name': c.name, 'description': c.description}
                              for c in self.columns]}
        for child in self.children:
            result.update(child.schema())
        return result


@dataclasses.dataclass(frozen=True)
class ChildTable:
    """Rows made from a collection nested in each parent object.

    ``items(parent)`` yields the nested objects; each row is the parent's
    ``parent_key`` value followed by ``columns`` read from one item.
    """

    name: str
    parent_column: Column
    items: typing.Callable
    columns: tuple
    description: str = ''

    def translate_from(self, parent, tables):
        rows = tables.setdefault(self.name, set())
        key = self.parent_column.value(parent)
        for item in self.items(parent) or ():
            rows.add((key,) + tuple(c.value(item) for c in self.columns))

    def schema(self):
        columns = (self.parent_column,) + tuple(self.columns)
        return {self.name: [{'name': c.name, 'description': c.description}
                            for c in columns]}
