"""weekly pacing: notes per ISO week and tasks (a playbook's play, once per playbook and period); stage changes indexed by time

Revision ID: 0016
Revises: 0015
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'week_notes',
        sa.Column('week', sa.String(length=8), nullable=False),
        sa.Column('done', sa.Text(), nullable=True),
        sa.Column('next', sa.Text(), nullable=True),
        sa.Column('author', sa.String(length=254), nullable=False),
        sa.Column('updated_ts', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('week', name=op.f('pk_week_notes')),
    )
    op.create_table(
        'tasks',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('owner', sa.String(length=254), nullable=True),
        sa.Column('playbook', sa.String(length=100), nullable=True),
        sa.Column('period', sa.String(length=8), nullable=True),
        sa.Column('due_period', sa.String(length=8), nullable=True),
        sa.Column('plan_version', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.Column('outbox_id', Id, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
        sa.UniqueConstraint('playbook', 'period', name=op.f('uq_tasks_playbook_period')),
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_status_created_ts', ['status', 'created_ts'], unique=False)
    with op.batch_alter_table('lifecycle_history', schema=None) as batch_op:
        batch_op.create_index('ix_lifecycle_history_occurred_ts', ['occurred_ts'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lifecycle_history', schema=None) as batch_op:
        batch_op.drop_index('ix_lifecycle_history_occurred_ts')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_created_ts')
    op.drop_table('tasks')
    op.drop_table('week_notes')
