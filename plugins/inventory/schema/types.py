"""GraphQL types of inventory. Products and orders are the catalogue's and sales' types, referred to by name."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import strawberry

import crm
from crm import api_type, connection_type, inherited, payload_type, requires
from crm.plugins.inventory import models

Product = api_type("Product")
User = api_type("User")


@strawberry.enum(description="What a movement of the ledger did.")
class MovementKind(enum.Enum):
    RECEIPT = "receipt"
    SHIPMENT = "shipment"
    TRANSFER = "transfer"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"


@strawberry.enum(description="How stock on hand is valued: at the average cost of what came in, or first in, first out "
                             "(what is left is the latest receipts).")
class ValuationMethod(enum.Enum):
    AVERAGE = "average"
    FIFO = "fifo"


@strawberry.enum(description="Where an order's goods stand.")
class FulfilmentStatus(enum.Enum):
    NOT_TRACKED = "not_tracked"
    PENDING = "pending"
    RESERVED = "reserved"
    BACKORDERED = "backordered"
    SHIPPED = "shipped"
    RELEASED = "released"


async def _product(info: strawberry.Info, product_id):
    from crm.plugins.catalogue.models import Product as ProductModel

    return await crm.by_id_loader(info.context, ProductModel).load(int(product_id))


async def _warehouse(info: strawberry.Info, warehouse_id) -> models.Warehouse | None:
    return await crm.by_id_loader(info.context, models.Warehouse).load(int(warehouse_id))


@strawberry.type(description="A place stock is kept in. Orders reserve in the default warehouse unless told another.")
class Warehouse:
    id: strawberry.ID
    code: str = strawberry.field(description="Its short code: unique.")
    name: str = strawberry.field(description="Its name.")
    address: str | None = strawberry.field(description="Where it is.")
    active: bool
    allows_backorders: bool = strawberry.field(description="Orders may reserve more than is available; the rest is backordered.")
    is_default: bool = strawberry.field(description="Where orders reserve unless setOrderWarehouse chose another.")
    version: int
    deleted_at: datetime | None


@strawberry.type(name="ProductInWarehouse")  # never in the schema itself: what levels and movements share
class _ProductInWarehouse:
    product_id: strawberry.ID
    warehouse_id: strawberry.ID

    @strawberry.field(description="The product.")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> Product | None:
        return await _product(info, self.product_id)

    @strawberry.field(description="The warehouse.")
    @requires("warehouse", "read")
    async def warehouse(self, info: strawberry.Info) -> Warehouse | None:
        return await _warehouse(info, self.warehouse_id)


@strawberry.type(description="A product's stock in one warehouse, as the ledger sums it.")
class StockLevel(_ProductInWarehouse):
    on_hand: Decimal = strawberry.field(description="How many are there.")
    reserved: Decimal = strawberry.field(description="Held for confirmed orders.")
    updated_at: datetime

    @strawberry.field(description="On hand less reserved: what can still be promised. Negative when orders were backordered.")
    @inherited
    def available(self, info: strawberry.Info) -> Decimal:
        return self.on_hand - self.reserved


@strawberry.type(description="One row of the stock ledger. Rows are never changed; a mistake is corrected by another movement.")
class StockMovement(_ProductInWarehouse):
    id: strawberry.ID
    at: datetime = strawberry.field(description="When it moved.")
    kind: MovementKind = strawberry.field(description="Receipt, shipment, transfer, adjustment, reservation or release.")
    on_hand_delta: Decimal = strawberry.field(name="onHandChange", description="What it added to (or, negative, took from) on hand.")
    reserved_delta: Decimal = strawberry.field(name="reservedChange", description="What it added to (or took from) reserved.")
    unit_cost: Decimal | None = strawberry.field(description="Cost of one unit in the reporting currency, for stock that came in.")
    cost: Decimal | None = strawberry.field(description="The unit cost as entered, in costCurrency.")
    cost_currency: str | None = strawberry.field(description="The currency of its unit cost.")
    reference: str | None = strawberry.field(description="What it was for: an order, a transfer, a delivery note, a count.")
    reason: str | None = strawberry.field(description="Why, in words (an adjustment's reason).")
    actor_id: strawberry.ID | None

    @strawberry.field(description="Who made it; null for the system (an order's event handled by a job, say).")
    @inherited
    async def actor(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(int(self.actor_id)) if self.actor_id else None


@strawberry.type(description="How the CRM treats a product's stock.")
class StockRule:
    product_id: strawberry.ID
    tracked: bool = strawberry.field(description="False for what is not stocked (services): orders reserve nothing for it.")
    reorder_point: Decimal | None = strawberry.field(description="Reorder when available (all warehouses) falls below this.")
    reorder_quantity: Decimal | None = strawberry.field(description="The lot size: suggestions are multiples of it.")
    version: int


@strawberry.type(description="A product whose available stock fell below its reorder point.")
class LowStockItem:
    product_id: strawberry.ID
    reorder_point: Decimal = strawberry.field(description="At or below this many on hand (less reserved), stock is low.")
    reorder_quantity: Decimal | None = strawberry.field(description="How many to order.")
    on_hand: Decimal = strawberry.field(description="How many are on hand.")
    reserved: Decimal = strawberry.field(description="How many of those are reserved for orders.")

    @strawberry.field(description="On hand less reserved, over all warehouses.")
    @inherited
    def available(self, info: strawberry.Info) -> Decimal:
        return self.on_hand - self.reserved

    @strawberry.field(description="What to order to get back above the reorder point: the shortfall, rounded up to whole lots "
                                  "of reorderQuantity when one is set.")
    @inherited
    def suggested_quantity(self, info: strawberry.Info) -> Decimal:
        short = self.reorder_point - (self.on_hand - self.reserved)
        if not self.reorder_quantity:
            return short
        lots = -(-short // self.reorder_quantity)  # whole lots, rounded up
        return max(lots, 1) * self.reorder_quantity

    @strawberry.field(description="The product.")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> Product | None:
        return await _product(info, self.product_id)


@strawberry.type(description="One product's stock and its value at cost.")
class ValuationRow:
    product_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="On hand at the end of the day, all warehouses.")
    value: Decimal = strawberry.field(description="At cost, in the valuation's currency, rounded to its smallest unit.")
    unit_cost: Decimal | None = strawberry.field(description="value / quantity.")

    @strawberry.field(description="The product.")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> Product | None:
        return await _product(info, self.product_id)


@strawberry.type(description="Stock on hand at the end of a day, valued at cost.")
class StockValuation:
    as_of: date = strawberry.field(description="The day it is as of.")
    method: ValuationMethod = strawberry.field(description="Average cost or FIFO.")
    currency: str = strawberry.field(description="The reporting currency: costs are converted into it on the day goods come in.")
    total: Decimal = strawberry.field(description="The value of all stock.")
    rows: list[ValuationRow] = strawberry.field(description="One row per product.")


@strawberry.type(description="What one line of an order holds in stock.")
class FulfilmentLine:
    order_line_id: strawberry.ID = strawberry.field(metadata={"refers_to": "LineItem"})
    product_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="How many.")
    backordered: Decimal = strawberry.field(description="The part that was not available when the order was confirmed.")
    status: FulfilmentStatus = strawberry.field(description="Where the line's goods stand: pending, reserved, backordered, shipped or released.")

    @strawberry.field(description="The product.")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> Product | None:
        return await _product(info, self.product_id)


@strawberry.type(description="Where an order's goods stand: reserved on confirmation, released on cancellation, shipped on fulfilment.")
class OrderFulfilment:
    status: FulfilmentStatus = strawberry.field(description="Where the order's goods stand, as a whole.")
    warehouse_id: strawberry.ID | None
    lines: list[FulfilmentLine] = strawberry.field(description="Each line's stock: reserved, backordered, shipped or released.")

    @strawberry.field(description="The warehouse that ships it.")
    @requires("warehouse", "read", or_null=True)
    async def warehouse(self, info: strawberry.Info) -> Warehouse | None:
        return await _warehouse(info, self.warehouse_id) if self.warehouse_id else None


WarehousePayload = payload_type("Warehouse", warehouse=Warehouse)
StockPayload = payload_type("Stock", movements=(list[StockMovement], "The ledger rows written, in order."),
                            levels=(list[StockLevel], "The levels they changed, after the change."))
StockRulePayload = payload_type("StockRule", rule=StockRule)
OrderWarehousePayload = payload_type("OrderWarehouse", warehouse=Warehouse)
StockLevelConnection = connection_type("StockLevel", StockLevel)
StockMovementConnection = connection_type("StockMovement", StockMovement)
LowStockConnection = connection_type("LowStockItem", LowStockItem)
