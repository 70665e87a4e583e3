"""Service: a ticket closed as the duplicate of another points at it.

Revision ID: service_0004
Revises: service_0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0004"
down_revision = "service_0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("service_ticket") as batch:
        batch.add_column(sa.Column("merged_into_id", ID, nullable=True))
        batch.create_foreign_key(op.f("fk_service_ticket_merged_into_id_service_ticket"), "service_ticket", ["merged_into_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("service_ticket") as batch:
        batch.drop_constraint(op.f("fk_service_ticket_merged_into_id_service_ticket"), type_="foreignkey")
        batch.drop_column("merged_into_id")
