"""Opportunity lines say which is the deal's first line of its product (per-product analysis counts deals there).

Revision ID: sales_0007
Revises: sales_0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "sales_0007"
down_revision = "sales_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_opportunity_line") as batch:
        batch.add_column(sa.Column("product_first", sa.Boolean(), nullable=False, server_default=sa.true()))
    # Few deals have two lines of one product: only those later lines change.
    op.execute("""UPDATE sales_opportunity_line SET product_first = false WHERE product_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM sales_opportunity_line earlier WHERE earlier.opportunity_id = sales_opportunity_line.opportunity_id
        AND earlier.product_id = sales_opportunity_line.product_id AND earlier.id < sales_opportunity_line.id)""")


def downgrade() -> None:
    with op.batch_alter_table("sales_opportunity_line") as batch:
        batch.drop_column("product_first")
