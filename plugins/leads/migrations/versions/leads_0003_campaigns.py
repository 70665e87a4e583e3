"""Campaigns and their members; a lead knows the campaign it came from.

Revision ID: leads_0003
Revises: leads_0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "leads_0003"
down_revision = "leads_0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leads_campaign",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("actual_cost", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_leads_campaign_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_campaign")),
        sa.UniqueConstraint("name", name=op.f("uq_leads_campaign_name")),
    )
    op.create_index(op.f("ix_leads_campaign_owner_id"), "leads_campaign", ["owner_id"], unique=False)
    op.create_table(
        "leads_campaign_member",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("campaign_id", ID, nullable=False),
        sa.Column("lead_id", ID, nullable=True),
        sa.Column("contact_id", ID, nullable=True),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.Column("responded_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["leads_campaign.id"], name=op.f("fk_leads_campaign_member_campaign_id_leads_campaign"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads_lead.id"], name=op.f("fk_leads_campaign_member_lead_id_leads_lead"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_leads_campaign_member_contact_id_core_contact")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_campaign_member")),
        sa.UniqueConstraint("campaign_id", "lead_id", name="uq_leads_campaign_member_lead"),
        sa.UniqueConstraint("campaign_id", "contact_id", name="uq_leads_campaign_member_contact"),
    )
    op.create_index(op.f("ix_leads_campaign_member_campaign_id"), "leads_campaign_member", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_leads_campaign_member_lead_id"), "leads_campaign_member", ["lead_id"], unique=False)
    op.create_index(op.f("ix_leads_campaign_member_contact_id"), "leads_campaign_member", ["contact_id"], unique=False)
    with op.batch_alter_table("leads_lead") as batch:
        batch.add_column(sa.Column("campaign_id", ID, nullable=True))
        batch.create_foreign_key(op.f("fk_leads_lead_campaign_id_leads_campaign"), "leads_campaign", ["campaign_id"], ["id"])
        batch.create_index(op.f("ix_leads_lead_campaign_id"), ["campaign_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("leads_lead") as batch:
        batch.drop_index(op.f("ix_leads_lead_campaign_id"))
        batch.drop_constraint(op.f("fk_leads_lead_campaign_id_leads_campaign"), type_="foreignkey")
        batch.drop_column("campaign_id")
    op.drop_table("leads_campaign_member")
    op.drop_table("leads_campaign")
