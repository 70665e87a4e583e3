"""What inventory adds to other modules' types, by name: a product's stock, an order's fulfilment; and the choice of
the warehouse an order reserves in."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy import delete, select

import crm
from crm import Invalid, fetch_for_write, mutation, requires
from crm.plugins.inventory import ledger
from crm.plugins.inventory.models import OrderStock, OrderWarehouse, StockLevel, Warehouse
from crm.plugins.inventory.orders import order_warehouse
from crm.plugins.inventory.schema import types as t
from crm.plugins.sales.models import Order


def _levels_loader(ctx):
    async def load(ids):
        async with ctx.db.read() as session:
            rows = (await session.scalars(select(StockLevel).where(StockLevel.product_id.in_(ids))
                                          .order_by(StockLevel.product_id, StockLevel.warehouse_id))).all()
        return crm.grouped(rows, ids, lambda r: r.product_id)

    return ctx.loader("inventory.product.levels", load)


@strawberry.type
class ProductStock:
    @strawberry.field(description="Stock in each warehouse that has held this product.")
    @requires("stock", "read", or_null=True)
    async def stock(self, info: strawberry.Info) -> list[t.StockLevel] | None:
        return await _levels_loader(info.context).load(int(self.id))

    @strawberry.field(description="On hand less reserved, over all warehouses: what a rep can still promise.")
    @requires("stock", "read", or_null=True)
    async def available(self, info: strawberry.Info) -> Decimal | None:
        levels = await _levels_loader(info.context).load(int(self.id))
        return sum((lv.on_hand - lv.reserved for lv in levels), Decimal(0))


def _fulfilment_loader(ctx):
    async def load(ids):
        async with ctx.db.read() as session:
            rows = (await session.scalars(select(OrderStock).where(OrderStock.order_id.in_(ids)).order_by(OrderStock.order_id, OrderStock.id))).all()
            chosen = dict((await session.execute(select(OrderWarehouse.order_id, OrderWarehouse.warehouse_id)
                                                 .where(OrderWarehouse.order_id.in_(ids)))).all())
            default = await session.scalar(select(Warehouse.id).where(Warehouse.is_default.is_(True), Warehouse.deleted_at.is_(None)))
        return [(lines, chosen.get(i, default)) for i, lines in zip(ids, crm.grouped(rows, ids, lambda r: r.order_id))]

    return ctx.loader("inventory.order.fulfilment", load)


def _line_status(row: OrderStock) -> t.FulfilmentStatus:
    if row.status == "reserved" and row.backordered > 0:
        return t.FulfilmentStatus.BACKORDERED
    return t.FulfilmentStatus(row.status)


@strawberry.type
class OrderStockFields:
    @strawberry.field(description="Where the order's goods stand: what its lines hold in stock, and in which warehouse.")
    @requires("stock", "read", or_null=True)
    async def fulfilment(self, info: strawberry.Info) -> t.OrderFulfilment | None:
        rows, warehouse_id = await _fulfilment_loader(info.context).load(int(self.id))
        lines = [t.FulfilmentLine(order_line_id=r.order_line_id, product_id=r.product_id, warehouse_id=r.warehouse_id, quantity=r.quantity,
                                  backordered=r.backordered, status=_line_status(r)) for r in rows]
        if rows:
            statuses = {line.status for line in lines}
            status = statuses.pop() if len(statuses) == 1 else (t.FulfilmentStatus.BACKORDERED if t.FulfilmentStatus.BACKORDERED in statuses
                                                                 else t.FulfilmentStatus.RESERVED)
            warehouse_id = rows[0].warehouse_id
        else:
            status = t.FulfilmentStatus.PENDING if self.status == "draft" else t.FulfilmentStatus.NOT_TRACKED
        return t.OrderFulfilment(status=status, warehouse_id=warehouse_id, lines=lines)


@strawberry.input
class SetOrderWarehouseInput:
    order_id: strawberry.ID
    warehouse_id: strawberry.ID | None = strawberry.field(description="null: the default warehouse again.")


@strawberry.type
class OrderWarehouseMutation:
    @strawberry.mutation(description="Choose the warehouse a draft order will reserve in when it is confirmed.")
    @requires("order", "write")
    async def set_order_warehouse(self, info: strawberry.Info, input: SetOrderWarehouseInput) -> t.OrderWarehousePayload:
        async def work(session):
            order = await fetch_for_write(session, info, Order, input.order_id, resource="order", field="orderId")
            if order.status != "draft":
                raise Invalid.one("orderId", "INVALID", f"a {order.status} order keeps the warehouse it reserved in")
            await session.execute(delete(OrderWarehouse).where(OrderWarehouse.order_id == order.id))
            if input.warehouse_id is not None:
                if not info.context.access.can("warehouse", "read"):
                    raise Invalid.one("warehouseId", "NOT_FOUND", "warehouse not found")
                warehouse = await ledger.warehouse_for_move(session, input.warehouse_id)
                session.add(OrderWarehouse(order_id=order.id, warehouse_id=warehouse.id))
            order.updated_at = crm.utcnow()  # a version step: the order's plan changed
            await session.flush()
            return t.OrderWarehousePayload(warehouse=await order_warehouse(session, order.id))

        return await mutation(info, t.OrderWarehousePayload, work)

