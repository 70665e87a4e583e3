"""Which opportunity a converted lead became (for the funnel from lead to won deal, and campaign returns).

Revision ID: leads_sales_0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "leads_sales_0001"
down_revision = None
branch_labels = ("leads_sales",)
depends_on = ("leads_0005", "sales_0005")

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "leads_sales_opportunity",
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("opportunity_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads_lead.id"], name=op.f("fk_leads_sales_opportunity_lead_id_leads_lead"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"],
                                name=op.f("fk_leads_sales_opportunity_opportunity_id_sales_opportunity"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_leads_sales_opportunity")),
    )
    op.create_index(op.f("ix_leads_sales_opportunity_opportunity_id"), "leads_sales_opportunity", ["opportunity_id"], unique=False)


def downgrade() -> None:
    op.drop_table("leads_sales_opportunity")
