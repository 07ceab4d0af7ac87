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

"""Stored exemptions from policies (see ``congress.policy.exemptions``
for what they match)."""

from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models

FIELDS = ('id', 'policy', 'rule_id', 'action', 'args', 'reason', 'user_id',
          'project_id', 'created_at', 'expires_at')


def _to_dict(row):
    record = {field: getattr(row, field) for field in FIELDS}
    record['args'] = jsonutils.loads(record['args'])
    return record


def create(values):
    """Store an exemption; ``values`` has the fields but ``id`` and
    ``created_at``."""
    row = dict(values, id=uuidutils.generate_uuid(),
               created_at=timeutils.utcnow())
    stored = dict(row, args=jsonutils.dumps(row['args']))
    with db_api.writer() as session:
        session.execute(sa.insert(models.Exemption).values(**stored))
    return {field: row.get(field) for field in FIELDS}


def get(exemption_id):
    with db_api.reader() as session:
        row = session.get(models.Exemption, exemption_id)
        return None if row is None else _to_dict(row)


def delete(exemption_id):
    """Delete an exemption; returns whether there was one."""
    table = models.Exemption
    with db_api.writer() as session:
        return session.execute(
            sa.delete(table).where(table.id == exemption_id)).rowcount == 1


def list_exemptions(policy=None, limit=100, marker=None):
    """Newest first, expired ones too; ``marker`` is the id of the last
    exemption of the previous page (None when it is not one)."""
    table = models.Exemption
    with db_api.reader() as session:
        query = sa.select(table)
        if policy:
            query = query.where(table.policy == policy)
        rows = db_api.newest_first(session, query, table, marker, limit)
        return None if rows is None else [_to_dict(row) for row in rows]


def active(policies=None, now=None):
    """The exemptions that have not expired at ``now`` (default: now), of
    ``policies`` (default: every policy), oldest first."""
    table = models.Exemption
    query = sa.select(table).where(
        table.expires_at > (now or timeutils.utcnow()))
    if policies is not None:
        policies = sorted(set(policies))
        if not policies:
            return []
        query = query.where(table.policy.in_(policies))
    with db_api.reader() as session:
        return [_to_dict(row) for row in session.scalars(
            query.order_by(table.created_at, table.id))]
