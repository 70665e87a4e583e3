"""Stock at scale for `crm bench generate`: 10,000 products in 5 warehouses and a year of movements, ten per
customer (10M ledger rows at 1M customers): receipts at a cost, shipments, a few count adjustments. Levels are
derived from the ledger once every chunk is loaded (`finish`), as `crm inventory check` would recompute them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, literal, select

import crm
from crm.plugins.catalogue.models import Product
from crm.plugins.inventory.models import StockLevel, StockMovement, StockRule, Warehouse

PRODUCTS = 10_000
WAREHOUSES = 5
PER_CUSTOMER = 10
UNIT = 10_000  # Money columns take whole ten-thousandths
COLUMNS = ("id", "at", "kind", "product_id", "warehouse_id", "on_hand_delta", "reserved_delta", "unit_cost", "cost", "cost_currency",
           "reference", "reason", "actor_id")
TABLES = (StockMovement.__table__,)


async def prepare(runtime):
    """The bench products, warehouses and reorder points (made once), and the running stock per product and warehouse
    that keeps every generated level at or above zero."""
    async with runtime.db.write() as session:
        warehouses = list((await session.scalars(select(Warehouse.id).where(Warehouse.code.like("BENCH-%")).order_by(Warehouse.id))).all())
        if not warehouses:
            for i in range(WAREHOUSES):
                session.add(Warehouse(code=f"BENCH-{i + 1}", name=f"Bench warehouse {i + 1}", is_default=i == 0 and not await session.scalar(
                    select(Warehouse.id).where(Warehouse.is_default.is_(True)))))
            await session.flush()
            warehouses = list((await session.scalars(select(Warehouse.id).where(Warehouse.code.like("BENCH-%")).order_by(Warehouse.id))).all())
        products = list((await session.scalars(select(Product.id).where(Product.sku.like("STOCK-%")).order_by(Product.id))).all())
        if not products:
            now = crm.utcnow()
            await session.execute(insert(Product.__table__), [
                {"sku": f"STOCK-{i:05d}", "name": f"Stock item {i}", "unit": "pcs", "price": (5 + i % 500) * UNIT, "currency": "EUR",
                 "category": f"group {i % 40}", "active": True, "created_at": now, "updated_at": now, "version": 1} for i in range(PRODUCTS)])
            products = list((await session.scalars(select(Product.id).where(Product.sku.like("STOCK-%")).order_by(Product.id))).all())
            await session.execute(insert(StockRule.__table__), [
                {"product_id": pid, "tracked": True, "reorder_point": 200 * UNIT, "reorder_quantity": 500 * UNIT, "created_at": now,
                 "updated_at": now, "version": 1} for pid in products[::3]])
        levels = {(p, w): on_hand for p, w, on_hand in (await session.execute(
            select(StockLevel.product_id, StockLevel.warehouse_id, crm.money_raw(StockLevel.on_hand)))).all()}
    return {"products": products, "warehouses": warehouses, "levels": levels}


def generate(ctx, first: int, count: int):
    rng, now, data = ctx.rng, ctx.now, ctx.prepared["inventory"]
    products, warehouses, levels = data["products"], data["warehouses"], data["levels"]
    n = count * PER_CUSTOMER
    movement_id = ctx.take_ids("inventory_movement", n)
    rows = []
    for i in range(n):
        product, warehouse = rng.choice(products), rng.choice(warehouses)
        at = now - timedelta(seconds=rng.randrange(365 * 86400))
        held = levels.get((product, warehouse), 0)
        roll = rng.random()
        cost = None
        # Deliveries about match what leaves (7 % of movements at 100 units, 88 % at 8), as in a business whose stock turns
        # over several times a year: on hand stays a few deliveries deep instead of piling up for a year.
        if roll < 0.07 or held < 20 * UNIT:  # a delivery (or one that must come before anything can leave)
            kind, qty, cost = "receipt", rng.randint(50, 150) * UNIT, (product % 500 + 2) * UNIT * rng.choice((95, 100, 105)) // 100
            reference, reason = f"delivery {at:%Y%m%d}", None
        elif roll < 0.95:
            kind, qty, reference, reason = "shipment", -rng.randint(1, 15) * UNIT, f"sale {first + i // PER_CUSTOMER}", None
        else:
            kind, qty, reference, reason = "adjustment", -rng.randint(1, 3) * UNIT, "count", "count: damaged"
        levels[(product, warehouse)] = held + qty
        rows.append((movement_id + i, at, kind, product, warehouse, qty, 0, cost, cost, "EUR" if cost else None, reference, reason, None))
    yield StockMovement.__table__, COLUMNS, rows


async def finish(runtime):
    """Every level anew from the ledger: one INSERT ... SELECT of the sums."""
    m = StockMovement
    async with runtime.db.write() as session:
        await session.execute(delete(StockLevel))
        sums = select(m.product_id, m.warehouse_id, func.sum(crm.money_raw(m.on_hand_delta)), func.sum(crm.money_raw(m.reserved_delta)),
                      literal(crm.utcnow(), crm.UTCDateTime())).group_by(m.product_id, m.warehouse_id)
        await session.execute(insert(StockLevel).from_select(["product_id", "warehouse_id", "on_hand", "reserved", "updated_at"], sums))
