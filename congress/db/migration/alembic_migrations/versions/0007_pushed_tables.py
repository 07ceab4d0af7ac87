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

"""The rows pushed to data sources whose driver keeps them
(``persist_data``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import JsonText
from congress.db.types import Timestamp

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pushed_tables',
        sa.Column('datasource_id', sa.String(36), primary_key=True),
        sa.Column('table_name', sa.String(255), primary_key=True),
        sa.Column('rows', JsonText, nullable=False),
        sa.Column('updated_at', Timestamp, nullable=False),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
