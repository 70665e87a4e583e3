"""Warehouses: the places stock is kept in. One is the default, where orders reserve unless told another."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import func, select

import crm
from crm import IdInput, Invalid, fetch_for_write, mutation, requires, utcnow
from crm.plugins.inventory.models import StockLevel, Warehouse
from crm.plugins.inventory.schema import types as t

UNSET = strawberry.UNSET


@strawberry.input
class CreateWarehouseInput:
    code: str
    name: str
    address: str | None = None
    allows_backorders: bool = False
    is_default: bool = strawberry.field(default=False, description="The first warehouse is the default whatever this says.")


@strawberry.input
class UpdateWarehouseInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    address: str | None = UNSET
    active: bool | None = UNSET
    allows_backorders: bool | None = UNSET
    is_default: bool | None = strawberry.field(default=UNSET, description="true makes it the default; the old default stops being it.")


async def _make_default(session, warehouse: Warehouse) -> None:
    """The one default: the old one stops being it (through the ORM, so both changes are audited)."""
    for old in (await session.scalars(select(Warehouse).where(Warehouse.id != warehouse.id, Warehouse.is_default.is_(True)))).all():
        old.is_default, old.updated_at = False, utcnow()
    warehouse.is_default = True


@strawberry.type
class WarehouseQuery:
    @strawberry.field(description="Warehouses by code; inactive ones too when asked.")
    @requires("warehouse", "read")
    async def warehouses(self,
                         info: strawberry.Info,
                         include_inactive: Annotated[bool, strawberry.argument(description="Inactive warehouses too.")] = False) -> list[t.Warehouse]:
        stmt = select(Warehouse).where(Warehouse.deleted_at.is_(None))
        if not include_inactive:
            stmt = stmt.where(Warehouse.active.is_(True))
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt.order_by(Warehouse.code))).all())


@strawberry.type
class WarehouseMutation:
    @strawberry.mutation(description="Add a warehouse.")
    @requires("warehouse", "write")
    async def create_warehouse(self, info: strawberry.Info, input: CreateWarehouseInput) -> t.WarehousePayload:
        async def work(session):
            code = crm.clean_text(input.code, "code", required=True, limit=30).upper()
            if await session.scalar(select(Warehouse.id).where(Warehouse.code == code)):
                raise Invalid.one("code", "DUPLICATE", f"a warehouse with code {code} exists already")
            first = not await session.scalar(select(func.count()).select_from(Warehouse).where(Warehouse.deleted_at.is_(None)))
            warehouse = Warehouse(code=code, name=crm.clean_text(input.name, "name", required=True, limit=200),
                                  address=crm.clean_text(input.address, "address", limit=2000), allows_backorders=input.allows_backorders)
            session.add(warehouse)
            await session.flush()
            if first or input.is_default:
                await _make_default(session, warehouse)
            return t.WarehousePayload(warehouse=warehouse)

        return await mutation(info, t.WarehousePayload, work)

    @strawberry.mutation(description="Change a warehouse; refused with CONFLICT when `version` is not the current one.")
    @requires("warehouse", "write")
    async def update_warehouse(self, info: strawberry.Info, input: UpdateWarehouseInput) -> t.WarehousePayload:
        async def work(session):
            warehouse = await fetch_for_write(session, info, Warehouse, input.id, resource="warehouse", version=input.version)
            if crm.given(input.name):
                warehouse.name = crm.clean_text(input.name, "name", required=True, limit=200)
            if crm.given(input.address):
                warehouse.address = crm.clean_text(input.address, "address", limit=2000)
            if crm.given(input.allows_backorders) and input.allows_backorders is not None:
                warehouse.allows_backorders = input.allows_backorders
            if crm.given(input.active) and input.active is not None:
                if not input.active and warehouse.is_default:
                    raise Invalid.one("active", "INVALID", "the default warehouse stays active; make another one the default first")
                warehouse.active = input.active
            if crm.given(input.is_default) and input.is_default is not None:
                if input.is_default:
                    if not warehouse.active:
                        raise Invalid.one("isDefault", "INVALID", "an inactive warehouse cannot be the default")
                    await _make_default(session, warehouse)
                elif warehouse.is_default:
                    raise Invalid.one("isDefault", "INVALID", "there is always a default warehouse: make another one the default instead")
            warehouse.updated_at = utcnow()
            return t.WarehousePayload(warehouse=warehouse)

        return await mutation(info, t.WarehousePayload, work)

    @strawberry.mutation(description="Soft delete an empty warehouse (nothing on hand or reserved); restoreWarehouse brings it back.")
    @requires("warehouse", "write")
    async def delete_warehouse(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        async def work(session):
            warehouse = await fetch_for_write(session, info, Warehouse, input.id, resource="warehouse")
            stocked = await session.scalar(select(func.count()).select_from(StockLevel).where(
                StockLevel.warehouse_id == warehouse.id, (StockLevel.on_hand != 0) | (StockLevel.reserved != 0)))
            if stocked:
                raise Invalid.one("id", "IN_USE", f"{warehouse.code} still holds stock of {stocked} products: move or adjust it first")
            if warehouse.is_default:
                raise Invalid.one("id", "IN_USE", "the default warehouse cannot be deleted: make another one the default first")
            warehouse.deleted_at = utcnow()
            return crm.DeletePayload()

        return await mutation(info, crm.DeletePayload, work)

    @strawberry.mutation(description="Bring a deleted warehouse back.")
    @requires("warehouse", "write")
    async def restore_warehouse(self, info: strawberry.Info, input: IdInput) -> t.WarehousePayload:
        return await crm.restore(info, Warehouse, input.id, resource="warehouse", payload=t.WarehousePayload, field="warehouse")
