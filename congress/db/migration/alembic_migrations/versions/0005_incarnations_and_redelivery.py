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
