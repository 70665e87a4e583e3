"""Products and price lists: what the documents of sales (and later contracts and inventory) are made of."""

from __future__ import annotations

from typing import Annotated

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy import delete, select

import crm
from crm import IdInput, Invalid, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.catalogue.models import PriceList, PriceListItem, Product
from crm.plugins.catalogue.pricing import price_for_customer
from crm.plugins.catalogue.schema import types as t

UNSET = strawberry.UNSET


@strawberry.input
class CreateProductInput:
    sku: str
    name: str
    price: Decimal
    currency: str
    unit: str = "pcs"
    category: str | None = None
    description: str | None = None
    active: bool = True


@strawberry.input
class UpdateProductInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    price: Decimal | None = UNSET
    unit: str | None = UNSET
    category: str | None = UNSET
    description: str | None = UNSET
    active: bool | None = UNSET


@strawberry.input(description="A product's price in one currency.")
class PriceInput:
    product_id: strawberry.ID
    price: Decimal = strawberry.field(description="The price.")


@strawberry.input
class PriceListInput:
    name: str
    currency: str
    segment: str | None = strawberry.field(default=None, description="A customer tag; null applies to everyone.")
    valid_from: date | None = None
    valid_to: date | None = None
    items: list[PriceInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdatePriceListInput:
    id: strawberry.ID
    version: int
    list: PriceListInput = strawberry.field(description="The list's settings and prices (all of them).")


def _price(value: Decimal, field: str = "price") -> Decimal:
    if value < 0:
        raise Invalid.one(field, "INVALID", "a price cannot be negative")
    return value


async def _fill_price_list(session, price_list: PriceList, data: PriceListInput) -> None:
    if not data.name.strip():
        raise Invalid.one("name", "REQUIRED", "a price list needs a name")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise Invalid.one("validTo", "INVALID", "validTo is before validFrom")
    price_list.name, price_list.currency = data.name.strip(), crm.currency_code(data.currency)
    price_list.segment = data.segment.strip().lower() if data.segment and data.segment.strip() else None
    price_list.valid_from, price_list.valid_to = data.valid_from, data.valid_to
    await session.flush()
    await session.execute(delete(PriceListItem).where(PriceListItem.price_list_id == price_list.id))
    seen = set()
    for i, item in enumerate(data.items):
        product_id = parse_id(item.product_id, f"items.{i}.productId")
        if product_id in seen:
            raise Invalid.one(f"items.{i}.productId", "DUPLICATE", "this product is in the list twice")
        seen.add(product_id)
        product = await session.get(Product, product_id)
        if product is None or product.deleted_at is not None:
            raise Invalid.one(f"items.{i}.productId", "NOT_FOUND", "product not found")
        session.add(PriceListItem(price_list_id=price_list.id, product_id=product_id, price=_price(item.price, f"items.{i}.price")))


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="The catalogue's products, a page at a time.")
    @requires("product", "read")
    async def products(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                       last: int | None = None, before: str | None = None, search: str | None = None,
                       category: Annotated[str | None, strawberry.argument(description="Only products of this category.")] = None,
                       active_only: Annotated[bool, strawberry.argument(description="Only products that are sold now.")] = True) -> t.ProductConnection:
        stmt = select(Product).where(Product.deleted_at.is_(None))
        if active_only:
            stmt = stmt.where(Product.active.is_(True))
        if category:
            stmt = stmt.where(Product.category == category)
        if term := crm.search_term(search):
            term = f"%{term}%"
            stmt = stmt.where(Product.name.ilike(term) | Product.sku.ilike(term))
        return await crm.list_page(info, stmt, order=[Product.sku, Product.id],
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="Every price list.")
    @requires("product", "read")
    async def price_lists(self, info: strawberry.Info) -> list[t.PriceList]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(PriceList).where(PriceList.deleted_at.is_(None)).order_by(PriceList.name, PriceList.id))).all())

    @strawberry.field(description="What a customer pays for a product on a day, after price lists; null if there is no price in that currency.")
    @requires("product", "read")
    async def product_price(self, info: strawberry.Info, product_id: strawberry.ID, currency: str, customer_id: strawberry.ID | None = None,
                            on: Annotated[date | None, strawberry.argument(description="The day the price is asked for; today when left out.")] = None) -> Decimal | None:
        currency = crm.currency_argument(info, currency)
        async with info.context.db.read() as session:
            product = await session.get(Product, try_parse_id(product_id) or 0)
            if product is None or product.deleted_at is not None:
                return None
            try:
                return await price_for_customer(session, product, try_parse_id(customer_id) if customer_id else None,
                                                currency, on or utcnow().date())
            except Invalid:
                return None


