"""Indexes for case-insensitive region and industry filters.

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_core_customer_region_ci", "core_customer", [sa.text("lower(region)")])
    op.create_index("ix_core_customer_industry_ci", "core_customer", [sa.text("lower(industry)")])


def downgrade() -> None:
    op.drop_index("ix_core_customer_industry_ci", table_name="core_customer")
    op.drop_index("ix_core_customer_region_ci", table_name="core_customer")
