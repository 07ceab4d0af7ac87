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

"""Worker incarnations, redelivery of accepted executions, in-doubt
failures.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import Timestamp

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('executions', sa.Column('incarnation', sa.String(32)))
    op.add_column('executions', sa.Column('cast_at', Timestamp))
    op.add_column('executions', sa.Column('payload', sa.Text))
    op.add_column('executions', sa.Column('in_doubt', sa.Boolean,
                                          nullable=False,
                                          server_default=sa.false()))
    op.add_column('dse_services', sa.Column('incarnation', sa.String(32)))
