"""Demo data for `crm demo`: two warehouses, a few products that are stocked (the software catalogue is not), half a
year of receipts, shipments and a count, and reorder points that put one product on the low-stock list."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from crm import utcnow
from crm.plugins.catalogue.models import Product
from crm.plugins.inventory import ledger
from crm.plugins.inventory.ledger import Move
from crm.plugins.inventory.models import StockRule, Warehouse

HARDWARE = [("HW-READER", "Card reader", "pcs", "89.00", "41.50", 12), ("HW-SCANNER", "Barcode scanner", "pcs", "149.00", "72.00", 20),
            ("HW-PRINTER", "Receipt printer", "pcs", "229.00", "118.00", 8), ("HW-PAPER", "Thermal paper roll", "roll", "1.90", "0.62", 400)]


async def load(session, rng, users) -> int:
    software = (await session.scalars(select(Product.id).where(Product.deleted_at.is_(None)))).all()
    session.add_all(StockRule(product_id=pid, tracked=False) for pid in software)  # seats and services are not stocked
    main = Warehouse(code="MAIN", name="Main warehouse", address="Industriestrasse 4, Hamburg", is_default=True)
    north = Warehouse(code="NORTH", name="Northern depot", address="Havnegade 12, Aarhus", allows_backorders=True)
    products = [Product(sku=sku, name=name, unit=unit, price=Decimal(price), currency="EUR", category="hardware")
                for sku, name, unit, price, _, _ in HARDWARE]
    session.add_all([main, north, *products])
    await session.flush()
    now, count = utcnow(), 0
    for product, (_, _, _, _, cost, lot) in zip(products, HARDWARE):
        session.add(StockRule(product_id=product.id, tracked=True, reorder_point=Decimal(lot * 2), reorder_quantity=Decimal(lot * 5)))
        for month in range(6, 0, -1):  # a delivery a month to the main warehouse, some sold, a few sent north
            day = now - timedelta(days=30 * month + rng.randrange(5))
            moves = [Move("receipt", product.id, main.id, on_hand=Decimal(lot * rng.randint(3, 6)), at=day,
                          unit_cost=Decimal(cost) * Decimal(rng.choice(("0.95", "1", "1.05"))), reference=f"delivery {day:%Y-%m}"),
                     Move("shipment", product.id, main.id, on_hand=-Decimal(lot * rng.randint(2, 3)), at=day + timedelta(days=9),
                          reference="counter sale")]
            if month % 2 == 0:
                moves.append(Move("transfer", product.id, main.id, on_hand=-Decimal(lot), at=day + timedelta(days=3), reference="transfer demo"))
                moves.append(Move("transfer", product.id, north.id, on_hand=Decimal(lot), at=day + timedelta(days=3), reference="transfer demo"))
            if len(moves) > 2 and await ledger.available(session, product.id, main.id) + moves[0].on_hand + moves[1].on_hand < lot:
                moves = moves[:2]  # the month's sales took what the transfer would have sent north (the main warehouse has no backorders)
            for m in moves:
                m.unit_cost = m.unit_cost.quantize(Decimal("0.01")) if m.unit_cost is not None else None
                await ledger.move(session, m, backorders=True)
                count += 1
    # The last count found two readers broken; the printers ran low after a big order.
    await ledger.move(session, Move("adjustment", products[0].id, main.id, on_hand=Decimal(-2), reason="count: broken in storage",
                                    at=now - timedelta(days=2)), backorders=True)
    for house, keep in ((main, 5), (north, 0)):
        level = await ledger.available(session, products[2].id, house.id)
        if level > keep:
            await ledger.move(session, Move("shipment", products[2].id, house.id, on_hand=-(level - keep), reference="large order",
                                            at=now - timedelta(days=1)), backorders=True)
            count += 1
    return count + 1
