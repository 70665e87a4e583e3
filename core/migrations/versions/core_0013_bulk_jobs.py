"""Bulk jobs: work on many records started by one request, with the records it works on and how each went.

Revision ID: core_0013
Revises: core_0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "core_0013"
down_revision = "core_0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "core_bulk_job",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("locked_until", TIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_core_bulk_job_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_bulk_job")),
    )
    op.create_index("ix_core_bulk_job_owner_id", "core_bulk_job", ["owner_id"])
    op.create_table(
        "core_bulk_item",
        sa.Column("job_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["core_bulk_job.id"], name=op.f("fk_core_bulk_item_job_id_core_bulk_job"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "record_id", name=op.f("pk_core_bulk_item")),
    )
    op.create_index("ix_core_bulk_item_state", "core_bulk_item", ["job_id", "state", "record_id"])


def downgrade() -> None:
    op.drop_table("core_bulk_item")
    op.drop_table("core_bulk_job")
