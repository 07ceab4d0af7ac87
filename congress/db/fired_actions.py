"""The fired set: the ``execute[...]`` rows a leading engine acted on.

Entries are written together with the execution record of the row (see
``executions.create``); this module reads and forgets them.
"""

import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models


def row_keys():
    """The keys of every row acted on."""
    table = models.FiredAction
    with db_api.reader() as session:
        return set(session.scalars(sa.select(table.row_key)))


@db_api.retry_on_deadlock
def forget(keys):
    """Forget the rows with these keys (they left their tables, or their
    action was never sent): if they appear again, they fire again."""
    keys = list(keys)
    if not keys:
        return 0
    table = models.FiredAction
    with db_api.writer() as session:
        return session.execute(
            sa.delete(table).where(table.row_key.in_(keys))).rowcount
