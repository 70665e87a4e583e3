"""Scoring rules, and the reasons behind each lead's score.

Revision ID: leads_0004
Revises: leads_0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "leads_0004"
down_revision = "leads_0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leads_scoring_rule",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("operator", sa.String(length=15), nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_scoring_rule")),
    )
    with op.batch_alter_table("leads_lead") as batch:
        batch.add_column(sa.Column("score_reasons", JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("leads_lead") as batch:
        batch.drop_column("score_reasons")
    op.drop_table("leads_scoring_rule")
