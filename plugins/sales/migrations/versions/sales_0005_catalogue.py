"""Products and price lists move to the catalogue plugin: their rows are copied with their ids, the line items of
opportunities, quotes and orders point at the catalogue's products, and sales' own copies go.

Revision ID: sales_0005
Revises: sales_0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "sales_0005"
down_revision = "sales_0004"
branch_labels = None
depends_on = "catalogue_0001"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
RECORD = "created_at, updated_at, deleted_at, version"
COPIES = [  # (sales table, catalogue table, columns): parents first
    ("sales_product", "catalogue_product", f"id, sku, name, unit, price, currency, category, description, active, {RECORD}"),
    ("sales_price_list", "catalogue_price_list", f"id, name, currency, segment, valid_from, valid_to, {RECORD}"),
    ("sales_price_list_item", "catalogue_price_list_item", "price_list_id, product_id, price"),
]
LINES = ("sales_opportunity_line", "sales_quote_line", "sales_order_line")


def _copy(source: str, target: str, columns: str) -> None:
    op.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {source}")
    if "id" in columns.split(", ") and op.get_bind().dialect.name == "postgresql":
        # Rows came with their ids: the next id the sequence hands out must be above them.
        op.execute(f"SELECT setval(pg_get_serial_sequence('{target}', 'id'), coalesce(max(id), 0) + 1, false) FROM {target}")


def _point_lines_at(products: str, old: str) -> None:
    for table in LINES:
        with op.batch_alter_table(table) as batch:  # SQLite rebuilds the table; PostgreSQL alters it
            batch.drop_constraint(f"fk_{table}_product_id_{old}", type_="foreignkey")
            batch.create_foreign_key(f"fk_{table}_product_id_{products}", products, ["product_id"], ["id"])


def upgrade() -> None:
    for source, target, columns in COPIES:
        _copy(source, target, columns)
    _point_lines_at("catalogue_product", old="sales_product")
    op.drop_table("sales_price_list_item")
    op.drop_table("sales_price_list")
    op.drop_index(op.f("ix_sales_product_category"), table_name="sales_product")
    op.drop_table("sales_product")


def downgrade() -> None:
    record = [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
              sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
              sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
              sa.Column("version", sa.Integer(), nullable=False)]
    op.create_table(
        "sales_product",
        sa.Column("id", ID, autoincrement=True, nullable=False), sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False), sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False), sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True), sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False), *record,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_product")), sa.UniqueConstraint("sku", name=op.f("uq_sales_product_sku")),
    )
    op.create_index(op.f("ix_sales_product_category"), "sales_product", ["category"], unique=False)
    op.create_table(
        "sales_price_list",
        sa.Column("id", ID, autoincrement=True, nullable=False), sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False), sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True), sa.Column("valid_to", sa.Date(), nullable=True), *record,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_price_list")),
    )
    op.create_table(
        "sales_price_list_item",
        sa.Column("price_list_id", ID, nullable=False), sa.Column("product_id", ID, nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["price_list_id"], ["sales_price_list.id"], name=op.f("fk_sales_price_list_item_price_list_id_sales_price_list"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["sales_product.id"], name=op.f("fk_sales_price_list_item_product_id_sales_product")),
        sa.PrimaryKeyConstraint("price_list_id", "product_id", name=op.f("pk_sales_price_list_item")),
    )
    for source, target, columns in COPIES:
        _copy(target, source, columns)
    _point_lines_at("sales_product", old="catalogue_product")
