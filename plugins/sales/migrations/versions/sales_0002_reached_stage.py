"""Keep each opportunity's furthest stage on the opportunity, so the funnel reads one row per deal.

Revision ID: sales_0002
Revises: sales_0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "sales_0002"
down_revision = "sales_0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.add_column(sa.Column("reached_stage_id", ID, nullable=True))
        batch.create_foreign_key(op.f("fk_sales_opportunity_reached_stage_id_sales_stage"), "sales_stage", ["reached_stage_id"], ["id"])
    op.execute("""
        UPDATE sales_opportunity SET reached_stage_id = (
            SELECT v.stage_id FROM sales_stage_visit v JOIN sales_stage s ON s.id = v.stage_id
            WHERE v.opportunity_id = sales_opportunity.id AND s.kind <> 'lost'
            ORDER BY s.position DESC LIMIT 1)
    """)


def downgrade() -> None:
    with op.batch_alter_table("sales_opportunity") as batch:
        batch.drop_constraint(op.f("fk_sales_opportunity_reached_stage_id_sales_stage"), type_="foreignkey")
        batch.drop_column("reached_stage_id")
