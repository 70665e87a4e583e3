"""Stock: levels, the ledger, low stock and valuation to read; receipts, shipments, transfers and adjustments to write.
Every movement goes through `ledger.move`, which decides in the database whether there is enough."""

from __future__ import annotations

from typing import Annotated

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import strawberry
from sqlalchemy import func, select

import crm
from crm import Invalid, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.catalogue.models import Product
from crm.plugins.inventory import ledger, valuation
from crm.plugins.inventory.ledger import Move, quantity
from crm.plugins.inventory.models import StockLevel, StockMovement, StockRule
from crm.plugins.inventory.schema import types as t


@strawberry.input
class ReceiveStockInput:
    product_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="How many arrived.")
    unit_cost: Decimal = strawberry.field(description="What one unit cost, in `currency`; valuation converts it on the day it came in.")
    currency: str | None = strawberry.field(default=None, description="Defaults to the reporting currency.")
    reference: str | None = strawberry.field(default=None, description="The supplier's delivery note, a purchase order number.")


@strawberry.input
class ShipStockInput:
    product_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="How many left.")
    reference: str | None = strawberry.field(default=None, description="A reference (a delivery note's number).")


@strawberry.input
class TransferStockInput:
    product_id: strawberry.ID
    from_warehouse_id: strawberry.ID = strawberry.field(description="The warehouse the stock leaves, by id.")
    to_warehouse_id: strawberry.ID = strawberry.field(description="The warehouse the stock arrives in, by id.")
    quantity: Decimal = strawberry.field(description="How many move.")
    reference: str | None = strawberry.field(default=None, description="A reference for the transfer.")


@strawberry.input
class AdjustStockInput:
    product_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="The change: positive for goods found, negative for goods lost or broken.")
    reason: str = strawberry.field(description="Why, for whoever reads the ledger later: a count, breakage, theft.")
    unit_cost: Decimal | None = strawberry.field(default=None, description="For goods found, in the reporting currency; "
                                                 "defaults to the product's last receipt cost.")
    reference: str | None = strawberry.field(default=None, description="A reference for the adjustment (a stock count's number).")


@strawberry.input
class SetStockRuleInput:
    product_id: strawberry.ID
    tracked: bool = True
    reorder_point: Decimal | None = None
    reorder_quantity: Decimal | None = None
    version: int | None = strawberry.field(default=None, description="The rule's version, when changing one that exists.")


@strawberry.input
class StockLevelFilter:
    product_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    in_stock: bool | None = strawberry.field(default=None, description="Only levels with something on hand.")


@strawberry.input
class StockMovementFilter:
    product_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    kinds: list[t.MovementKind] | None = strawberry.field(default=None, description="Only movements of these kinds.")
    reference: str | None = strawberry.field(default=None, description="Only movements with this reference.")
    from_: datetime | None = strawberry.field(description="Only movements at or after this time.", default=None, name="from")
    to: datetime | None = strawberry.field(default=None, description="Only movements before this time.")


async def _product(session, raw, field: str = "productId") -> Product:
    """A product whose stock is tracked (not a service)."""
    product = await session.get(Product, parse_id(raw, field))
    if product is None or product.deleted_at is not None:
        raise Invalid.one(field, "NOT_FOUND", "product not found")
    if await session.scalar(select(StockRule.tracked).where(StockRule.product_id == product.id)) is False:
        raise Invalid.one(field, "INVALID", f"{product.sku} is not stocked (its stock rule says untracked)")
    return product


def _reference(value: str | None) -> str | None:
    return crm.clean_text(value, "reference", limit=100)


def _payload(movements: list, levels: list[StockLevel]) -> t.StockPayload:
    return t.StockPayload(movements=movements, levels=levels)


async def _levels(session, pairs) -> list[StockLevel]:
    out = []
    for product_id, warehouse_id in pairs:
        level = await session.get(StockLevel, (product_id, warehouse_id), populate_existing=True)
        out.append(level)
    return out


async def _moved(session, moves: list[Move], **kw) -> t.StockPayload:
    # Levels locked in one order (by warehouse), so that two transfers in opposite directions never wait on each other.
    written = [await ledger.move(session, m, **kw) for m in sorted(moves, key=lambda m: m.warehouse_id)]
    await session.flush()
    return _payload(sorted(written, key=lambda w: w.id), await _levels(session, [(m.product_id, m.warehouse_id) for m in moves]))


async def _last_cost(session, product_id: int) -> Decimal | None:
    return await session.scalar(select(StockMovement.unit_cost).where(StockMovement.product_id == product_id,
                                                                      StockMovement.unit_cost.is_not(None))
                                .order_by(StockMovement.at.desc(), StockMovement.id.desc()).limit(1))


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), UTC)


