"""calendar feeds (private iCalendar URL per rep) and follow-up dates on touches

Revision ID: e7c1a4b9d2f6
Revises: e1a4c7b9d2f6
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7c1a4b9d2f6'
down_revision = 'e1a4c7b9d2f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name='fk_calendar_feeds_user_id_users', ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_calendar_feeds'),
        sa.UniqueConstraint('token_sha256', name='uq_calendar_feeds_token_sha256'),
    )
    op.create_index('ix_calendar_feeds_user_id', 'calendar_feeds', ['user_id'], unique=True)
    with op.batch_alter_table('touches') as batch:
        batch.add_column(sa.Column('next_step_on', sa.Date(), nullable=True))
        batch.create_index('ix_touches_next_step_on', ['next_step_on'])


def downgrade():
    with op.batch_alter_table('touches') as batch:
        batch.drop_index('ix_touches_next_step_on')
        batch.drop_column('next_step_on')
    op.drop_index('ix_calendar_feeds_user_id', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
