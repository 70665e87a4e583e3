"""Service: tickets, their history, SLA policies.

Revision ID: service_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "service_0001"
down_revision = None
branch_labels = ("service",)
depends_on = "core_0014"  # business calendars

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_sla_policy",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("calendar_id", ID, nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["calendar_id"], ["core_business_calendar.id"],
                                name=op.f("fk_service_sla_policy_calendar_id_core_business_calendar")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_sla_policy")),
    )
    op.create_table(
        "service_ticket",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sla_policy_id", ID, nullable=True),
        sa.Column("first_response_due", TIME, nullable=True),
        sa.Column("resolution_due", TIME, nullable=True),
        sa.Column("first_responded_at", TIME, nullable=True),
        sa.Column("resolved_at", TIME, nullable=True),
        sa.Column("paused_since", TIME, nullable=True),
        sa.Column("custom_fields", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_service_ticket_customer_id_core_customer")),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_service_ticket_contact_id_core_contact")),
        sa.ForeignKeyConstraint(["sla_policy_id"], ["service_sla_policy.id"], name=op.f("fk_service_ticket_sla_policy_id_service_sla_policy")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_service_ticket_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_ticket")),
        sa.UniqueConstraint("number", name=op.f("uq_service_ticket_number")),
    )
    op.create_index("ix_service_ticket_customer", "service_ticket", ["customer_id", "created_at"])
    op.create_index("ix_service_ticket_owner_status", "service_ticket", ["owner_id", "status"])
    op.create_index("ix_service_ticket_status_due", "service_ticket", ["status", "resolution_due"])
    op.create_index(op.f("ix_service_ticket_owner_id"), "service_ticket", ["owner_id"])
    op.create_table(
        "service_ticket_event",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("actor_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["service_ticket.id"], name=op.f("fk_service_ticket_event_ticket_id_service_ticket"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_service_ticket_event_actor_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_ticket_event")),
    )
    op.create_index("ix_service_ticket_event_ticket", "service_ticket_event", ["ticket_id", "at"])


def downgrade() -> None:
    op.drop_table("service_ticket_event")
    op.drop_table("service_ticket")
    op.drop_table("service_sla_policy")
