"""Saved views: named filters and orders of lists, per user, shareable with a team.

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "core_0012"
down_revision = "core_0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "core_saved_view",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("list", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("filter", JSON, nullable=False),
        sa.Column("order_by", JSON, nullable=True),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_core_saved_view_owner_id_core_user")),
        sa.ForeignKeyConstraint(["team_id"], ["core_team.id"], name=op.f("fk_core_saved_view_team_id_core_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_saved_view")),
    )
    op.create_index("ix_core_saved_view_owner_id", "core_saved_view", ["owner_id"])
    op.create_index("ix_core_saved_view_team", "core_saved_view", ["team_id", "list"])
    op.create_index("uq_core_saved_view_name", "core_saved_view", ["owner_id", "list", "name"], unique=True,
                    postgresql_where=sa.text("deleted_at IS NULL"), sqlite_where=sa.text("deleted_at IS NULL"))


def downgrade() -> None:
    op.drop_table("core_saved_view")
