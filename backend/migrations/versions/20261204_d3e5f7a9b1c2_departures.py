"""rep departures and account handovers (the transition window)

Revision ID: d3e5f7a9b1c2
Revises: d9e1a7c3f520
Create Date: 2026-12-03 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3e5f7a9b1c2'
down_revision = 'd9e1a7c3f520'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'territory_departures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rep_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('strategy', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('transition_until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('moves', sa.Integer(), nullable=False),
        sa.Column('by_owner', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_territory_departures_rep_id', 'territory_departures', ['rep_id'])
    op.create_index(
        'ix_territory_departures_transition_until', 'territory_departures', ['transition_until']
    )
    op.create_table(
        'account_handovers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('departure_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('from_rep_id', sa.Integer(), nullable=False),
        sa.Column('to_rep_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('intro_due', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['departure_id'], ['territory_departures.id'], ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(['from_rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['to_rep_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_account_handovers_departure_id', 'account_handovers', ['departure_id'])
    op.create_index(
        'ix_account_handovers_from_until', 'account_handovers', ['from_rep_id', 'until']
    )
    op.create_index(
        'ix_account_handovers_to_intro', 'account_handovers', ['to_rep_id', 'intro_due']
    )


def downgrade():
    op.drop_index('ix_account_handovers_to_intro', table_name='account_handovers')
    op.drop_index('ix_account_handovers_from_until', table_name='account_handovers')
    op.drop_index('ix_account_handovers_departure_id', table_name='account_handovers')
    op.drop_table('account_handovers')
    op.drop_index('ix_territory_departures_transition_until', table_name='territory_departures')
    op.drop_index('ix_territory_departures_rep_id', table_name='territory_departures')
    op.drop_table('territory_departures')
