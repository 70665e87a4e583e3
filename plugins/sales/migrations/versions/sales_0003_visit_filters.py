"""Stage visits carry the deal's opening time, owner and deletion, so the funnel scans visits without a join.

Revision ID: sales_0003
Revises: sales_0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "sales_0003"
down_revision = "sales_0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("sales_stage_visit") as batch:
        batch.add_column(sa.Column("opened_at", WHEN, nullable=True))
        batch.add_column(sa.Column("owner_id", ID, nullable=True))
        batch.add_column(sa.Column("deleted_at", WHEN, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            UPDATE sales_stage_visit v SET opened_at = o.opened_at, owner_id = o.owner_id, deleted_at = o.deleted_at
            FROM sales_opportunity o WHERE o.id = v.opportunity_id
        """)
    else:
        op.execute("""
            UPDATE sales_stage_visit SET (opened_at, owner_id, deleted_at) = (
                SELECT o.opened_at, o.owner_id, o.deleted_at FROM sales_opportunity o WHERE o.id = sales_stage_visit.opportunity_id)
        """)
    with op.batch_alter_table("sales_stage_visit") as batch:
        batch.alter_column("opened_at", existing_type=WHEN, nullable=False)
        batch.alter_column("owner_id", existing_type=ID, nullable=False)
        batch.create_foreign_key(op.f("fk_sales_stage_visit_owner_id_core_user"), "core_user", ["owner_id"], ["id"])
        batch.drop_index("ix_sales_stage_visit_stage_id")
        batch.create_index("ix_sales_stage_visit_stage_opened", ["stage_id", "opened_at"])
        batch.create_index("ix_sales_stage_visit_owner_opened", ["owner_id", "opened_at"])


def downgrade() -> None:
    with op.batch_alter_table("sales_stage_visit") as batch:
        batch.drop_index("ix_sales_stage_visit_owner_opened")
        batch.drop_index("ix_sales_stage_visit_stage_opened")
        batch.create_index("ix_sales_stage_visit_stage_id", ["stage_id"])
        batch.drop_constraint(op.f("fk_sales_stage_visit_owner_id_core_user"), type_="foreignkey")
        batch.drop_column("deleted_at")
        batch.drop_column("owner_id")
        batch.drop_column("opened_at")
