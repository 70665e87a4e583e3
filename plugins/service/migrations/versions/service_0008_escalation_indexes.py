"""Service: indexes for the escalation job's picks, by stage then time (at 3M tickets the pick read every ticket
warned before: 0.3 s a batch).

Revision ID: service_0008
Revises: service_0007
Create Date: 2026-12-06
"""

from alembic import op

revision = "service_0008"
down_revision = "service_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_service_ticket_stage_warn", "service_ticket", ["sla_stage", "sla_warn_at"])
    op.create_index("ix_service_ticket_stage_due", "service_ticket", ["sla_stage", "sla_due_at"])


def downgrade() -> None:
    op.drop_index("ix_service_ticket_stage_due", "service_ticket")
    op.drop_index("ix_service_ticket_stage_warn", "service_ticket")
