"""batch score identities: each batch row carries the person's e-mail and external id

Revision ID: 0009
Revises: 0008

Rows already stored get the person's current e-mail and first external id.
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('batch_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('external_id', sa.String(length=254), nullable=True))
    op.execute(
        "UPDATE batch_scores SET "
        "email = (SELECT p.email FROM people p WHERE p.id = batch_scores.person_id), "
        "external_id = (SELECT i.value FROM identities i WHERE i.person_id = batch_scores.person_id "
        "AND i.kind = 'external_id' ORDER BY i.id LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table('batch_scores', schema=None) as batch_op:
        batch_op.drop_column('external_id')
        batch_op.drop_column('email')