@strawberry.type
class StockQuery:
    @strawberry.field(description="Stock per product and warehouse, by product then warehouse.")
    @requires("stock", "read")
    async def stock_levels(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                           last: int | None = None, before: str | None = None,
                           filter: StockLevelFilter | None = None) -> t.StockLevelConnection:
        f = filter or StockLevelFilter()
        stmt = select(StockLevel)
        if f.product_id:
            stmt = stmt.where(StockLevel.product_id == try_parse_id(f.product_id))
        if f.warehouse_id:
            stmt = stmt.where(StockLevel.warehouse_id == try_parse_id(f.warehouse_id))
        if f.in_stock:
            stmt = stmt.where(StockLevel.on_hand > 0)
        return await crm.list_page(info, stmt, order=[StockLevel.product_id, StockLevel.warehouse_id],
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="The ledger, newest first.")
    @requires("stock", "read")
    async def stock_movements(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                              last: int | None = None, before: str | None = None,
                              filter: StockMovementFilter | None = None) -> t.StockMovementConnection:
        f = filter or StockMovementFilter()
        m = StockMovement
        stmt = select(m)
        if f.product_id:
            stmt = stmt.where(m.product_id == try_parse_id(f.product_id))
        if f.warehouse_id:
            stmt = stmt.where(m.warehouse_id == try_parse_id(f.warehouse_id))
        if f.kinds:
            stmt = stmt.where(m.kind.in_([k.value for k in f.kinds]))
        if f.reference:
            stmt = stmt.where(m.reference == f.reference.strip())
        if f.from_:
            stmt = stmt.where(m.at >= f.from_)
        if f.to:
            stmt = stmt.where(m.at < f.to)
        return await crm.list_page(info, stmt, order=[m.at, m.id], direction=crm.SortDirection.DESC,
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="Products whose available stock (all warehouses) is below their reorder point, by product.")
    @requires("stock", "read")
    async def low_stock(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None) -> t.LowStockConnection:
        sums = (select(StockLevel.product_id, func.sum(crm.money_raw(StockLevel.on_hand)).label("on_hand"),
                       func.sum(crm.money_raw(StockLevel.reserved)).label("reserved")).group_by(StockLevel.product_id).subquery())
        stmt = (select(StockRule).outerjoin(sums, sums.c.product_id == StockRule.product_id)
                .where(StockRule.tracked.is_(True), StockRule.reorder_point.is_not(None),
                       func.coalesce(sums.c.on_hand, 0) - func.coalesce(sums.c.reserved, 0) < crm.money_raw(StockRule.reorder_point)))
        page = await crm.list_page(info, stmt, order=[StockRule.product_id], first=first, after=after, last=last, before=before)
        ids = [edge.node.product_id for edge in page.edges]
        async with info.context.db.read() as session:
            found = {pid: (crm.raw_to_money(h), crm.raw_to_money(r)) for pid, h, r in
                     (await session.execute(select(sums).where(sums.c.product_id.in_(ids)))).all()} if ids else {}
        for edge in page.edges:
            rule = edge.node
            on_hand, reserved = found.get(rule.product_id, (Decimal(0), Decimal(0)))
            edge.node = t.LowStockItem(product_id=rule.product_id, reorder_point=rule.reorder_point, reorder_quantity=rule.reorder_quantity,
                                       on_hand=on_hand, reserved=reserved)
        return page

    @strawberry.field(description="Stock on hand at the end of `asOf` (default today), valued at cost in the reporting currency.")
    @requires("stock", "read")
    async def stock_valuation(self, info: strawberry.Info, as_of: date | None = None,
                              method: Annotated[t.ValuationMethod, strawberry.argument(description="How stock is valued: average cost or FIFO.")] = t.ValuationMethod.AVERAGE) -> t.StockValuation:
        ctx = info.context
        day = as_of or utcnow().date()
        currency = ctx.settings.currency
        async with ctx.analysis_session() as session:
            rows = await valuation.valuation(session, _end_of(day), method.value, currency)
        items = [t.ValuationRow(product_id=pid, quantity=q, value=v, unit_cost=(v / q).quantize(Decimal("0.0001")) if q else None)
                 for pid, q, v in rows]
        return t.StockValuation(as_of=day, method=method, currency=currency, total=sum((r.value for r in items), Decimal(0)), rows=items)


