"""GraphQL types of the catalogue. `LineItem` is published by name: sales (and any plugin with document lines)
refers to it as `crm.api_type("LineItem")`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

import crm
from crm import connection_type, inherited, payload_type, requires
from crm.plugins.catalogue import models


@strawberry.type(name="ProductCore", description="Something sold: a list price in one currency; price lists give other prices.")
class Product:
    id: strawberry.ID
    sku: str = strawberry.field(description="Its stock-keeping unit: unique.")
    name: str = strawberry.field(description="Its name.")
    unit: str = strawberry.field(description="What one of it is (piece, hour, licence, ...).")
    price: Decimal = strawberry.field(description="Its list price, in its currency.")
    currency: str
    category: str | None = strawberry.field(description="Its category.")
    description: str | None = strawberry.field(description="What it is.")
    active: bool
    version: int
    deleted_at: datetime | None


# Published by name (other plugins add fields: inventory's stock levels), so referred to lazily, as the core's Customer.
ProductRef = crm.api_type("Product")


async def _product(info: strawberry.Info, product_id) -> models.Product | None:
    return None if product_id is None else await crm.by_id_loader(info.context, models.Product).load(int(product_id))


@strawberry.type(description="A product's price in a price list.")
class PriceListItem:
    price: Decimal = strawberry.field(description="The product's price in the list.")
    product_id: strawberry.ID

    @strawberry.field(description="The product.")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        return await _product(info, self.product_id)


@strawberry.type(description="Prices in one currency, for everyone or one customer segment, valid between two dates.")
class PriceList:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    currency: str
    segment: str | None = strawberry.field(description="Applies to customers with this tag; null for everyone.")
    valid_from: date | None = strawberry.field(description="Its first day; null: from always.")
    valid_to: date | None = strawberry.field(description="Its last day; null: for ever.")
    version: int

    @strawberry.field(description="Its prices.")
    @inherited
    async def items(self, info: strawberry.Info) -> list[PriceListItem]:
        item = models.PriceListItem
        return await crm.children_loader(info.context, item, "price_list_id", [item.product_id]).load(self.id)


@strawberry.type(name="LineItem", description="A line of a document (opportunity, quote, order): a product or free text.")
class Line:
    id: strawberry.ID
    position: int
    description: str = strawberry.field(description="What is sold, in words (the product's name by default).")
    quantity: Decimal = strawberry.field(description="How many.")
    unit_price: Decimal = strawberry.field(description="The price of one, before discount and tax.")
    discount_percent: Decimal = strawberry.field(description="The discount, in percent.")
    tax_percent: Decimal = strawberry.field(description="The tax rate, in percent.")
    net: Decimal = strawberry.field(description="Quantity x unit price, less the discount, rounded to the currency's unit.")
    tax: Decimal = strawberry.field(description="The line's tax, rounded to the currency's unit.")
    product_id: strawberry.ID | None

    @strawberry.field(description="The product, also when it has left the catalogue since (deletedAt tells).")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        return await _product(info, self.product_id)


ProductConnection = connection_type("Product", ProductRef)
ProductPayload = payload_type("Product", product=ProductRef)
PriceListPayload = payload_type("PriceList", price_list=PriceList)
