"""nurture: enrolments of people on tracks, and the steps done

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    op.create_table(
        'nurture_enrolments',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('person_id', Id, nullable=False),
        sa.Column('model', sa.String(length=100), nullable=False),
        sa.Column('track', sa.String(length=100), nullable=False),
        sa.Column('document_version', sa.Integer(), nullable=False),
        sa.Column('entry', sa.String(length=20), nullable=False),
        sa.Column('entry_stage', sa.String(length=50), nullable=True),
        sa.Column('final_stage', sa.String(length=50), nullable=True),
        sa.Column('enrolled_ts', sa.Double(), nullable=False),
        sa.Column('step_index', sa.Integer(), nullable=False),
        sa.Column('next_due_ts', sa.Double(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('exit_reason', sa.String(length=30), nullable=True),
        sa.Column('ended_ts', sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'], name=op.f('fk_nurture_enrolments_person_id_people')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nurture_enrolments')),
    )
    with op.batch_alter_table('nurture_enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_nurture_enrolments_person_id_model', ['person_id', 'model'], unique=False)
        batch_op.create_index(
            'ix_nurture_enrolments_status_next_due_ts', ['status', 'next_due_ts'], unique=False
        )
        batch_op.create_index(
            'uq_nurture_enrolments_active',
            ['person_id', 'model'],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
    op.create_table(
        'nurture_steps_done',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('enrolment_id', Id, nullable=False),
        sa.Column('step_index', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('done_ts', sa.Double(), nullable=False),
        sa.Column('outbox_id', Id, nullable=True),
        sa.ForeignKeyConstraint(
            ['enrolment_id'],
            ['nurture_enrolments.id'],
            name=op.f('fk_nurture_steps_done_enrolment_id_nurture_enrolments'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nurture_steps_done')),
        sa.UniqueConstraint(
            'enrolment_id', 'step_index', name=op.f('uq_nurture_steps_done_enrolment_id_step_index')
        ),
    )


def downgrade() -> None:
    op.drop_table('nurture_steps_done')
    with op.batch_alter_table('nurture_enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_nurture_enrolments_active')
        batch_op.drop_index('ix_nurture_enrolments_status_next_due_ts')
        batch_op.drop_index('ix_nurture_enrolments_person_id_model')
    op.drop_table('nurture_enrolments')
