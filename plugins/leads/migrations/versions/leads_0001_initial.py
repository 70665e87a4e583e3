"""Leads: pools and their members, leads with their channels and history.

Revision ID: leads_0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "leads_0001"
down_revision = None
branch_labels = ("leads",)
depends_on = "core_0007"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def _record() -> list:
    return [sa.Column("created_at", TIME, nullable=False), sa.Column("updated_at", TIME, nullable=False),
            sa.Column("deleted_at", TIME, nullable=True), sa.Column("version", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "leads_pool",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("claim_limit", sa.Integer(), nullable=True),
        sa.Column("recycle_after_days", sa.Integer(), nullable=True),
        sa.Column("convert_within_days", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_record(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_pool")),
        sa.UniqueConstraint("name", name=op.f("uq_leads_pool_name")),
    )
    op.create_table(
        "leads_pool_member",
        sa.Column("pool_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["leads_pool.id"], name=op.f("fk_leads_pool_member_pool_id_leads_pool"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["core_user.id"], name=op.f("fk_leads_pool_member_user_id_core_user")),
        sa.PrimaryKeyConstraint("pool_id", "user_id", name=op.f("pk_leads_pool_member")),
    )
    op.create_index(op.f("ix_leads_pool_member_user_id"), "leads_pool_member", ["user_id"], unique=False)
    op.create_table(
        "leads_lead",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("company_name", sa.String(length=300), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("emails", JSON, nullable=False),
        sa.Column("phones", JSON, nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("campaign", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("pool_id", ID, nullable=True),
        sa.Column("claimed_at", TIME, nullable=True),
        sa.Column("last_follow_up_at", TIME, nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("disqualify_reason", sa.String(length=500), nullable=True),
        sa.Column("converted_at", TIME, nullable=True),
        sa.Column("customer_id", ID, nullable=True),
        sa.Column("contact_id", ID, nullable=True),
        *_record(),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_leads_lead_owner_id_core_user")),
        sa.ForeignKeyConstraint(["pool_id"], ["leads_pool.id"], name=op.f("fk_leads_lead_pool_id_leads_pool")),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_leads_lead_customer_id_core_customer")),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_leads_lead_contact_id_core_contact")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_lead")),
    )
    op.create_index("ix_leads_lead_pool_waiting", "leads_lead", ["pool_id", "owner_id", "created_at", "id"], unique=False)
    op.create_index("ix_leads_lead_owner_status", "leads_lead", ["owner_id", "status"], unique=False)
    op.create_index("ix_leads_lead_created", "leads_lead", ["created_at", "id"], unique=False)
    op.create_index(op.f("ix_leads_lead_customer_id"), "leads_lead", ["customer_id"], unique=False)
    op.create_table(
        "leads_channel",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("normalized", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads_lead.id"], name=op.f("fk_leads_channel_lead_id_leads_lead"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_channel")),
    )
    op.create_index(op.f("ix_leads_channel_lead_id"), "leads_channel", ["lead_id"], unique=False)
    op.create_index("ix_leads_channel_normalized", "leads_channel", ["kind", "normalized"], unique=False)
    op.create_table(
        "leads_event",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("pool_id", ID, nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads_lead.id"], name=op.f("fk_leads_event_lead_id_leads_lead"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_leads_event_actor_id_core_user")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_leads_event_owner_id_core_user")),
        sa.ForeignKeyConstraint(["pool_id"], ["leads_pool.id"], name=op.f("fk_leads_event_pool_id_leads_pool")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_event")),
    )
    op.create_index(op.f("ix_leads_event_lead_id"), "leads_event", ["lead_id"], unique=False)


def downgrade() -> None:
    op.drop_table("leads_event")
    op.drop_table("leads_channel")
    op.drop_table("leads_lead")
    op.drop_table("leads_pool_member")
    op.drop_table("leads_pool")
