"""A property: whatever movements are asked for, in whatever order, the levels equal the ledger's sums, no level
goes below zero on hand, and a refused movement changes nothing (checked against a model kept in the test)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inventory_helpers import ADJUST, RECEIVE, SHIP, TRANSFER, move, product, warehouse
from test_stock import ledger_agrees

import pytest

QUANTITIES = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4)
MOVES = st.lists(st.tuples(st.sampled_from(["receive", "ship", "transfer", "adjust"]), st.integers(0, 2), st.integers(0, 2), QUANTITIES,
                           st.booleans()), min_size=1, max_size=12)


@pytest.fixture
async def stocked(make_app):
    api = await make_app(plugins=["inventory"])
    houses = [await warehouse(api, code, allowsBackorders=code == "B") for code in ("A", "B", "C")]
    return api, houses, iter(range(10_000))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
async def test_levels_always_equal_the_ledger(stocked, moves):
    api, houses, numbers = stocked
    pid = await product(api, f"P{next(numbers)}")  # a product of its own for each example: the model starts at zero
    model = {h["id"]: Decimal(0) for h in houses}
    for kind, a, b, qty, up in moves:
        source, target = houses[a]["id"], houses[b]["id"]
        if kind == "receive":
            done = await move(api, RECEIVE, "receiveStock", productId=pid, warehouseId=source, quantity=str(qty), unitCost="1")
            change = {source: qty}
        elif kind == "ship":
            done = await move(api, SHIP, "shipStock", productId=pid, warehouseId=source, quantity=str(qty))
            change = {source: -qty}
        elif kind == "transfer":
            done = await move(api, TRANSFER, "transferStock", productId=pid, fromWarehouseId=source, toWarehouseId=target, quantity=str(qty))
            change = {source: -qty, target: qty} if source != target else {}
        else:
            signed = qty if up else -qty
            done = await move(api, ADJUST, "adjustStock", productId=pid, warehouseId=source, quantity=str(signed), reason="count")
            change = {source: signed}
        possible = source != target or kind != "transfer"
        enough = all(model[w] + d >= 0 for w, d in change.items())
        if possible and enough:
            assert done["errors"] == [], done
            for w, d in change.items():
                model[w] += d
        else:
            assert [e["code"] for e in done["errors"]] in (["INSUFFICIENT_STOCK"], ["INVALID"]), done
    levels = await api.admin("query($p: ID!) { stockLevels(filter: {productId: $p}) { edges { node { warehouseId onHand } } } }", {"p": pid})
    found = {e["node"]["warehouseId"]: Decimal(e["node"]["onHand"]) for e in levels["stockLevels"]["edges"]}
    assert {w: found.get(w, Decimal(0)) for w in model} == model
    assert await ledger_agrees(api)
