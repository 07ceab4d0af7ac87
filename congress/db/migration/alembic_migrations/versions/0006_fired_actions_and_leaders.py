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

"""The engines' fired set and the advertised leaders; executions lose the
cause-based de-duplication key the fired set replaces.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import Timestamp

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'fired_actions',
        sa.Column('row_key', sa.String(64), primary_key=True),
        sa.Column('policy', sa.String(255), nullable=False),
        sa.Column('execution_id', sa.String(36), nullable=False),
        sa.Column('created_at', Timestamp, nullable=False),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_table(
        'dse_leaders',
        sa.Column('bus_id', sa.String(255), primary_key=True),
        sa.Column('role', sa.String(255), primary_key=True),
        sa.Column('node_id', sa.String(255), nullable=False),
        sa.Column('elected_at', Timestamp, nullable=False),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    with op.batch_alter_table('executions') as batch:
        batch.drop_constraint('uniq_executions0dedup_key', type_='unique')
        batch.drop_column('dedup_key')
