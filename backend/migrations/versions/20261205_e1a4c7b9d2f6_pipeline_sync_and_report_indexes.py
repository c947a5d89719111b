"""offline-created deals (client_id) and indexes for the performance report

Revision ID: e1a4c7b9d2f6
Revises: d3e5f7a9b1c2
Create Date: 2026-12-03 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a4c7b9d2f6'
down_revision = 'd3e5f7a9b1c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('opportunities') as batch:
        batch.add_column(sa.Column('client_id', sa.String(length=36), nullable=True))
        batch.create_unique_constraint('uq_opportunities_client_id', ['client_id'])
    # The performance report of a manager: their accounts' touches counted from the index alone.
    op.create_index(
        'ix_touches_account_date_cover',
        'touches',
        ['account_id', 'local_date'],
        postgresql_include=['type', 'rep_id'],
    )


def downgrade():
    op.drop_index('ix_touches_account_date_cover', table_name='touches')
    with op.batch_alter_table('opportunities') as batch:
        batch.drop_constraint('uq_opportunities_client_id', type_='unique')
        batch.drop_column('client_id')
