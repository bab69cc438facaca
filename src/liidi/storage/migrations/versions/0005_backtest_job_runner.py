"""backtest job runner: the server process that started a job, so a restart can fail interrupted jobs

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('backtest_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runner', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('backtest_jobs', schema=None) as batch_op:
        batch_op.drop_column('runner')
