"""The last units, wanted by many at once: served by two uvicorn workers on one database, exactly what is there is
sold, never more, and the level stays the ledger's sum."""

import asyncio

import httpx
from inventory_helpers import SHIP, level, product, receive, warehouse
from test_stock import ledger_agrees


async def test_concurrent_shipments_of_the_last_units_on_two_workers(make_app, live_server):
    api = await make_app(plugins=["inventory"])
    main = await warehouse(api, "MAIN")
    last, few = await product(api, "LAST"), await product(api, "FEW")
    await receive(api, last, main["id"], "1")
    await receive(api, few, main["id"], "5")
    base = await live_server(api, workers=2)

    async def ship(client, pid):
        response = await client.post("/graphql", json={"query": SHIP, "variables": {"i": {"productId": pid, "warehouseId": main["id"], "quantity": "1"}}},
                                     headers={"Authorization": f"Bearer {api.admin_token}"})
        body = response.json()
        assert "errors" not in body, body
        return [e["code"] for e in body["data"]["shipStock"]["errors"]]

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        results = await asyncio.gather(*[ship(client, last) for _ in range(12)], *[ship(client, few) for _ in range(20)])
    on_last, on_few = results[:12], results[12:]
    assert on_last.count([]) == 1 and all(r == ["INSUFFICIENT_STOCK"] for r in on_last if r)
    assert on_few.count([]) == 5 and all(r == ["INSUFFICIENT_STOCK"] for r in on_few if r)
    assert (await level(api, last, main["id"]))["onHand"] == 0 and (await level(api, few, main["id"]))["onHand"] == 0
    assert await ledger_agrees(api)
