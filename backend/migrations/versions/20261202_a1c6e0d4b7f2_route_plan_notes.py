"""route plans carry the planner's notes

Revision ID: a1c6e0d4b7f2
Revises: 3c1e7a9b5d20
Create Date: 2026-12-02 15:42:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c6e0d4b7f2'
down_revision = '3c1e7a9b5d20'
branch_labels = None
depends_on = None


def upgrade():
    # Existing routes get an empty list; new rows get theirs from the application.
    op.add_column('route_plans', sa.Column('notes', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('route_plans') as batch_op:
        batch_op.drop_column('notes')
