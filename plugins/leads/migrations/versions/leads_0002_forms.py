"""Web forms that create leads.

Revision ID: leads_0002
Revises: leads_0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "leads_0002"
down_revision = "leads_0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leads_form",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("pool_id", ID, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("campaign", sa.String(length=200), nullable=True),
        sa.Column("redirect_url", sa.String(length=500), nullable=True),
        sa.Column("honeypot", sa.String(length=50), nullable=False),
        sa.Column("per_address_per_hour", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["leads_pool.id"], name=op.f("fk_leads_form_pool_id_leads_pool")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_form")),
        sa.UniqueConstraint("key", name=op.f("uq_leads_form_key")),
    )


def downgrade() -> None:
    op.drop_table("leads_form")
