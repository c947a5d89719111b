"""pipeline: opportunities, stage and account status history, quotas, P.A.C.E., summaries

Revision ID: d8e4b1f6a2c7
Revises: d2b6f1a8c357
Create Date: 2026-12-03 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8e4b1f6a2c7'
down_revision = 'd2b6f1a8c357'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'opportunities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=100), nullable=True),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('stage', sa.String(length=16), nullable=False),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lost_reason', sa.String(length=500), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('external_id'),
    )
    op.create_index('ix_opportunities_owner_live', 'opportunities', ['owner_id', 'deleted_at'])
    op.create_index('ix_opportunities_account', 'opportunities', ['account_id'])
    op.create_index('ix_opportunities_closed_at', 'opportunities', ['closed_at'])
    op.create_index('ix_opportunities_created_at', 'opportunities', ['created_at'])
    op.create_table(
        'opportunity_stage_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('from_stage', sa.String(length=16), nullable=True),
        sa.Column('to_stage', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_opportunity_stage_history_opp_at', 'opportunity_stage_history', ['opportunity_id', 'at']
    )
    op.create_table(
        'account_status_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=16), nullable=True),
        sa.Column('to_status', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_account_status_history_account_at', 'account_status_history', ['account_id', 'at']
    )
    op.create_index(
        'ix_account_status_history_status_at', 'account_status_history', ['to_status', 'at']
    )
    op.create_table(
        'quotas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('rep_id', sa.Integer(), nullable=True),
        sa.Column('territory_id', sa.Integer(), nullable=True),
        sa.Column('revenue', sa.Float(), nullable=False),
        sa.Column('new_accounts', sa.Integer(), nullable=False),
        sa.Column('activity', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('period', 'rep_id', 'territory_id', name='uq_quotas_period_target'),
    )
    op.create_index('ix_quotas_period', 'quotas', ['period'])
    op.create_table(
        'pace_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rep_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('passion', sa.Integer(), nullable=False),
        sa.Column('awareness', sa.Integer(), nullable=False),
        sa.Column('curiosity', sa.Integer(), nullable=False),
        sa.Column('energy', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('rated_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['rated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rep_id', 'period', name='uq_pace_ratings_rep_period'),
    )
    op.create_table(
        'summary_emails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('manager_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['manager_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('manager_id', 'period', name='uq_summary_emails'),
    )


def downgrade():
    op.drop_table('summary_emails')
    op.drop_table('pace_ratings')
    op.drop_index('ix_quotas_period', table_name='quotas')
    op.drop_table('quotas')
    op.drop_index('ix_account_status_history_status_at', table_name='account_status_history')
    op.drop_index('ix_account_status_history_account_at', table_name='account_status_history')
    op.drop_table('account_status_history')
    op.drop_index('ix_opportunity_stage_history_opp_at', table_name='opportunity_stage_history')
    op.drop_table('opportunity_stage_history')
    op.drop_index('ix_opportunities_created_at', table_name='opportunities')
    op.drop_index('ix_opportunities_closed_at', table_name='opportunities')
    op.drop_index('ix_opportunities_account', table_name='opportunities')
    op.drop_index('ix_opportunities_owner_live', table_name='opportunities')
    op.drop_table('opportunities')
