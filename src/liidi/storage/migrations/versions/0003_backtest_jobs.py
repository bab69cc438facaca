"""backtest jobs

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('backtest_jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Double(), server_default='0', nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_ts', sa.Double(), nullable=False),
    sa.Column('started_ts', sa.Double(), nullable=True),
    sa.Column('finished_ts', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backtest_jobs'))
    )


def downgrade() -> None:
    op.drop_table('backtest_jobs')
