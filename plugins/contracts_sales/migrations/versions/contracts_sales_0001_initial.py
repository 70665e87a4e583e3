"""Which deal or order a contract came from, and its renewal deal.

Revision ID: contracts_sales_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "contracts_sales_0001"
down_revision = None
branch_labels = ("contracts_sales",)
depends_on = ("contracts_0003", "sales_0005")

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "contracts_sales_link",
        sa.Column("contract_id", ID, nullable=False),
        sa.Column("opportunity_id", ID, nullable=True),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("renewal_opportunity_id", ID, nullable=True),
        sa.Column("renewal_for", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts_contract.id"], name=op.f("fk_contracts_sales_link_contract_id_contracts_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"], name=op.f("fk_contracts_sales_link_opportunity_id_sales_opportunity")),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"], name=op.f("fk_contracts_sales_link_order_id_sales_order")),
        sa.ForeignKeyConstraint(["renewal_opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_contracts_sales_link_renewal_opportunity_id_sales_opportunity")),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_contracts_sales_link")),
    )
    op.create_index(op.f("ix_contracts_sales_link_opportunity_id"), "contracts_sales_link", ["opportunity_id"])
    op.create_index(op.f("ix_contracts_sales_link_order_id"), "contracts_sales_link", ["order_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contracts_sales_link_order_id"), table_name="contracts_sales_link")
    op.drop_index(op.f("ix_contracts_sales_link_opportunity_id"), table_name="contracts_sales_link")
    op.drop_table("contracts_sales_link")
