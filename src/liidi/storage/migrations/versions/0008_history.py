"""dated history and deals: an amount on stage changes, an owner on opportunities

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lifecycle_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount', sa.Double(), nullable=True))
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_column('owner')
    with op.batch_alter_table('lifecycle_history', schema=None) as batch_op:
        batch_op.drop_column('amount')
