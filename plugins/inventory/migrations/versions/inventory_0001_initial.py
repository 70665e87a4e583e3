"""Inventory: warehouses, the stock ledger and levels, product stock rules, what orders hold.

Revision ID: inventory_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "inventory_0001"
down_revision = None
branch_labels = ("inventory",)
depends_on = ("sales_0005", "catalogue_0001")

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MONEY = sa.BigInteger()
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inventory_warehouse",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("allows_backorders", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_warehouse")),
        sa.UniqueConstraint("code", name=op.f("uq_inventory_warehouse_code")),
    )
    op.create_table(
        "inventory_level",
        sa.Column("product_id", ID, nullable=False),
        sa.Column("warehouse_id", ID, nullable=False),
        sa.Column("on_hand", MONEY, nullable=False),
        sa.Column("reserved", MONEY, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"], name=op.f("fk_inventory_level_product_id_catalogue_product")),
        sa.ForeignKeyConstraint(["warehouse_id"], ["inventory_warehouse.id"], name=op.f("fk_inventory_level_warehouse_id_inventory_warehouse")),
        sa.PrimaryKeyConstraint("product_id", "warehouse_id", name=op.f("pk_inventory_level")),
    )
    op.create_index("ix_inventory_level_warehouse", "inventory_level", ["warehouse_id", "product_id"])
    op.create_table(
        "inventory_movement",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("warehouse_id", ID, nullable=False),
        sa.Column("on_hand_delta", MONEY, nullable=False),
        sa.Column("reserved_delta", MONEY, nullable=False),
        sa.Column("unit_cost", MONEY, nullable=True),
        sa.Column("cost", MONEY, nullable=True),
        sa.Column("cost_currency", sa.String(length=3), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("actor_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"], name=op.f("fk_inventory_movement_product_id_catalogue_product")),
        sa.ForeignKeyConstraint(["warehouse_id"], ["inventory_warehouse.id"], name=op.f("fk_inventory_movement_warehouse_id_inventory_warehouse")),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_inventory_movement_actor_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_movement")),
    )
    op.create_index("ix_inventory_movement_product", "inventory_movement", ["product_id", "warehouse_id", "at"])
    op.create_index("ix_inventory_movement_at", "inventory_movement", ["at"])
    op.create_index("ix_inventory_movement_reference", "inventory_movement", ["reference"])
    op.create_index("ix_inventory_movement_layers", "inventory_movement", ["product_id", sa.desc("at"), sa.desc("id"), "on_hand_delta", "unit_cost"],
                    sqlite_where=sa.text("unit_cost IS NOT NULL"), postgresql_where=sa.text("unit_cost IS NOT NULL"))
    op.create_table(
        "inventory_product",
        sa.Column("product_id", ID, nullable=False),
        sa.Column("tracked", sa.Boolean(), nullable=False),
        sa.Column("reorder_point", MONEY, nullable=True),
        sa.Column("reorder_quantity", MONEY, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"], name=op.f("fk_inventory_product_product_id_catalogue_product")),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_inventory_product")),
    )
    op.create_table(
        "inventory_order_warehouse",
        sa.Column("order_id", ID, nullable=False),
        sa.Column("warehouse_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"], name=op.f("fk_inventory_order_warehouse_order_id_sales_order"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["warehouse_id"], ["inventory_warehouse.id"], name=op.f("fk_inventory_order_warehouse_warehouse_id_inventory_warehouse")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_inventory_order_warehouse")),
    )
    op.create_table(
        "inventory_order_line",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("order_line_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("warehouse_id", ID, nullable=False),
        sa.Column("quantity", MONEY, nullable=False),
        sa.Column("backordered", MONEY, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"], name=op.f("fk_inventory_order_line_order_id_sales_order"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_line_id"], ["sales_order_line.id"], name=op.f("fk_inventory_order_line_order_line_id_sales_order_line"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"], name=op.f("fk_inventory_order_line_product_id_catalogue_product")),
        sa.ForeignKeyConstraint(["warehouse_id"], ["inventory_warehouse.id"], name=op.f("fk_inventory_order_line_warehouse_id_inventory_warehouse")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_order_line")),
        sa.UniqueConstraint("order_line_id", name=op.f("uq_inventory_order_line_order_line_id")),
    )
    op.create_index(op.f("ix_inventory_order_line_order_id"), "inventory_order_line", ["order_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_inventory_order_line_order_id"), table_name="inventory_order_line")
    op.drop_table("inventory_order_line")
    op.drop_table("inventory_order_warehouse")
    op.drop_table("inventory_product")
    for name in ("ix_inventory_movement_layers", "ix_inventory_movement_reference", "ix_inventory_movement_at", "ix_inventory_movement_product"):
        op.drop_index(name, table_name="inventory_movement")
    op.drop_table("inventory_movement")
    op.drop_index("ix_inventory_level_warehouse", table_name="inventory_level")
    op.drop_table("inventory_level")
    op.drop_table("inventory_warehouse")
