"""Contracts: the contract, its signatories and its history.

Revision ID: contracts_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "contracts_0001"
down_revision = None
branch_labels = ("contracts",)
depends_on = "core_0010"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contracts_contract",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.String(length=500), nullable=True),
        sa.Column("custom_fields", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_contracts_contract_customer_id_core_customer")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_contracts_contract_owner_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts_contract")),
        sa.UniqueConstraint("number", name=op.f("uq_contracts_contract_number")),
    )
    op.create_index("ix_contracts_contract_customer", "contracts_contract", ["customer_id", "created_at"])
    op.create_index("ix_contracts_contract_status_end", "contracts_contract", ["status", "end_date"])
    op.create_index(op.f("ix_contracts_contract_status"), "contracts_contract", ["status"])
    op.create_index(op.f("ix_contracts_contract_owner_id"), "contracts_contract", ["owner_id"])
    op.create_table(
        "contracts_signatory",
        sa.Column("contract_id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts_contract.id"], name=op.f("fk_contracts_signatory_contract_id_contracts_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_contracts_signatory_contact_id_core_contact")),
        sa.PrimaryKeyConstraint("contract_id", "contact_id", name=op.f("pk_contracts_signatory")),
    )
    op.create_table(
        "contracts_event",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("contract_id", ID, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("detail", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts_contract.id"], name=op.f("fk_contracts_event_contract_id_contracts_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_contracts_event_actor_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts_event")),
    )
    op.create_index("ix_contracts_event_contract", "contracts_event", ["contract_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_contracts_event_contract", table_name="contracts_event")
    op.drop_table("contracts_event")
    op.drop_table("contracts_signatory")
    for name in ("ix_contracts_contract_owner_id", "ix_contracts_contract_status", "ix_contracts_contract_status_end", "ix_contracts_contract_customer"):
        op.drop_index(name, table_name="contracts_contract")
    op.drop_table("contracts_contract")
