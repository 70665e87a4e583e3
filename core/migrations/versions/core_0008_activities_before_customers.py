"""An activity may be about a record with no customer yet (a lead): core_activity.customer_id may be null.

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("core_activity") as batch:  # PostgreSQL: one ALTER; SQLite rebuilds the table
        batch.alter_column("customer_id", existing_type=ID, nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM core_activity_contact WHERE activity_id IN (SELECT id FROM core_activity WHERE customer_id IS NULL)")
    op.execute("DELETE FROM core_activity WHERE customer_id IS NULL")
    with op.batch_alter_table("core_activity") as batch:
        batch.alter_column("customer_id", existing_type=ID, nullable=False)
