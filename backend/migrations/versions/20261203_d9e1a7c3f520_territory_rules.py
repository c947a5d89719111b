"""territory rules, and the rule that placed each account

Revision ID: d9e1a7c3f520
Revises: d8e4b1f6a2c7
Create Date: 2026-12-03 09:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d9e1a7c3f520"
down_revision = "d8e4b1f6a2c7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "territory_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("size_bands", sa.JSON(), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("postal_prefixes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_territory_rules_territory_id_territories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_rules")),
    )
    op.create_index(
        "ix_territory_rules_territory_position", "territory_rules", ["territory_id", "position"]
    )
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(sa.Column("territory_rule_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_accounts_territory_rule_id_territory_rules"),
            "territory_rules",
            ["territory_rule_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_accounts_territory_rule_id_territory_rules"), type_="foreignkey"
        )
        batch_op.drop_column("territory_rule_id")
    op.drop_index("ix_territory_rules_territory_position", table_name="territory_rules")
    op.drop_table("territory_rules")
