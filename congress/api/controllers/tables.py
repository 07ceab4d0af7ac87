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

"""``.../tables`` and ``.../tables/{table}`` of a data source and of a
policy: one pair of controllers, told where the tables come from by a
``TableSource``.
"""

import pecan

from congress.api.controllers import base
from congress import exception
from congress.i18n import _


class TableSource(object):
    """Where the tables of a resource (a data source, a policy) come from;
    ``rows_controller(table)`` is the controller of ``.../rows``."""

    def check_access(self):
        """Check the policy rule that lets the caller read the tables."""
        raise NotImplementedError()

    def table_names(self):
        """The sorted names of the tables."""
        raise NotImplementedError()

    def check_table(self, table):
        """Raise NotFound unless ``table`` is one of the tables."""
        if table not in self.table_names():
            raise exception.NotFound(resource=_('Table'), id=table)

    def rows_controller(self, table):
        raise NotImplementedError()

    def table_controller(self, table):
        return TableController(self, table)


class TableController(object):
    """One table of ``source``: it exists or answers 404."""

    def __init__(self, source, table):
        self.source = source
        self.table = table
        self.rows = source.rows_controller(table)

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        self.source.check_access()
        self.source.check_table(self.table)
        return {'id': self.table}


class TablesController(object):
    """The list of the tables of ``source``."""

    def __init__(self, source):
        self.source = source

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get_all(self, **kwargs):
        self.source.check_access()
        return {'results': [{'id': table}
                            for table in self.source.table_names()]}

    @pecan.expose()
    def _lookup(self, table, *remainder):
        return self.source.table_controller(table), remainder
