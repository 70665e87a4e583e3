"""Assignment rules, for every module that gives new records an owner (crm.assign).

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "core_assignment_rule",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("user_ids", JSON, nullable=False),
        sa.Column("team_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("turn", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["core_team.id"], name=op.f("fk_core_assignment_rule_team_id_core_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_assignment_rule")),
    )
    op.create_index(op.f("ix_core_assignment_rule_resource"), "core_assignment_rule", ["resource"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_core_assignment_rule_resource"), table_name="core_assignment_rule")
    op.drop_table("core_assignment_rule")
