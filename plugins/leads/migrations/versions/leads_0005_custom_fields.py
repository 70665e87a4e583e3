"""Custom fields on leads (the core's mechanism: admins define them for the entity "lead").

Revision ID: leads_0005
Revises: leads_0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "leads_0005"
down_revision = "leads_0004"
branch_labels = None
depends_on = "core_0008"  # leads log activities before they have a customer

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("leads_lead") as batch:
        batch.add_column(sa.Column("custom_fields", JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("leads_lead") as batch:
        batch.drop_column("custom_fields")
