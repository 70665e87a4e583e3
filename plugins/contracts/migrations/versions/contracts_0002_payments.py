"""Payment plans (installments), payments received and how each payment was applied.

Revision ID: contracts_0002
Revises: contracts_0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "contracts_0002"
down_revision = "contracts_0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contracts_installment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("contract_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("reminded_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts_contract.id"], name=op.f("fk_contracts_installment_contract_id_contracts_contract"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts_installment")),
    )
    op.create_index("ix_contracts_installment_contract", "contracts_installment", ["contract_id", "position"])
    op.create_index("ix_contracts_installment_due", "contracts_installment", ["due_date", "contract_id"])
    op.create_table(
        "contracts_payment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("contract_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("recorded_by", ID, nullable=True),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts_contract.id"], name=op.f("fk_contracts_payment_contract_id_contracts_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["core_user.id"], name=op.f("fk_contracts_payment_recorded_by_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts_payment")),
    )
    op.create_index("ix_contracts_payment_contract", "contracts_payment", ["contract_id", "received_on"])
    op.create_table(
        "contracts_payment_allocation",
        sa.Column("payment_id", ID, nullable=False),
        sa.Column("installment_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["contracts_payment.id"], name=op.f("fk_contracts_payment_allocation_payment_id_contracts_payment"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["installment_id"], ["contracts_installment.id"],
                                name=op.f("fk_contracts_payment_allocation_installment_id_contracts_installment"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("payment_id", "installment_id", name=op.f("pk_contracts_payment_allocation")),
    )


def downgrade() -> None:
    op.drop_table("contracts_payment_allocation")
    op.drop_index("ix_contracts_payment_contract", table_name="contracts_payment")
    op.drop_table("contracts_payment")
    op.drop_index("ix_contracts_installment_due", table_name="contracts_installment")
    op.drop_index("ix_contracts_installment_contract", table_name="contracts_installment")
    op.drop_table("contracts_installment")
