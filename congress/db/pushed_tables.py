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

"""Stored rows of push data sources (``persist_data``), by data source id
and table name."""

from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models


@db_api.retry_on_deadlock
def store(datasource_id, tables):
    """Replace the stored rows of each table in ``tables`` (``{table:
    [row, ...]}``, a row being a list of values), in one transaction."""
    model = models.PushedTable
    now = timeutils.utcnow()
    with db_api.writer() as session:
        session.execute(sa.delete(model).where(
            model.datasource_id == datasource_id,
            model.table_name.in_(list(tables))))
        for table, rows in tables.items():
            session.execute(sa.insert(model).values(
                datasource_id=datasource_id, table_name=table,
                rows=jsonutils.dumps([list(row) for row in rows]),
                updated_at=now))


def load(datasource_id):
    """``{table: [row, ...]}`` of everything stored for the data source."""
    model = models.PushedTable
    with db_api.reader() as session:
        return {row.table_name: jsonutils.loads(row.rows)
                for row in session.scalars(sa.select(model).where(
                    model.datasource_id == datasource_id))}


def forget(session, datasource_id):
    """Delete the data source's stored rows, in ``session``'s transaction
    (the data source's deletion)."""
    model = models.PushedTable
    session.execute(sa.delete(model).where(
        model.datasource_id == datasource_id))
