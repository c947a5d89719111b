"""follow-ups marked done: when the rep marked a touch's follow-up done

Revision ID: f3b8d1e5a9c4
Revises: e7c1a4b9d2f6
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d1e5a9c4'
down_revision = 'e7c1a4b9d2f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('touches') as batch:
        batch.add_column(sa.Column('follow_up_done_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('touches') as batch:
        batch.drop_column('follow_up_done_at')
