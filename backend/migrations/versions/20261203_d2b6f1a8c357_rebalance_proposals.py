"""rebalancing proposals: what-if moves with the team's figures before and after

Revision ID: d2b6f1a8c357
Revises: c4f8a2d6e913
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b6f1a8c357'
down_revision = 'c4f8a2d6e913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rebalance_proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('territory_id', sa.Integer(), nullable=True),
        sa.Column('territory_ids', sa.JSON(), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('solver', sa.JSON(), nullable=False),
        sa.Column('moves', sa.JSON(), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('per_rep', sa.JSON(), nullable=False),
        sa.Column('travel_before', sa.Float(), nullable=False),
        sa.Column('travel_after', sa.Float(), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_rebalance_proposals_created_by_id', 'rebalance_proposals', ['created_by_id']
    )
    op.create_index('ix_rebalance_proposals_territory_id', 'rebalance_proposals', ['territory_id'])


def downgrade():
    op.drop_index('ix_rebalance_proposals_territory_id', table_name='rebalance_proposals')
    op.drop_index('ix_rebalance_proposals_created_by_id', table_name='rebalance_proposals')
    op.drop_table('rebalance_proposals')
