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

"""Enforcement modes of policies (enforce, audit, approve) and their
changes; who created each rule; on execution records the policy owner and
who approved or rejected an action awaiting approval, and a status column
wide enough for "awaiting-approval".

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import Timestamp

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('policies',
                  sa.Column('enforcement', sa.String(16), nullable=False,
                            server_default='enforce'))
    op.add_column('policy_rules', sa.Column('user_id', sa.String(255)))
    op.add_column('policy_rules', sa.Column('project_id', sa.String(255)))
    with op.batch_alter_table('executions') as batch:
        batch.alter_column('status', type_=sa.String(32),
                           existing_type=sa.String(16),
                           existing_nullable=False)
        batch.add_column(sa.Column('policy_owner', sa.String(255)))
        batch.add_column(sa.Column('decided_by', sa.String(255)))
        batch.add_column(sa.Column('decided_at', Timestamp))
    op.create_table(
        'policy_enforcement_changes',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('policy_id', sa.String(36),
                  sa.ForeignKey('policies.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('old_mode', sa.String(16), nullable=False),
        sa.Column('new_mode', sa.String(16), nullable=False),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('changed_at', Timestamp, nullable=False),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_index('ix_policy_enforcement_changes_policy',
                    'policy_enforcement_changes',
                    ['policy_id', 'changed_at'])
