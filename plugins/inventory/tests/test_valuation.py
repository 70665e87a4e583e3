"""Valuation at cost against figures computed by hand, today and at the end of a past day."""

from datetime import timedelta

from inventory_helpers import ADJUST, SHIP, TRANSFER, move, product, receive, warehouse
from sqlalchemy import update

from crm import utcnow
from crm.plugins.inventory.models import StockMovement

VALUATION = """query($d: Date, $m: ValuationMethod) { stockValuation(asOf: $d, method: $m) {
  asOf method currency total rows { product { sku } quantity unitCost value } } }"""


async def test_fifo_and_average_today_and_on_a_past_day(make_app, monkeypatch):
    api = await make_app(plugins=["inventory"])
    main, north = await warehouse(api, "MAIN"), await warehouse(api, "NORTH")
    bolt, nut = await product(api, "BOLT"), await product(api, "NUT")
    # BOLT: 10 at 5.00 twenty days ago, 10 at 7.00 ten days ago, 4 sent north, 12 sold today, 2 found today at 6.10.
    # NUT: 100 at 0.333 five days ago (three decimals: rounding happens once, on the value).
    await receive(api, bolt, main["id"], "10", unit_cost="5.00")
    await receive(api, bolt, main["id"], "10", unit_cost="7.00")
    await move(api, TRANSFER, "transferStock", productId=bolt, fromWarehouseId=main["id"], toWarehouseId=north["id"], quantity="4")
    await receive(api, nut, main["id"], "100", unit_cost="0.333")
    async with api.runtime.db.write() as session:  # back-date what happened before today
        days = {1: 20, 2: 10, 3: 9, 4: 9, 5: 5}
        for movement_id, ago in days.items():
            await session.execute(update(StockMovement).where(StockMovement.id == movement_id).values(at=utcnow() - timedelta(days=ago)))
    assert (await move(api, SHIP, "shipStock", productId=bolt, warehouseId=main["id"], quantity="12"))["errors"] == []
    found = await move(api, ADJUST, "adjustStock", productId=bolt, warehouseId=north["id"], quantity="2", reason="count", unitCost="6.10")
    assert found["errors"] == []

    fifo = (await api.admin(VALUATION, {"m": "FIFO"}))["stockValuation"]
    # BOLT on hand 10: the newest layers first: 2 at 6.10 + 8 of the 10 at 7.00 = 12.20 + 56.00 = 68.20. NUT: 33.30.
    assert [(r["product"]["sku"], r["quantity"], r["value"], r["unitCost"]) for r in fifo["rows"]] == [
        ("BOLT", "10.00", "68.20", "6.82"), ("NUT", "100.00", "33.30", "0.333")]
    assert fifo["total"] == "101.50" and fifo["currency"] == "EUR" and fifo["method"] == "FIFO"
    from crm.plugins.inventory import valuation

    monkeypatch.setattr(valuation, "NEWEST", 1)  # PostgreSQL reads the newest layers first: BOLT then needs all of its own
    assert (await api.admin(VALUATION, {"m": "FIFO"}))["stockValuation"] == fifo
    average = (await api.admin(VALUATION, {"m": "AVERAGE"}))["stockValuation"]
    # BOLT: (50 + 70 + 12.20) / 22 units = 6.00909... a unit, times 10 = 60.09.
    assert [(r["product"]["sku"], r["value"]) for r in average["rows"]] == [("BOLT", "60.09"), ("NUT", "33.30")]

    week_ago = (utcnow() - timedelta(days=7)).date().isoformat()
    past = (await api.admin(VALUATION, {"d": week_ago, "m": "FIFO"}))["stockValuation"]
    # A week ago: BOLT 20 on hand (the 4 sent north are still ours), nothing sold yet, NUT not yet received.
    assert [(r["product"]["sku"], r["quantity"], r["value"]) for r in past["rows"]] == [("BOLT", "20.00", "120.00")]
    long_ago = (utcnow() - timedelta(days=15)).date().isoformat()
    assert [(r["quantity"], r["value"]) for r in (await api.admin(VALUATION, {"d": long_ago, "m": "AVERAGE"}))["stockValuation"]["rows"]] == [
        ("10.00", "50.00")]
