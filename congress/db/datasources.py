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

"""Stored data sources."""

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models
from congress.db import pushed_tables
from congress.db import secrets
from congress import exception
from congress.i18n import _


def _to_dict(row, reveal=False):
    config = jsonutils.loads(row.config)
    config = {key: (secrets.decrypt(value) if reveal else value)
              for key, value in config.items()}
    return {'id': row.id, 'name': row.name, 'driver': row.driver,
            'config': config, 'description': row.description,
            'enabled': row.enabled}


def create(name, driver, config, secret_names, description=None,
           enabled=True):
    """Store a data source, encrypting the values of ``secret_names``.

    :raises Conflict: a data source of that name exists.
    """
    stored = {key: (secrets.encrypt(value) if key in secret_names
                    else value)
              for key, value in config.items()}
    values = {'id': uuidutils.generate_uuid(), 'name': name,
              'driver': driver, 'config': jsonutils.dumps(stored),
              'description': description, 'enabled': enabled,
              'created_at': timeutils.utcnow()}
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(models.DataSource).values(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.Conflict(
            reason=_('a data source named %s exists') % name)
    return get(values['id'])


def get(name_or_id, reveal=False):
    """The data source with that name or id, or None.

    With ``reveal`` secret values are decrypted (for the driver only, never
    for an API answer).
    """
    return db_api.get_dict(models.DataSource, name_or_id,
                           lambda row: _to_dict(row, reveal=reveal))


def list_all(reveal=False):
    with db_api.reader() as session:
        return [_to_dict(row, reveal=reveal) for row in session.scalars(
            sa.select(models.DataSource).order_by(models.DataSource.name))]


def delete(name_or_id):
    """Delete and return the data source, or None if there is none; the
    rows pushed to it and kept go with it."""
    with db_api.writer() as session:
        row = db_api.find_by_name_or_id(session, models.DataSource,
                                        name_or_id)
        if row is None:
            return None
        result = _to_dict(row)
        pushed_tables.forget(session, row.id)
        session.delete(row)
        return result
