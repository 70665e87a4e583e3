"""Service: drop the (status, resolution_due) index, which no query uses (ticketsAtRisk and the escalation job read
sla_due_at and the stage indexes): one index less for every ticket update to keep.

Revision ID: service_0009
Revises: service_0008
Create Date: 2026-12-06
"""

from alembic import op

revision = "service_0009"
down_revision = "service_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_service_ticket_status_due", "service_ticket")


def downgrade() -> None:
    op.create_index("ix_service_ticket_status_due", "service_ticket", ["status", "resolution_due"])

