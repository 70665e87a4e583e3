"""Service: whether a target was missed is derived (reached after its due time), not kept in its own columns.

Revision ID: service_0010
Revises: service_0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0010"
down_revision = "service_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_ticket") as batch:
        batch.drop_column("resolution_breached")
        batch.drop_column("first_response_breached")


def downgrade() -> None:
    with op.batch_alter_table("service_ticket") as batch:
        batch.add_column(sa.Column("first_response_breached", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("resolution_breached", sa.Boolean(), nullable=True))
    op.execute("UPDATE service_ticket SET first_response_breached = first_responded_at > first_response_due, "
               "resolution_breached = resolved_at > resolution_due")
