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

"""Row storage: one :class:`Table` per (namespace, table name).

Rows are tuples.  Each table maps a row to its number of derivations (1
for data rows) and keeps hash indexes on the column sets that rules probe,
built the first time a rule needs one and maintained from then on.
"""

import collections
import sys


def freeze(value):
    """A hashable, compact form of a data value.

    Strings are interned, lists become tuples, dicts sorted tuples of pairs.
    """
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((freeze(k), freeze(v))
                            for k, v in value.items()))
    return value


#: How the values policies cannot write as constants reach them, as in the
#: reference: booleans and null become the strings 'True', 'False' and
#: 'None' (so ``networks(shared="True")`` and ``rules(remote_ip_prefix=
#: "None")`` match).
_TO_CONGRESS = {True: 'True', False: 'False', None: 'None'}


def freeze_row(row):
    """A data source row as the engine stores it: frozen, with booleans
    and nulls as strings."""
    return tuple([_TO_CONGRESS[value] if value is None or
                  isinstance(value, bool) else freeze(value)
                  for value in row])


class Table(object):
    """The rows of one table with their derivation counts and indexes.

    ``indexes`` maps a tuple of column positions to a dict from key to the
    set of rows having that key; a one-column index is keyed by the bare
    value.
    """

    __slots__ = ('key', 'rows', 'indexes', 'arity')

    def __init__(self, key, arity=None):
        self.key = key
        self.rows = {}
        self.indexes = {}
        self.arity = arity

    def __len__(self):
        return len(self.rows)

    def index(self, columns):
        """The index on ``columns``, building it if needed."""
        index = self.indexes.get(columns)
        if index is None:
            buckets = collections.defaultdict(set)
            if len(columns) == 1:
                column = columns[0]
                for row in self.rows:
                    buckets[row[column]].add(row)
            else:
                for row in self.rows:
                    buckets[tuple([row[c] for c in columns])].add(row)
            # no default from here on: a probe of a missing key must not
            # add it (cheaper than copying a million keys to a plain dict)
            buckets.default_factory = None
            index = self.indexes[columns] = buckets
        return index

    def copy(self):
        """A table of the same rows and indexes that changes apart."""
        twin = Table(self.key, self.arity)
        twin.rows = dict(self.rows)
        twin.indexes = {columns: {key: set(bucket)
                                  for key, bucket in index.items()}
                        for columns, index in self.indexes.items()}
        return twin

    def add(self, row, count=1):
        """Store a row that was absent, with its number of derivations."""
        self.rows[row] = count
        for columns, index in self.indexes.items():
            key = _key(row, columns)
            bucket = index.get(key)
            if bucket is None:
                index[key] = {row}
            else:
                bucket.add(row)

    def add_counted(self, counts):
        """Store rows that were absent: ``counts`` maps each to its number
        of derivations."""
        if not self.indexes:
            self.rows.update(counts)
            return
        for row, count in counts.items():
            self.add(row, count)

    def discard(self, row):
        """Forget a row that was present."""
        del self.rows[row]
        for columns, index in self.indexes.items():
            key = _key(row, columns)
            bucket = index[key]
            bucket.discard(row)
            if not bucket:
                del index[key]


def _key(row, columns):
    if len(columns) == 1:
        return row[columns[0]]
    return tuple([row[column] for column in columns])
