"""sla clocks: a response-SLA clock per hand-over, its warning, breach and escalation steps

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'sla_clocks',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('person_id', Id, nullable=False),
        sa.Column('policy', sa.String(length=100), nullable=False),
        sa.Column('sla_version', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=254), nullable=False),
        sa.Column('team', sa.String(length=100), nullable=True),
        sa.Column('motion', sa.String(length=20), nullable=True),
        sa.Column('qualified_by', sa.String(length=20), nullable=True),
        sa.Column('started_ts', sa.Double(), nullable=False),
        sa.Column('due_ts', sa.Double(), nullable=False),
        sa.Column('warning_ts', sa.Double(), nullable=True),
        sa.Column('first_touch_ts', sa.Double(), nullable=True),
        sa.Column('warned_ts', sa.Double(), nullable=True),
        sa.Column('breached_ts', sa.Double(), nullable=True),
        sa.Column('escalation_step', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('closed_ts', sa.Double(), nullable=True),
        sa.Column('next_ts', sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sla_clocks_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_clocks')),
    )
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_clocks_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_sla_clocks_status_next_ts', ['status', 'next_ts'], unique=False)
        batch_op.create_index('ix_sla_clocks_owner_status', ['owner', 'status'], unique=False)
        batch_op.create_index('ix_sla_clocks_started_ts', ['started_ts'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_clocks_started_ts')
        batch_op.drop_index('ix_sla_clocks_owner_status')
        batch_op.drop_index('ix_sla_clocks_status_next_ts')
        batch_op.drop_index(batch_op.f('ix_sla_clocks_person_id'))
    op.drop_table('sla_clocks')
