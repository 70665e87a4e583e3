"""Indexes for keyset pages of customers in name and update order.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_core_customer_name_order", "core_customer", ["search_name", "id"])
    op.create_index("ix_core_customer_updated", "core_customer", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_core_customer_updated", table_name="core_customer")
    op.drop_index("ix_core_customer_name_order", table_name="core_customer")
