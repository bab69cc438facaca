"""routing: configuration documents (routing, sla, nurture) and the assignments of leads to reps

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'config_documents',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('author', sa.String(length=254), nullable=False),
        sa.Column('created_ts', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_config_documents')),
        sa.UniqueConstraint('kind', 'version', name=op.f('uq_config_documents_kind_version')),
    )
    op.create_table(
        'assignments',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('person_id', Id, nullable=False),
        sa.Column('owner', sa.String(length=254), nullable=True),
        sa.Column('team', sa.String(length=100), nullable=True),
        sa.Column('rule', sa.String(length=200), nullable=True),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('motion', sa.String(length=20), nullable=True),
        sa.Column('actor', sa.String(length=254), nullable=False),
        sa.Column('routing_version', sa.Integer(), nullable=True),
        sa.Column('assigned_ts', sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'], name=op.f('fk_assignments_person_id_people')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    )
    op.create_index(op.f('ix_assignments_person_id'), 'assignments', ['person_id'], unique=False)
    op.create_index('ix_assignments_owner_assigned_ts', 'assignments', ['owner', 'assigned_ts'], unique=False)
    op.create_index('ix_assignments_assigned_ts', 'assignments', ['assigned_ts'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_assignments_assigned_ts', table_name='assignments')
    op.drop_index('ix_assignments_owner_assigned_ts', table_name='assignments')
    op.drop_index(op.f('ix_assignments_person_id'), table_name='assignments')
    op.drop_table('assignments')
    op.drop_table('config_documents')
