"""Service: SLA policies for the customers with a tag (VIP support).

Revision ID: service_0006
Revises: service_0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0006"
down_revision = "service_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_sla_policy") as batch:
        batch.add_column(sa.Column("customer_tag", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_sla_policy") as batch:
        batch.drop_column("customer_tag")
