"""accounts carry segment attributes: industry, size band, postal code, potential, locked

Revision ID: b7d2e9f31c40
Revises: a1c6e0d4b7f2
Create Date: 2026-12-02 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e9f31c40'
down_revision = 'a1c6e0d4b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('industry', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('size_band', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('postal_code', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('potential', sa.Float(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('locked', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index('ix_accounts_industry', ['industry'])
        batch_op.create_index('ix_accounts_postal_code', ['postal_code'])


def downgrade():
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_index('ix_accounts_postal_code')
        batch_op.drop_index('ix_accounts_industry')
        for column in ('locked', 'potential', 'postal_code', 'size_band', 'industry'):
            batch_op.drop_column(column)
