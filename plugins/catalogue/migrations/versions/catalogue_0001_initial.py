"""Catalogue: products, price lists and their prices.

Revision ID: catalogue_0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "catalogue_0001"
down_revision = None
branch_labels = ("catalogue",)
depends_on = "core_0001"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _record_columns() -> list:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("version", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "catalogue_product",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_catalogue_product_sku")),
    )
    op.create_index(op.f("ix_catalogue_product_category"), "catalogue_product", ["category"], unique=False)
    op.create_table(
        "catalogue_price_list",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_price_list")),
    )
    op.create_table(
        "catalogue_price_list_item",
        sa.Column("price_list_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["price_list_id"], ["catalogue_price_list.id"],
                                name=op.f("fk_catalogue_price_list_item_price_list_id_catalogue_price_list"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["catalogue_product.id"],
                                name=op.f("fk_catalogue_price_list_item_product_id_catalogue_product")),
        sa.PrimaryKeyConstraint("price_list_id", "product_id", name=op.f("pk_catalogue_price_list_item")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_price_list_item")
    op.drop_table("catalogue_price_list")
    op.drop_index(op.f("ix_catalogue_product_category"), table_name="catalogue_product")
    op.drop_table("catalogue_product")
