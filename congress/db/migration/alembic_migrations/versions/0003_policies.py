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

"""Policies and their rules; a de-duplication key on executions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import Timestamp

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('executions') as batch:
        batch.add_column(sa.Column('dedup_key', sa.String(64)))
        batch.create_unique_constraint('uniq_executions0dedup_key',
                                       ['dedup_key'])
    op.create_table(
        'policies',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('abbreviation', sa.String(5), nullable=False),
        sa.Column('description', sa.Text, nullable=False),
        sa.Column('owner_id', sa.String(255), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('created_at', Timestamp, nullable=False),
        sa.UniqueConstraint('name', name='uniq_policies0name'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_table(
        'policy_rules',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('policy_id', sa.String(36),
                  sa.ForeignKey('policies.id', ondelete='CASCADE',
                                name='fk_policy_rules0policy'),
                  nullable=False),
        sa.Column('rule', sa.Text, nullable=False),
        sa.Column('rule_hash', sa.String(64), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('comment', sa.Text),
        sa.Column('created_at', Timestamp, nullable=False),
        sa.UniqueConstraint('policy_id', 'rule_hash',
                            name='uniq_policy_rules0policy0hash'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_index('ix_policy_rules_policy', 'policy_rules',
                    ['policy_id', 'created_at'])