@strawberry.type
class CatalogueMutation:
    @strawberry.mutation(description="Add a product to the catalogue.")
    @requires("product", "write")
    async def create_product(self, info: strawberry.Info, input: CreateProductInput) -> t.ProductPayload:
        async def work(session):
            sku = input.sku.strip()
            if not sku or len(sku) > 64:
                raise Invalid.one("sku", "REQUIRED", "a SKU of 1 to 64 characters is required")
            if await session.scalar(select(Product.id).where(Product.sku == sku)):
                raise Invalid.one("sku", "DUPLICATE", f"a product with SKU {sku} exists already")
            if not input.name.strip():
                raise Invalid.one("name", "REQUIRED", "a product needs a name")
            product = Product(sku=sku, name=input.name.strip(), price=_price(input.price), currency=crm.currency_code(input.currency),
                              unit=input.unit.strip() or "pcs", category=(input.category or "").strip() or None,
                              description=input.description, active=input.active)
            session.add(product)
            await session.flush()
            return t.ProductPayload(product=product)

        return await mutation(info, t.ProductPayload, work)

    @strawberry.mutation(description="Change a product (a partial update at its version).")
    @requires("product", "write")
    async def update_product(self, info: strawberry.Info, input: UpdateProductInput) -> t.ProductPayload:
        async def work(session):
            product = await fetch_for_write(session, info, Product, input.id, resource="product", version=input.version)
            if input.name is not UNSET:
                if not (input.name or "").strip():
                    raise Invalid.one("name", "REQUIRED", "a product needs a name")
                product.name = input.name.strip()
            if input.price is not UNSET:
                if input.price is None:
                    raise Invalid.one("price", "REQUIRED", "a product needs a price")
                product.price = _price(input.price)
            for field in ("unit", "category", "description"):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(product, field, value)
            if input.active is not UNSET and input.active is not None:
                product.active = input.active
            product.updated_at = utcnow()
            return t.ProductPayload(product=product)

        return await mutation(info, t.ProductPayload, work)

    @strawberry.mutation(description="Soft delete: the product leaves the catalogue; documents that use it keep their lines.")
    @requires("product", "write")
    async def delete_product(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Product, input.id, resource="product")

    @strawberry.mutation(description="Bring a deleted product back into the catalogue.")
    @requires("product", "write")
    async def restore_product(self, info: strawberry.Info, input: IdInput) -> t.ProductPayload:
        return await crm.restore(info, Product, input.id, resource="product", payload=t.ProductPayload, field="product")

    @strawberry.mutation(description="Add a price list.")
    @requires("product", "write")
    async def create_price_list(self, info: strawberry.Info, input: PriceListInput) -> t.PriceListPayload:
        async def work(session):
            price_list = PriceList(name="", currency="EUR")
            session.add(price_list)
            await _fill_price_list(session, price_list, input)
            return t.PriceListPayload(price_list=price_list)

        return await mutation(info, t.PriceListPayload, work)

    @strawberry.mutation(description="Replace a price list's settings and prices.")
    @requires("product", "write")
    async def update_price_list(self, info: strawberry.Info, input: UpdatePriceListInput) -> t.PriceListPayload:
        async def work(session):
            price_list = await fetch_for_write(session, info, PriceList, input.id, resource="product", version=input.version)
            await _fill_price_list(session, price_list, input.list)
            price_list.updated_at = utcnow()
            return t.PriceListPayload(price_list=price_list)

        return await mutation(info, t.PriceListPayload, work)

    @strawberry.mutation(description="Soft delete: its prices stop applying; documents priced from it keep their prices.")
    @requires("product", "write")
    async def delete_price_list(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, PriceList, input.id, resource="product")

    @strawberry.mutation(description="Bring a deleted price list back: its prices apply again.")
    @requires("product", "write")
    async def restore_price_list(self, info: strawberry.Info, input: IdInput) -> t.PriceListPayload:
        return await crm.restore(info, PriceList, input.id, resource="product", payload=t.PriceListPayload, field="price_list")
