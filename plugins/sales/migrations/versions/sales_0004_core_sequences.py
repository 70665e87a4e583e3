"""Quote and order numbers come from the core's sequences (crm.next_number): the counters move there.

Revision ID: sales_0004
Revises: sales_0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "sales_0004"
down_revision = "sales_0003"
branch_labels = None
depends_on = "core_0006"


def upgrade() -> None:
    op.execute("INSERT INTO core_sequence (name, period, value) SELECT name, '', value FROM sales_sequence")
    op.drop_table("sales_sequence")


def downgrade() -> None:
    op.create_table("sales_sequence", sa.Column("name", sa.String(length=20), nullable=False),
                    sa.Column("value", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("name", name=op.f("pk_sales_sequence")))
    op.execute("INSERT INTO sales_sequence (name, value) SELECT name, value FROM core_sequence WHERE name IN ('quote', 'order') AND period = ''")
