"""Sales' orders hold stock: reserved on confirmation, released on cancellation, shipped on fulfilment; each event acts
once, however often it arrives."""

from decimal import Decimal

from inventory_helpers import level, order, product, receive, step, warehouse
from sqlalchemy import select

import crm
from crm.plugins.sales.models import Order
from crm import parse_id


async def setup(api):
    main = await warehouse(api, "MAIN")
    north = await warehouse(api, "NORTH", allowsBackorders=True)
    widget, manual = await product(api, "WIDGET"), await product(api, "MANUAL")
    service = await product(api, "SETUP")
    await api.admin("mutation($i: SetStockRuleInput!) { setStockRule(input: $i) { errors { code } } }", {"i": {"productId": service, "tracked": False}})
    await receive(api, widget, main["id"], "10")
    await receive(api, manual, main["id"], "3")
    customer = (await api.create_customer(name="Buyer"))["id"]
    return main, north, widget, manual, service, customer


async def test_confirm_reserves_cancel_releases_fulfil_ships(make_app):
    api = await make_app(plugins=["inventory"])
    main, _, widget, manual, service, customer = await setup(api)
    lines = [{"productId": widget, "quantity": "4"}, {"productId": manual, "quantity": "1"}, {"productId": service, "quantity": "2"},
             {"description": "Shipping", "unitPrice": "5.00"}]
    first = await order(api, customer, lines)
    draft = await api.admin("query($i: ID!) { order(id: $i) { fulfilment { status lines { quantity } } } }", {"i": first["id"]})
    assert draft["order"]["fulfilment"] == {"status": "PENDING", "lines": []}

    confirmed = await step(api, "confirmOrder", first)
    assert confirmed["errors"] == []
    fulfilment = confirmed["order"]["fulfilment"]
    assert fulfilment["status"] == "RESERVED" and fulfilment["warehouseId"] == main["id"]
    assert [(x["quantity"], x["backordered"], x["status"]) for x in fulfilment["lines"]] == [("4.00", "0.00", "RESERVED"), ("1.00", "0.00", "RESERVED")]
    assert await level(api, widget, main["id"]) == {"onHand": 10, "reserved": 4, "available": 6}

    async with api.runtime.db.write() as session:  # the event again (a retried request, a replay): nothing more is held
        session.info["runtime"] = api.runtime
        again = await session.scalar(select(Order).where(Order.id == parse_id(first["id"])))
        await crm.publish(session, "crm_on_order_confirmed", order=again)
    assert await level(api, widget, main["id"]) == {"onHand": 10, "reserved": 4, "available": 6}

    cancelled = await step(api, "cancelOrder", confirmed["order"], reason="changed their mind")
    assert cancelled["order"]["fulfilment"]["status"] == "RELEASED"
    assert await level(api, widget, main["id"]) == {"onHand": 10, "reserved": 0, "available": 10}
    async with api.runtime.db.write() as session:
        session.info["runtime"] = api.runtime
        await crm.publish(session, "crm_on_order_cancelled", order=await session.get(Order, parse_id(first["id"])))
    assert (await level(api, widget, main["id"]))["reserved"] == 0  # released once

    second = await step(api, "confirmOrder", await order(api, customer, lines[:2]))
    shipped = await step(api, "fulfillOrder", second["order"])
    assert shipped["errors"] == [] and shipped["order"]["status"] == "FULFILLED"
    assert shipped["order"]["fulfilment"]["status"] == "SHIPPED"
    assert await level(api, widget, main["id"]) == {"onHand": 6, "reserved": 0, "available": 6}
    assert await level(api, manual, main["id"]) == {"onHand": 2, "reserved": 0, "available": 2}
    ledger = await api.admin("{ stockMovements(first: 50) { edges { node { kind reference onHandChange reservedChange } } } }")
    mine = [e["node"] for e in ledger["stockMovements"]["edges"] if e["node"]["reference"] and e["node"]["reference"].startswith("order")]
    assert sorted(m["kind"] for m in mine) == ["RELEASE", "RELEASE", "RESERVATION", "RESERVATION", "RESERVATION", "RESERVATION",
                                                "SHIPMENT", "SHIPMENT"]


async def test_short_stock_refuses_or_backorders_as_the_warehouse_says(make_app):
    api = await make_app(plugins=["inventory"])
    main, north, widget, _, _, customer = await setup(api)
    big = await order(api, customer, [{"productId": widget, "quantity": "12"}])
    refused = await step(api, "confirmOrder", big)
    assert refused["errors"] == [{"field": "id", "code": "INSUFFICIENT_STOCK",
                                  "message": "WIDGET: 12 ordered, 10 available in MAIN, which takes no backorders"}]
    still = await api.admin("query($i: ID!) { order(id: $i) { status version } }", {"i": big["id"]})
    assert still["order"] == {"status": "DRAFT", "version": big["version"]}  # nothing changed
    assert await level(api, widget, main["id"]) == {"onHand": 10, "reserved": 0, "available": 10}

    chosen = await api.admin("""mutation($i: SetOrderWarehouseInput!) { setOrderWarehouse(input: $i) { warehouse { code } errors { code } } }""",
                             {"i": {"orderId": big["id"], "warehouseId": north["id"]}})
    assert chosen["setOrderWarehouse"] == {"warehouse": {"code": "NORTH"}, "errors": []}
    await receive(api, widget, north["id"], "5")
    current = (await api.admin("query($i: ID!) { order(id: $i) { id version } }", {"i": big["id"]}))["order"]
    backordered = await step(api, "confirmOrder", current)
    assert backordered["errors"] == []
    assert backordered["order"]["fulfilment"] == {"status": "BACKORDERED", "warehouseId": north["id"],
                                                  "lines": [{"quantity": "12.00", "backordered": "7.00", "status": "BACKORDERED"}]}
    assert await level(api, widget, north["id"]) == {"onHand": 5, "reserved": 12, "available": -7}
    not_yet = await step(api, "fulfillOrder", backordered["order"])
    assert not_yet["errors"][0]["code"] == "INSUFFICIENT_STOCK" and "receive the goods first" in not_yet["errors"][0]["message"]
    assert (await api.admin("query($i: ID!) { order(id: $i) { status } }", {"i": big["id"]}))["order"]["status"] == "CONFIRMED"
    await receive(api, widget, north["id"], "7")
    current = (await api.admin("query($i: ID!) { order(id: $i) { id version } }", {"i": big["id"]}))["order"]
    done = await step(api, "fulfillOrder", current)
    assert done["errors"] == [] and await level(api, widget, north["id"]) == {"onHand": 0, "reserved": 0, "available": 0}


async def test_without_warehouses_orders_go_through_untracked(make_app):
    api = await make_app(plugins=["inventory"])
    pid = await product(api, "ANY")
    customer = (await api.create_customer(name="Early"))["id"]
    confirmed = await step(api, "confirmOrder", await order(api, customer, [{"productId": pid, "quantity": "3"}]))
    assert confirmed["errors"] == [] and confirmed["order"]["fulfilment"] == {"status": "NOT_TRACKED", "warehouseId": None, "lines": []}
    assert Decimal((await api.admin("{ products { edges { node { available } } } }"))["products"]["edges"][0]["node"]["available"]) == 0
