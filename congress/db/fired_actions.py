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
