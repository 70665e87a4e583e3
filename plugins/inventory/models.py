"""Tables of the inventory plugin. Quantities are `crm.Money` columns: exact decimals (four places) in the product's
unit, so 2.5 kg and 3 pieces are both exact, and sums over the ledger are sums of integers on both databases."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, desc, text
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, Model, Money, SoftDeletable, Timestamped, UTCDateTime, Versioned, id_column

KINDS = ("receipt", "shipment", "transfer", "adjustment", "reservation", "release")
# Movements that add stock at a cost: the layers FIFO and average valuation read (a transfer only moves stock).
COSTED = ("receipt", "adjustment")


class InventoryModel(Model):
    __abstract__ = True
    __plugin__ = "inventory"


class Warehouse(Timestamped, SoftDeletable, Versioned, InventoryModel):
    __tablename__ = "inventory_warehouse"
    __resource__ = "warehouse"

    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(30), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    allows_backorders: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # where orders reserve unless told otherwise


class StockLevel(InventoryModel):
    """On hand and reserved for one product in one warehouse: the sums of the ledger, kept equal to them by every
    movement in its own transaction (`crm inventory check` proves it). Available = on hand - reserved."""

    __tablename__ = "inventory_level"
    __table_args__ = (Index("ix_inventory_level_warehouse", "warehouse_id", "product_id"),)

    product_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_product.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ID, ForeignKey("inventory_warehouse.id"), primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class StockMovement(InventoryModel):
    """One immutable row of the ledger. A movement changes on hand, reserved or both: a receipt adds on hand, an
    order's shipment takes from on hand and from reserved, a reservation adds to reserved. `unit_cost` (in the
    reporting currency, converted on the day it was received) is set where stock comes in at a cost."""

    __tablename__ = "inventory_movement"
    __table_args__ = (
        Index("ix_inventory_movement_product", "product_id", "warehouse_id", "at"),
        Index("ix_inventory_movement_at", "at"),
        Index("ix_inventory_movement_reference", "reference"),
        # The cost layers of valuation, newest first per product, read in that order without touching the table.
        Index("ix_inventory_movement_layers", "product_id", desc("at"), desc("id"), "on_hand_delta", "unit_cost",
              sqlite_where=text("unit_cost IS NOT NULL"), postgresql_where=text("unit_cost IS NOT NULL")),
    )

    id: Mapped[int] = id_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    product_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_product.id"), nullable=False)
    warehouse_id: Mapped[int] = mapped_column(ID, ForeignKey("inventory_warehouse.id"), nullable=False)
    on_hand_delta: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    reserved_delta: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    cost: Mapped[Decimal | None] = mapped_column(Money)  # the unit cost as entered, in `cost_currency`
    cost_currency: Mapped[str | None] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(100))  # "order O-000012", "transfer T-000003", "count 2026-12"
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))


class StockRule(Timestamped, Versioned, InventoryModel):
    """How the CRM treats a product's stock: tracked or not (services are not), and when to reorder."""

    __tablename__ = "inventory_product"
    __resource__ = "stock"

    product_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_product.id"), primary_key=True)
    tracked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    reorder_point: Mapped[Decimal | None] = mapped_column(Money)
    reorder_quantity: Mapped[Decimal | None] = mapped_column(Money)

    @property
    def id(self) -> int:  # audited and listed under the product's id
        return self.product_id


class OrderWarehouse(InventoryModel):
    """The warehouse an order reserves in, when it is not the default one."""

    __tablename__ = "inventory_order_warehouse"

    order_id: Mapped[int] = mapped_column(ID, ForeignKey("sales_order.id", ondelete="CASCADE"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ID, ForeignKey("inventory_warehouse.id"), nullable=False)


class OrderStock(InventoryModel):
    """What one line of an order holds: made when the order is confirmed (one row per line, so a replayed event finds
    it and reserves nothing twice), then released or shipped."""

    __tablename__ = "inventory_order_line"

    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ID, ForeignKey("sales_order.id", ondelete="CASCADE"), nullable=False, index=True)
    order_line_id: Mapped[int] = mapped_column(ID, ForeignKey("sales_order_line.id", ondelete="CASCADE"), nullable=False, unique=True)
    product_id: Mapped[int] = mapped_column(ID, ForeignKey("catalogue_product.id"), nullable=False)
    warehouse_id: Mapped[int] = mapped_column(ID, ForeignKey("inventory_warehouse.id"), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Money, nullable=False)
    backordered: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))  # beyond what was available
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="reserved")  # reserved released shipped
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
