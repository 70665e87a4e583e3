"""Widgets.

Revision ID: example_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "example_0001"
down_revision = None
branch_labels = ("example",)
depends_on = "core_0001"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "example_widget",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_example_widget_customer_id_core_customer")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_example_widget_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_widget")),
    )
    op.create_index(op.f("ix_example_widget_customer_id"), "example_widget", ["customer_id"])
    op.create_index(op.f("ix_example_widget_owner_id"), "example_widget", ["owner_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_example_widget_owner_id"), table_name="example_widget")
    op.drop_index(op.f("ix_example_widget_customer_id"), table_name="example_widget")
    op.drop_table("example_widget")
