"""Stock for sales' orders, by their events: a confirmed order reserves its lines, a cancelled one releases them, a
fulfilled one ships what it holds. Each step acts once: the line's `OrderStock` row says what was done, so an event
that arrives again (a retried request, a replay) finds the work done and does nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update

from crm import Invalid, utcnow
from crm.plugins.catalogue.models import Product
from crm.plugins.inventory import ledger
from crm.plugins.inventory.ledger import plain as _plain
from crm.plugins.inventory.models import OrderStock, OrderWarehouse, StockRule, Warehouse
from crm.plugins.sales.models import OrderLine


async def order_warehouse(session, order_id: int) -> Warehouse | None:
    """The order's warehouse: the one chosen for it, else the default one; None while there is no warehouse at all."""
    chosen = await session.scalar(select(OrderWarehouse.warehouse_id).where(OrderWarehouse.order_id == order_id))
    stmt = select(Warehouse).where(Warehouse.deleted_at.is_(None), Warehouse.active.is_(True))
    stmt = stmt.where(Warehouse.id == chosen) if chosen else stmt.where(Warehouse.is_default.is_(True))
    return await session.scalar(stmt)


async def reserve(session, order) -> None:
    """Hold each stocked line of a confirmed order in its warehouse. Short of stock, the confirmation is refused
    (INSUFFICIENT_STOCK, naming the line) unless the warehouse takes backorders: then the whole quantity is reserved
    and the part beyond what was available is recorded as backordered."""
    warehouse = await order_warehouse(session, order.id)
    if warehouse is None:
        return  # no warehouse set up yet: stock is not tracked, orders go through as before
    lines = (await session.execute(
        select(OrderLine.id, OrderLine.product_id, OrderLine.quantity, OrderLine.position)
        .outerjoin(StockRule, StockRule.product_id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id, OrderLine.product_id.is_not(None), StockRule.tracked.is_not(False))
        .order_by(OrderLine.position, OrderLine.id))).all()
    done = set((await session.scalars(select(OrderStock.order_line_id).where(OrderStock.order_id == order.id))).all())
    # Lines in product order, so two orders reserving the same products lock their levels in the same order.
    for line in sorted((x for x in lines if x.id not in done), key=lambda x: (x.product_id, x.id)):
        before = await ledger.available(session, line.product_id, warehouse.id)
        try:
            await ledger.move(session, ledger.Move("reservation", line.product_id, warehouse.id, reserved=line.quantity,
                                                   reference=f"order {order.number}"), backorders=warehouse.allows_backorders)
        except Invalid:
            sku = await session.scalar(select(Product.sku).where(Product.id == line.product_id))
            raise Invalid.one("id", "INSUFFICIENT_STOCK", f"{sku}: {_plain(line.quantity)} ordered, {_plain(max(before, Decimal(0)))} "
                                                        f"available in {warehouse.code}, which takes no backorders") from None
        short = max(Decimal(0), line.quantity - max(before, Decimal(0)))
        session.add(OrderStock(order_id=order.id, order_line_id=line.id, product_id=line.product_id, warehouse_id=warehouse.id,
                               quantity=line.quantity, backordered=short, status="reserved", updated_at=utcnow()))


async def _settle(session, order, status: str) -> list[OrderStock]:
    """Mark the order's held lines `status`, each once: the conditional UPDATE takes only lines still reserved."""
    held = (await session.execute(update(OrderStock).where(OrderStock.order_id == order.id, OrderStock.status == "reserved")
                                  .values(status=status, updated_at=utcnow())
                                  .returning(OrderStock.id, OrderStock.product_id, OrderStock.warehouse_id, OrderStock.quantity)
                                  .execution_options(synchronize_session=False))).all()
    return sorted(held, key=lambda h: (h.product_id, h.id))


async def release(session, order) -> None:
    for line in await _settle(session, order, "released"):
        await ledger.move(session, ledger.Move("release", line.product_id, line.warehouse_id, reserved=-line.quantity,
                                               reference=f"order {order.number}"), backorders=True)


async def ship(session, order) -> None:
    """The held goods leave: on hand and reserved go down together. Goods reserved on backorder that have not come
    in yet cannot leave: the fulfilment is refused (INSUFFICIENT_STOCK) and the order stays confirmed."""
    for line in await _settle(session, order, "shipped"):
        try:
            await ledger.move(session, ledger.Move("shipment", line.product_id, line.warehouse_id, on_hand=-line.quantity,
                                                   reserved=-line.quantity, reference=f"order {order.number}"), backorders=True)
        except Invalid:
            sku = await session.scalar(select(Product.sku).where(Product.id == line.product_id))
            raise Invalid.one("id", "INSUFFICIENT_STOCK", f"{sku}: {_plain(line.quantity)} reserved but not all on hand yet; "
                                                        "receive the goods first") from None
