"""Attachments: files of records and their versions (the bytes are in the storage backend).

Revision ID: core_0011
Revises: core_0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0011"
down_revision = "core_0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "core_attachment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("latest", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_attachment")),
    )
    op.create_index("ix_core_attachment_record", "core_attachment", ["resource", "record_id", "name"])
    op.create_table(
        "core_attachment_version",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("attachment_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=150), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by", ID, nullable=True),
        sa.Column("uploaded_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["core_attachment.id"], name=op.f("fk_core_attachment_version_attachment_id_core_attachment"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["core_user.id"], name=op.f("fk_core_attachment_version_uploaded_by_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_attachment_version")),
        sa.UniqueConstraint("attachment_id", "number", name=op.f("uq_core_attachment_version_attachment_id")),
    )


def downgrade() -> None:
    op.drop_table("core_attachment_version")
    op.drop_index("ix_core_attachment_record", table_name="core_attachment")
    op.drop_table("core_attachment")
