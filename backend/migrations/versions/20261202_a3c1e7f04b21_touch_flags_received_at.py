"""touches: received_at and review flags (visits kept for reassigned/deleted accounts, bad clocks)

Revision ID: a3c1e7f04b21
Revises: f59333da7c6b
Create Date: 2026-12-02 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c1e7f04b21'
down_revision = 'f59333da7c6b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('touches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flags', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('touches', schema=None) as batch_op:
        batch_op.drop_column('flags')
        batch_op.drop_column('received_at')
