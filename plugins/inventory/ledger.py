"""Every change of stock goes through `move`: one ledger row and the level's change, in the caller's transaction.

Races are decided by the database. The level changes with one conditional UPDATE (`... WHERE on hand stays >= 0
AND available stays >= 0 ... RETURNING`): on PostgreSQL concurrent movements of one product in one warehouse queue
on the level's row and each sees the others' results (READ COMMITTED re-checks the condition on the newest row), on
SQLite one write transaction runs at a time. A movement that would oversell therefore matches no row and is refused,
however many run at once, and no update is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import literal, select, update

import crm
from crm import Invalid, Money, utcnow
from crm.plugins.inventory.models import StockLevel, StockMovement, Warehouse

ZERO = Decimal(0)


@dataclass
class Move:
    """One movement to write: its effect on on hand and on reserved, in the product's unit."""

    kind: str
    product_id: int
    warehouse_id: int
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    unit_cost: Decimal | None = None
    cost: Decimal | None = None
    cost_currency: str | None = None
    reference: str | None = None
    reason: str | None = None
    at: datetime | None = None  # when it happened, for loading history (demo data); the API's movements happen now


async def available(session, product_id: int, warehouse_id: int) -> Decimal:
    level = (await session.execute(select(StockLevel.on_hand, StockLevel.reserved).where(
        StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id))).first()
    return (level.on_hand - level.reserved) if level else ZERO


async def move(session, m: Move, *, backorders: bool = False, field: str = "quantity") -> StockMovement:
    """Write `m` to the ledger and its level; returns the ledger row. INSUFFICIENT_STOCK (on
    `field`, with what is available) when on hand would go below zero, or available would and the warehouse takes
    no backorders (`backorders`)."""
    now = utcnow()
    await session.execute(crm.upsert(session, StockLevel).values(product_id=m.product_id, warehouse_id=m.warehouse_id, on_hand=ZERO,
                                                              reserved=ZERO, updated_at=now).on_conflict_do_nothing())
    on_hand, reserved = StockLevel.on_hand + literal(m.on_hand, Money()), StockLevel.reserved + literal(m.reserved, Money())
    stmt = (update(StockLevel).where(StockLevel.product_id == m.product_id, StockLevel.warehouse_id == m.warehouse_id)
            .values(on_hand=on_hand, reserved=reserved, updated_at=now).returning(StockLevel.on_hand, StockLevel.reserved))
    if m.on_hand < 0:  # goods that are not there cannot leave, backorders or not
        stmt = stmt.where(on_hand >= literal(ZERO, Money()))
    if m.on_hand - m.reserved < 0 and not backorders:
        stmt = stmt.where(on_hand - reserved >= literal(ZERO, Money()))
    row = (await session.execute(stmt.execution_options(synchronize_session=False))).first()
    if row is None:
        left = await available(session, m.product_id, m.warehouse_id)
        raise Invalid.one(field, "INSUFFICIENT_STOCK", f"not enough stock: {plain(left)} available in this warehouse")
    movement = StockMovement(at=m.at or now, kind=m.kind, product_id=m.product_id, warehouse_id=m.warehouse_id, on_hand_delta=m.on_hand,
                             reserved_delta=m.reserved, unit_cost=m.unit_cost, cost=m.cost, cost_currency=m.cost_currency,
                             reference=m.reference, reason=m.reason, actor_id=session.info.get("actor_id"))
    session.add(movement)
    return movement


def plain(value: Decimal) -> str:
    """3 for 3.0000, 2.5 for 2.5000: quantities as people write them in messages."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")


async def warehouse_for_move(session, raw_id, field: str = "warehouseId") -> Warehouse:
    warehouse = await session.get(Warehouse, crm.parse_id(raw_id, field))
    if warehouse is None or warehouse.deleted_at is not None:
        raise Invalid.one(field, "NOT_FOUND", "warehouse not found")
    if not warehouse.active:
        raise Invalid.one(field, "INVALID", f"warehouse {warehouse.code} is not active")
    return warehouse


def quantity(value: Decimal, field: str = "quantity") -> Decimal:
    """A positive quantity that the ledger stores exactly (four decimal places, within crm.Money's range)."""
    if value <= 0:
        raise Invalid.one(field, "INVALID", "the quantity must be more than zero")
    if value != value.quantize(Decimal("0.0001")):
        raise Invalid.one(field, "INVALID", "a quantity has at most four decimal places")
    return value
