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

"""Execution records and the bus service directory.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import JsonText
from congress.db.types import Timestamp

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'executions',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('service', sa.String(255), nullable=False),
        sa.Column('action', sa.String(255), nullable=False),
        sa.Column('args', JsonText, nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('origin', sa.String(16), nullable=False),
        sa.Column('policy', sa.String(255)),
        sa.Column('rule_id', sa.String(36)),
        sa.Column('why', JsonText),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('request_id', sa.String(255)),
        sa.Column('worker', sa.String(255)),
        sa.Column('result', JsonText),
        sa.Column('error', sa.Text),
        sa.Column('created_at', Timestamp, nullable=False),
        sa.Column('updated_at', Timestamp, nullable=False),
        sa.Column('expires_at', Timestamp, nullable=False),
        sa.Column('started_at', Timestamp),
        sa.Column('finished_at', Timestamp),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_index('ix_executions_status_expires', 'executions',
                    ['status', 'expires_at'])
    op.create_index('ix_executions_service_created', 'executions',
                    ['service', 'created_at'])
    op.create_index('ix_executions_created', 'executions',
                    ['created_at', 'id'])

    op.create_table(
        'dse_services',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('bus_id', sa.String(255), nullable=False),
        sa.Column('service', sa.String(255), nullable=False),
        sa.Column('node_id', sa.String(255), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('actions', JsonText, nullable=False),
        sa.Column('started_at', Timestamp, nullable=False),
        sa.Column('heartbeat_at', Timestamp, nullable=False),
        sa.UniqueConstraint('bus_id', 'service', 'node_id',
                            name='uniq_dse_services0bus0service0node'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
    op.create_index('ix_dse_services_node', 'dse_services',
                    ['bus_id', 'node_id'])
