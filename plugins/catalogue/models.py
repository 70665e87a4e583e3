"""Tables of the catalogue plugin, and the line-item columns that other plugins' document lines share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from crm import ID, Model, Money, SoftDeletable, Timestamped, Versioned, id_column


class CatalogueModel(Model):
    __abstract__ = True
    __plugin__ = "catalogue"


class Product(Timestamped, SoftDeletable, Versioned, CatalogueModel):
    __tablename__ = "catalogue_product"
    __resource__ = "product"

    id: Mapped[int] = id_column()
    sku: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="pcs")
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class PriceList(Timestamped, SoftDeletable, Versioned, CatalogueModel):
    """Prices in one currency, for everyone or for customers with a tag (`segment`), valid between two dates."""

    __tablename__ = "catalogue_price_list"
    __resource__ = "product"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    segment: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class PriceListItem(CatalogueModel):
    __tablename__ = "catalogue_price_list_item"

    price_list_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_price_list.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_product.id"), primary_key=True)
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)


class LineMixin:
    """The columns of a document line (an opportunity's, a quote's, an order's, a contract's): a product or free text,
    quantity, price, discount and tax, with net and tax computed on write (`crm.plugins.catalogue.lines`).
    The owning plugin adds the table name and the foreign key to its document."""

    id: Mapped[int] = id_column()
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Money, nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(Money, nullable=False)
    discount_percent: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    tax_percent: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    net: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False)

    @declared_attr
    def product_id(cls) -> Mapped[int | None]:
        # declared_attr: each line table gets its own foreign key object (a mixin's column is copied, its key must be too).
        return mapped_column(ID, ForeignKey("catalogue_product.id"), index=True)
