"""Order-to-cash and receivables of past days, read without aggregating every payment: the day a contract's plan was
settled (and where its cash clock started, when not at signing), and the day each payment allocation was received.

Revision ID: contracts_0004
Revises: contracts_0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "contracts_0004"
down_revision = "contracts_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts_contract") as batch:
        batch.add_column(sa.Column("settled_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("cash_from", sa.Date(), nullable=True))
    with op.batch_alter_table("contracts_payment_allocation") as batch:
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))
    op.execute("UPDATE contracts_payment_allocation SET received_on = (SELECT received_on FROM contracts_payment p "
               "WHERE p.id = contracts_payment_allocation.payment_id)")
    with op.batch_alter_table("contracts_payment_allocation") as batch:
        batch.alter_column("received_on", existing_type=sa.Date(), nullable=False)
    op.create_index("ix_contracts_payment_allocation_received", "contracts_payment_allocation", ["received_on", "installment_id"])
    # Contracts whose every installment is paid: settled on their last payment.
    op.execute("UPDATE contracts_contract SET settled_on = (SELECT max(received_on) FROM contracts_payment p WHERE p.contract_id = contracts_contract.id) "
               "WHERE EXISTS (SELECT 1 FROM contracts_installment i WHERE i.contract_id = contracts_contract.id) "
               "AND NOT EXISTS (SELECT 1 FROM contracts_installment i WHERE i.contract_id = contracts_contract.id AND i.paid < i.amount)")


def downgrade() -> None:
    op.drop_index("ix_contracts_payment_allocation_received", table_name="contracts_payment_allocation")
    with op.batch_alter_table("contracts_payment_allocation") as batch:
        batch.drop_column("received_on")
    with op.batch_alter_table("contracts_contract") as batch:
        batch.drop_column("cash_from")
        batch.drop_column("settled_on")