@strawberry.type
class StockMutation:
    @strawberry.mutation(description="Goods came in: on hand goes up, at the cost given.")
    @requires("stock", "write")
    async def receive_stock(self, info: strawberry.Info, input: ReceiveStockInput) -> t.StockPayload:
        ctx = info.context

        async def work(session):
            product = await _product(session, input.product_id)
            warehouse = await ledger.warehouse_for_move(session, input.warehouse_id)
            qty = quantity(input.quantity)
            if input.unit_cost < 0:
                raise Invalid.one("unitCost", "INVALID", "a cost cannot be negative")
            currency = crm.currency_code(input.currency, default=ctx.settings.currency)
            unit_cost = await crm.convert_amount(ctx, input.unit_cost, currency, utcnow().date())
            if unit_cost is None:
                raise Invalid.one("currency", "INVALID", f"no exchange rate converts {currency} today: set one, or enter the cost in "
                                                         f"{ctx.settings.currency}")
            return await _moved(session, [Move("receipt", product.id, warehouse.id, on_hand=qty, unit_cost=unit_cost,
                                               cost=input.unit_cost, cost_currency=currency, reference=_reference(input.reference))])

        return await mutation(info, t.StockPayload, work)

    @strawberry.mutation(description="Goods left without an order (an order ships with fulfillOrder): on hand goes down. "
                                     "INSUFFICIENT_STOCK when they are not available, unless the warehouse takes backorders.")
    @requires("stock", "write")
    async def ship_stock(self, info: strawberry.Info, input: ShipStockInput) -> t.StockPayload:
        async def work(session):
            product = await _product(session, input.product_id)
            warehouse = await ledger.warehouse_for_move(session, input.warehouse_id)
            qty = quantity(input.quantity)
            return await _moved(session, [Move("shipment", product.id, warehouse.id, on_hand=-qty, reference=_reference(input.reference))],
                                backorders=warehouse.allows_backorders)

        return await mutation(info, t.StockPayload, work)

    @strawberry.mutation(description="Move goods between warehouses: two ledger rows under one transfer number (T-000001).")
    @requires("stock", "write")
    async def transfer_stock(self, info: strawberry.Info, input: TransferStockInput) -> t.StockPayload:
        async def work(session):
            product = await _product(session, input.product_id)
            source = await ledger.warehouse_for_move(session, input.from_warehouse_id, "fromWarehouseId")
            target = await ledger.warehouse_for_move(session, input.to_warehouse_id, "toWarehouseId")
            if source.id == target.id:
                raise Invalid.one("toWarehouseId", "INVALID", "a transfer goes to another warehouse")
            qty = quantity(input.quantity)
            number = await crm.next_number(session, "stock_transfer", "T-{seq:06}")
            reference = f"transfer {number}"
            reason = _reference(input.reference)
            return await _moved(session, [Move("transfer", product.id, source.id, on_hand=-qty, reference=reference, reason=reason),
                                          Move("transfer", product.id, target.id, on_hand=qty, reference=reference, reason=reason)])

        return await mutation(info, t.StockPayload, work)

    @strawberry.mutation(description="Correct on hand (a count, breakage, goods found), with the reason kept in the ledger.")
    @requires("stock", "write")
    async def adjust_stock(self, info: strawberry.Info, input: AdjustStockInput) -> t.StockPayload:
        async def work(session):
            product = await _product(session, input.product_id)
            warehouse = await ledger.warehouse_for_move(session, input.warehouse_id)
            reason = crm.clean_text(input.reason, "reason", required=True, limit=500)
            if input.quantity == 0:
                raise Invalid.one("quantity", "INVALID", "an adjustment changes the quantity: give a positive or negative number")
            qty = quantity(abs(input.quantity)) * (1 if input.quantity > 0 else -1)
            cost = None
            if qty > 0:  # goods found come in at a cost, so that valuation can count them
                if input.unit_cost is not None and input.unit_cost < 0:
                    raise Invalid.one("unitCost", "INVALID", "a cost cannot be negative")
                cost = input.unit_cost if input.unit_cost is not None else (await _last_cost(session, product.id) or Decimal(0))
            elif input.unit_cost is not None:
                raise Invalid.one("unitCost", "INVALID", "only goods found (a positive quantity) come in at a cost")
            return await _moved(session, [Move("adjustment", product.id, warehouse.id, on_hand=qty, unit_cost=cost, reason=reason,
                                               reference=_reference(input.reference))], backorders=warehouse.allows_backorders)

        return await mutation(info, t.StockPayload, work)

    @strawberry.mutation(description="Whether a product is stocked, and when to reorder it.")
    @requires("stock", "write")
    async def set_stock_rule(self, info: strawberry.Info, input: SetStockRuleInput) -> t.StockRulePayload:
        async def work(session):
            product = await session.get(Product, parse_id(input.product_id, "productId"))
            if product is None or product.deleted_at is not None:
                raise Invalid.one("productId", "NOT_FOUND", "product not found")
            for field, value in (("reorderPoint", input.reorder_point), ("reorderQuantity", input.reorder_quantity)):
                if value is not None and (value < 0 or value != value.quantize(Decimal("0.0001"))):
                    raise Invalid.one(field, "INVALID", "a quantity of zero or more, with at most four decimal places")
            if input.reorder_quantity == 0:
                raise Invalid.one("reorderQuantity", "INVALID", "a lot size is more than zero (or null for none)")
            stmt = select(StockRule).where(StockRule.product_id == product.id)
            rule = await session.scalar(stmt.with_for_update() if session.bind.dialect.name == "postgresql" else stmt)
            if rule is None:
                rule = StockRule(product_id=product.id)
                session.add(rule)
            elif input.version is not None and input.version != rule.version:
                raise Invalid.one("version", "CONFLICT", f"the stock rule was changed meanwhile (now version {rule.version})")
            rule.tracked, rule.reorder_point, rule.reorder_quantity = input.tracked, input.reorder_point, input.reorder_quantity
            rule.updated_at = utcnow()
            await session.flush()
            return t.StockRulePayload(rule=rule)

        return await mutation(info, t.StockRulePayload, work)
