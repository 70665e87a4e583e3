"""Custom fields on opportunities (the core's mechanism: definitions for the entity `opportunity`, values in JSON).

Revision ID: sales_0006
Revises: sales_0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "sales_0006"
down_revision = "sales_0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting a million deals.
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.add_column(sa.Column("custom_fields", JSON, nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.drop_column("custom_fields")
