"""plans: the reverse-funnel plan of each period, its rates, stage counts and lags

Revision ID: 0015
Revises: 0014
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'plans',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('revenue', sa.Double(), nullable=False),
        sa.Column('deal_size', sa.Double(), nullable=False),
        sa.Column('contacts', sa.BigInteger(), nullable=False),
        sa.Column('meetings', sa.BigInteger(), nullable=False),
        sa.Column('proposals', sa.BigInteger(), nullable=False),
        sa.Column('deals', sa.BigInteger(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('author', sa.String(length=254), nullable=False),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.Column('updated_ts', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
        sa.UniqueConstraint('period', name=op.f('uq_plans_period')),
    )


def downgrade() -> None:
    op.drop_table('plans')
