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

"""Exemptions from policies, the share-of-table limit of a policy, and an
index for the hourly count of the actions a rule fired.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import JsonText
from congress.db.types import Timestamp

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exemptions',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('policy', sa.String(255), nullable=False),
        sa.Column('rule_id', sa.String(36)),
        sa.Column('action', sa.String(255)),
        sa.Column('args', JsonText, nullable=False),
        sa.Column('reason', sa.Text, nullable=False),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('created_at', Timestamp, nullable=False),
        sa.Column('expires_at', Timestamp, nullable=False),
    )
    op.create_index('ix_exemptions_policy_expires', 'exemptions',
                    ['policy', 'expires_at'])
    op.create_index('ix_exemptions_created', 'exemptions',
                    ['created_at', 'id'])
    op.add_column('policies',
                  sa.Column('max_table_share_percent', sa.Float))
    op.create_index('ix_executions_rule_created', 'executions',
                    ['rule_id', 'created_at'])
    op.create_index('ix_executions_finished', 'executions',
                    ['finished_at'])
