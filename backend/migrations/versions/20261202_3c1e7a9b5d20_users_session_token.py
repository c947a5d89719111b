"""users.session_token: logout ends the session server-side

Revision ID: 3c1e7a9b5d20
Revises: a3c1e7f04b21
Create Date: 2026-12-02 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "3c1e7a9b5d20"
down_revision = "a3c1e7f04b21"
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get an empty token; sessions issued before the upgrade end once (new id
    # format), so every user logs in again after it.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_token", sa.String(length=32), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_token")
