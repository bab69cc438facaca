"""attribute types: the one type of each person or account attribute, set when it is first seen

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attribute_types',
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('type', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('first_seen_ts', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'name', name=op.f('pk_attribute_types')),
    )


def downgrade() -> None:
    op.drop_table('attribute_types')
