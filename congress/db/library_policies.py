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

"""Stored library policies (policy templates), shared by every API host.
"""

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models
from congress import exception
from congress.i18n import _


def _document(row):
    return dict(jsonutils.loads(row.document), id=row.id)


def _conflict(name):
    return exception.Conflict(
        reason=_('a library policy named %s exists') % name)


def create(policy_id, document, source_file=None, source_digest=None):
    """Store ``document`` (a dict with a ``name``) under ``policy_id``;
    ``source_file`` and ``source_digest`` for one loaded from a file.

    :raises Conflict: the name or the id is taken.
    """
    document = {k: v for k, v in document.items() if k != 'id'}
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(models.LibraryPolicy).values(
                id=policy_id, name=document['name'],
                document=jsonutils.dumps(document),
                created_at=timeutils.utcnow(), source_file=source_file,
                source_digest=source_digest))
    except db_exc.DBDuplicateEntry:
        raise _conflict(document['name'])
    return dict(document, id=policy_id)


def get(name_or_id):
    return db_api.get_dict(models.LibraryPolicy, name_or_id, _document)


def get_source(name):
    """``(id, source_file, source_digest)`` of the library policy named
    ``name``, or None."""
    table = models.LibraryPolicy
    with db_api.reader() as session:
        row = session.execute(
            sa.select(table.id, table.source_file, table.source_digest)
            .where(table.name == name)).first()
    return None if row is None else tuple(row)


def list_all(name=None):
    table = models.LibraryPolicy
    query = sa.select(table).order_by(table.name)
    if name is not None:
        query = query.where(table.name == name)
    with db_api.reader() as session:
        return [_document(row) for row in session.scalars(query)]


def replace(policy_id, document):
    """Replace the document of ``policy_id``; None if there is none.

    The policy no longer counts as loaded from a file: a later load of its
    file leaves it alone.
    """
    document = {k: v for k, v in document.items() if k != 'id'}
    table = models.LibraryPolicy
    try:
        with db_api.writer() as session:
            updated = session.execute(
                sa.update(table).where(table.id == policy_id).values(
                    name=document['name'],
                    document=jsonutils.dumps(document),
                    source_file=None, source_digest=None)).rowcount
    except db_exc.DBDuplicateEntry:
        raise _conflict(document['name'])
    return dict(document, id=policy_id) if updated else None


def update_from_file(policy_id, old_digest, document, source_file,
                     source_digest):
    """Replace the document of ``policy_id`` with the one of its changed
    file, provided it is still the one loaded with ``old_digest`` (no one
    changed it through the API or loaded the new file meanwhile).

    :returns: whether it was replaced.
    """
    table = models.LibraryPolicy
    with db_api.writer() as session:
        return session.execute(
            sa.update(table).where(table.id == policy_id,
                                   table.source_digest == old_digest)
            .values(document=jsonutils.dumps(document),
                    source_file=source_file,
                    source_digest=source_digest)).rowcount == 1


def delete(name_or_id):
    """Delete and return the library policy, or None."""
    return db_api.delete_dict(models.LibraryPolicy, name_or_id, _document)
