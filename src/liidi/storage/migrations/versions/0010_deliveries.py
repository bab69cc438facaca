"""deliveries: webhook and Slack subscriptions, and each outbox message's delivery to each target

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'subscriptions',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=True),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.Column('removed_ts', sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    )
    op.create_table(
        'deliveries',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('outbox_id', Id, nullable=False),
        sa.Column('target', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('subscription_id', Id, nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_ts', sa.Double(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('delivered_ts', sa.Double(), nullable=True),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_deliveries_outbox_id_outbox')),
        sa.ForeignKeyConstraint(
            ['subscription_id'], ['subscriptions.id'], name=op.f('fk_deliveries_subscription_id_subscriptions')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
        sa.UniqueConstraint('outbox_id', 'target', name=op.f('uq_deliveries_outbox_id_target')),
    )


def downgrade() -> None:
    op.drop_table('deliveries')
    op.drop_table('subscriptions')
