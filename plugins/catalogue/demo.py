"""Demo data for `crm demo`: a small software catalogue, with a partner price list."""

from __future__ import annotations

from decimal import Decimal

from crm.plugins.catalogue.models import PriceList, PriceListItem, Product

PRODUCTS = [("CRM-SEAT", "CRM seat (yearly)", "seat", "480.00"), ("ONBOARD", "Onboarding package", "pcs", "2500.00"),
            ("SUPPORT-G", "Gold support (yearly)", "pcs", "6000.00"), ("API-PACK", "API call pack", "pack", "199.00"),
            ("TRAINING", "Training day", "day", "1200.00")]


async def load(session, rng, users) -> int:
    products = [Product(sku=sku, name=name, unit=unit, price=Decimal(price), currency="EUR", category="software")
                for sku, name, unit, price in PRODUCTS]
    session.add_all(products)
    partners = PriceList(name="Partners", currency="EUR", segment="partner")
    session.add(partners)
    await session.flush()
    session.add_all(PriceListItem(price_list_id=partners.id, product_id=p.id, price=p.price * Decimal("0.8")) for p in products)
    return len(products)
