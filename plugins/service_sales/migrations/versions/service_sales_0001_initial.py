"""Which order and product a ticket is about, and which deal an appointment is about.

Revision ID: service_sales_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_sales_0001"
down_revision = None
branch_labels = ("service_sales",)
depends_on = ("service_0007", "sales_0007")  # sales depends on the catalogue

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "service_sales_link",
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("product_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["service_ticket.id"], name=op.f("fk_service_sales_link_ticket_id_service_ticket"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"], name=op.f("fk_service_sales_link_order_id_sales_order")),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"], name=op.f("fk_service_sales_link_product_id_catalogue_product")),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_service_sales_link")),
    )
    op.create_index(op.f("ix_service_sales_link_order_id"), "service_sales_link", ["order_id"])
    op.create_index(op.f("ix_service_sales_link_product_id"), "service_sales_link", ["product_id"])
    op.create_table(
        "service_sales_appointment",
        sa.Column("appointment_id", ID, nullable=False),
        sa.Column("opportunity_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["service_appointment.id"],
                                name=op.f("fk_service_sales_appointment_appointment_id_service_appointment"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["sales_opportunity.id"], name=op.f("fk_service_sales_appointment_opportunity_id_sales_opportunity")),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_service_sales_appointment")),
    )
    op.create_index(op.f("ix_service_sales_appointment_opportunity_id"), "service_sales_appointment", ["opportunity_id"])


def downgrade() -> None:
    op.drop_table("service_sales_appointment")
    op.drop_table("service_sales_link")
