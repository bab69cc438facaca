"""outbox delivery: a status (pending, delivered, dead) and a lease, so several workers can claim rows

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.Double(), nullable=True))
        batch_op.drop_index('ix_outbox_pending')
        batch_op.create_index('ix_outbox_due', ['status', 'available_ts'], unique=False)
    op.execute("UPDATE outbox SET status = 'delivered' WHERE delivered_ts IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.create_index('ix_outbox_pending', ['delivered_ts', 'available_ts'], unique=False)
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('status')
