"""Library policies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

from congress.db.types import JsonText
from congress.db.types import Timestamp

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'library_policies',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('document', JsonText, nullable=False),
        sa.Column('created_at', Timestamp, nullable=False),
        sa.UniqueConstraint('name', name='uniq_library_policies0name'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4')
