"""Service: appointments, and staff with their working hours and calendar feed.

On PostgreSQL an exclusion constraint keeps one staff member's confirmed appointments from overlapping (btree_gist
lets the staff id share a GiST index with the time range). SQLite has no such constraint: bookings there are checked
inside the write transaction, which SQLite runs one at a time.

Revision ID: service_0005
Revises: service_0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0005"
down_revision = "service_0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_staff",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("calendar_id", ID, nullable=True),
        sa.Column("feed_token_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["core_user.id"], name=op.f("fk_service_staff_user_id_core_user")),
        sa.ForeignKeyConstraint(["calendar_id"], ["core_business_calendar.id"], name=op.f("fk_service_staff_calendar_id_core_business_calendar")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_service_staff")),
        sa.UniqueConstraint("feed_token_hash", name=op.f("uq_service_staff_feed_token_hash")),
    )
    op.create_table(
        "service_appointment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=True),
        sa.Column("ticket_id", ID, nullable=True),
        sa.Column("starts_at", TIME, nullable=False),
        sa.Column("ends_at", TIME, nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_service_appointment_customer_id_core_customer")),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_service_appointment_contact_id_core_contact")),
        sa.ForeignKeyConstraint(["ticket_id"], ["service_ticket.id"], name=op.f("fk_service_appointment_ticket_id_service_ticket")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_service_appointment_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_appointment")),
    )
    op.create_index("ix_service_appointment_owner_starts", "service_appointment", ["owner_id", "starts_at"])
    op.create_index("ix_service_appointment_customer", "service_appointment", ["customer_id", "starts_at"])
    op.create_index(op.f("ix_service_appointment_owner_id"), "service_appointment", ["owner_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute("ALTER TABLE service_appointment ADD CONSTRAINT ex_service_appointment_no_overlap EXCLUDE USING gist "
                   "(owner_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'confirmed' AND deleted_at IS NULL)")


def downgrade() -> None:
    op.drop_table("service_appointment")
    op.drop_table("service_staff")
