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
    sku: str
    name: str
    unit: str
    price: Decimal
    currency: str
    category: str | None
    description: str | None
    active: bool
    version: int
    deleted_at: datetime | None


# Published by name (other plugins add fields: inventory's stock levels), so referred to lazily, as the core's Customer.
ProductRef = crm.api_type("Product")


async def _product(info: strawberry.Info, product_id) -> models.Product | None:
    return None if product_id is None else await crm.by_id_loader(info.context, models.Product).load(int(product_id))


@strawberry.type(description="A product's price in a price list.")
class PriceListItem:
    price: Decimal
    product_id: strawberry.ID

    @strawberry.field
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        return await _product(info, self.product_id)


@strawberry.type(description="Prices in one currency, for everyone or one customer segment, valid between two dates.")
class PriceList:
    id: strawberry.ID
    name: str
    currency: str
    segment: str | None = strawberry.field(description="Applies to customers with this tag; null for everyone.")
    valid_from: date | None
    valid_to: date | None
    version: int

    @strawberry.field
    @inherited
    async def items(self, info: strawberry.Info) -> list[PriceListItem]:
        item = models.PriceListItem
        return await crm.children_loader(info.context, item, "price_list_id", [item.product_id]).load(self.id)


@strawberry.type(name="LineItem", description="A line of a document (opportunity, quote, order): a product or free text.")
class Line:
    id: strawberry.ID
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    tax_percent: Decimal
    net: Decimal = strawberry.field(description="Quantity x unit price, less the discount, rounded to the currency's unit.")
    tax: Decimal
    product_id: strawberry.ID | None

    @strawberry.field(description="The product, also when it has left the catalogue since (deletedAt tells).")
    @requires("product", "read")
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        return await _product(info, self.product_id)


ProductConnection = connection_type("Product", ProductRef)
ProductPayload = payload_type("Product", product=ProductRef)
PriceListPayload = payload_type("PriceList", price_list=PriceList)
