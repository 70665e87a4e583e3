"""Which price a customer pays for a product on a day: the most specific valid price list wins.

A price list for a segment (a customer tag) beats one for everyone; among equals, the one that started last wins;
without any, the product's list price applies (when the currency matches).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, or_, select

import crm
from crm import Invalid
from crm.plugins.catalogue.models import PriceList, PriceListItem, Product


async def price_for_customer(session, product: Product | None, customer_id: int | None, currency: str, on: date) -> Decimal:
    if product is None:
        raise Invalid.one("lines", "REQUIRED", "a line without a product needs a unit price")
    tags = select(crm.CustomerTag.tag).where(crm.CustomerTag.customer_id == customer_id) if customer_id else None
    segment_ok = PriceList.segment.is_(None) if tags is None else or_(PriceList.segment.is_(None), PriceList.segment.in_(tags))
    price = await session.scalar(
        select(PriceListItem.price)
        .join(PriceList, PriceList.id == PriceListItem.price_list_id)
        .where(
            PriceListItem.product_id == product.id, PriceList.deleted_at.is_(None), PriceList.currency == currency, segment_ok,
            or_(PriceList.valid_from.is_(None), PriceList.valid_from <= on), or_(PriceList.valid_to.is_(None), PriceList.valid_to >= on),
        )
        .order_by(case((PriceList.segment.is_(None), 1), else_=0), PriceList.valid_from.desc().nulls_last(), PriceList.id.desc())
        .limit(1)
    )
    if price is not None:
        return price
    if product.currency != currency:
        raise Invalid.one("lines", "INVALID", f"{product.name} has no price in {currency}; add a price list or give a unit price")
    return product.price
