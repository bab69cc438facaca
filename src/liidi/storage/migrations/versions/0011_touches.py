"""sales touches: calls, e-mails, meetings and notes by sales, each from the API, the CLI or an event

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'touches',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('occurred_ts', sa.Double(), nullable=False),
        sa.Column('actor', sa.String(length=254), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('event_id', sa.String(length=200), nullable=True),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_touches_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_touches')),
        sa.UniqueConstraint('event_id', name=op.f('uq_touches_event_id')),
    )
    with op.batch_alter_table('touches', schema=None) as batch_op:
        batch_op.create_index('ix_touches_person_id_occurred_ts', ['person_id', 'occurred_ts'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('touches', schema=None) as batch_op:
        batch_op.drop_index('ix_touches_person_id_occurred_ts')
    op.drop_table('touches')
