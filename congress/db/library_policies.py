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


def create(policy_id, document):
    """Store ``document`` (a dict with a ``name``) under ``policy_id``.

    :raises Conflict: the name or the id is taken.
    """
    document = {k: v for k, v in document.items() if k != 'id'}
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(models.LibraryPolicy).values(
                id=policy_id, name=document['name'],
                document=jsonutils.dumps(document),
                created_at=timeutils.utcnow()))
    except db_exc.DBDuplicateEntry:
        raise _conflict(document['name'])
    return dict(document, id=policy_id)


def get(name_or_id):
    return db_api.get_dict(models.LibraryPolicy, name_or_id, _document)


def list_all(name=None):
    table = models.LibraryPolicy
    query = sa.select(table).order_by(table.name)
    if name is not None:
        query = query.where(table.name == name)
    with db_api.reader() as session:
        return [_document(row) for row in session.scalars(query)]


def replace(policy_id, document):
    """Replace the document of ``policy_id``; None if there is none."""
    document = {k: v for k, v in document.items() if k != 'id'}
    table = models.LibraryPolicy
    try:
        with db_api.writer() as session:
            updated = session.execute(
                sa.update(table).where(table.id == policy_id).values(
                    name=document['name'],
                    document=jsonutils.dumps(document))).rowcount
    except db_exc.DBDuplicateEntry:
        raise _conflict(document['name'])
    return dict(document, id=policy_id) if updated else None


def delete(name_or_id):
    """Delete and return the library policy, or None."""
    return db_api.delete_dict(models.LibraryPolicy, name_or_id, _document)
