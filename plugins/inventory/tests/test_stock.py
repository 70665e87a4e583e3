"""Warehouses, the ledger and its levels: movements through the API, refusals that change nothing, the check."""

from decimal import Decimal

from inventory_helpers import ADJUST, SHIP, TRANSFER, level, move, product, receive, warehouse
from typer.testing import CliRunner

from crm.plugins.inventory.check import differences


async def ledger_agrees(api) -> bool:
    async with api.runtime.db.read() as session:
        return await differences(session) == []


async def test_receipts_shipments_transfers_and_adjustments(make_app):
    api = await make_app(plugins=["inventory"])
    main = await warehouse(api, "main")
    north = await warehouse(api, "NORTH", allowsBackorders=True)
    assert main["code"] == "MAIN" and main["isDefault"] and not north["isDefault"]  # the first one is the default
    pid = await product(api, "BOLT")

    got = await receive(api, pid, main["id"], "10", unit_cost="5.00", reference="delivery 4711")
    assert got["levels"] == [{"productId": pid, "warehouseId": main["id"], "onHand": "10.00", "reserved": "0.00", "available": "10.00"}]
    assert got["movements"][0]["kind"] == "RECEIPT" and got["movements"][0]["unitCost"] == "5.00"
    shipped = await move(api, SHIP, "shipStock", productId=pid, warehouseId=main["id"], quantity="2.5")
    assert shipped["errors"] == [] and shipped["levels"][0]["onHand"] == "7.50"
    moved = await move(api, TRANSFER, "transferStock", productId=pid, fromWarehouseId=main["id"], toWarehouseId=north["id"], quantity="4")
    assert moved["errors"] == []
    assert [(m["onHandChange"], m["reference"]) for m in moved["movements"]] == [("-4.00", "transfer T-000001"), ("4.00", "transfer T-000001")]
    assert {(lv["warehouseId"], lv["onHand"]) for lv in moved["levels"]} == {(main["id"], "3.50"), (north["id"], "4.00")}
    adjusted = await move(api, ADJUST, "adjustStock", productId=pid, warehouseId=north["id"], quantity="-1", reason="count: one broken")
    assert adjusted["errors"] == [] and adjusted["movements"][0]["reason"] == "count: one broken"

    too_many = await move(api, SHIP, "shipStock", productId=pid, warehouseId=main["id"], quantity="4")
    assert too_many["errors"] == [{"field": "quantity", "code": "INSUFFICIENT_STOCK", "message": "not enough stock: 3.5 available in this warehouse"}]
    too_far = await move(api, TRANSFER, "transferStock", productId=pid, fromWarehouseId=north["id"], toWarehouseId=main["id"], quantity="5")
    assert too_far["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert (await level(api, pid, main["id"]))["onHand"] == Decimal("3.5") and (await level(api, pid, north["id"]))["onHand"] == 3

    ledger = await api.admin("""query($p: ID!) { stockMovements(filter: {productId: $p}) { totalCount
      edges { node { kind onHandChange warehouse { code } product { sku } actor { id } } } } }""", {"p": pid})
    assert ledger["stockMovements"]["totalCount"] == 5  # the refused ones left no row
    assert [e["node"]["kind"] for e in ledger["stockMovements"]["edges"]] == ["ADJUSTMENT", "TRANSFER", "TRANSFER", "SHIPMENT", "RECEIPT"]
    assert ledger["stockMovements"]["edges"][0]["node"]["product"]["sku"] == "BOLT"
    receipts = await api.admin("""query($p: ID!) { stockMovements(filter: {productId: $p, kinds: [RECEIPT]}) { totalCount } }""", {"p": pid})
    assert receipts["stockMovements"]["totalCount"] == 1
    stock = await api.admin("""{ products(first: 5) { edges { node { sku available stock { warehouse { code } onHand } } } } }""")
    assert stock["products"]["edges"][0]["node"]["available"] == "6.50"
    assert await ledger_agrees(api)


async def test_bad_movements_are_typed_errors_and_change_nothing(make_app):
    api = await make_app(plugins=["inventory"])
    main = await warehouse(api, "MAIN")
    pid = await product(api, "NUT")
    service = await product(api, "CONSULTING")
    rule = await api.admin("""mutation($i: SetStockRuleInput!) { setStockRule(input: $i) { rule { tracked version } errors { code } } }""",
                           {"i": {"productId": service, "tracked": False}})
    assert rule["setStockRule"]["rule"] == {"tracked": False, "version": 1}
    cases = [
        (SHIP, "shipStock", {"productId": pid, "warehouseId": main["id"], "quantity": "0"}, ("quantity", "INVALID")),
        (SHIP, "shipStock", {"productId": pid, "warehouseId": main["id"], "quantity": "1.00001"}, ("quantity", "INVALID")),
        (SHIP, "shipStock", {"productId": pid, "warehouseId": "999", "quantity": "1"}, ("warehouseId", "NOT_FOUND")),
        (SHIP, "shipStock", {"productId": "999", "warehouseId": main["id"], "quantity": "1"}, ("productId", "NOT_FOUND")),
        (SHIP, "shipStock", {"productId": service, "warehouseId": main["id"], "quantity": "1"}, ("productId", "INVALID")),
        (SHIP, "shipStock", {"productId": pid, "warehouseId": main["id"], "quantity": "1"}, ("quantity", "INSUFFICIENT_STOCK")),
        (ADJUST, "adjustStock", {"productId": pid, "warehouseId": main["id"], "quantity": "2", "reason": " "}, ("reason", "REQUIRED")),
        (ADJUST, "adjustStock", {"productId": pid, "warehouseId": main["id"], "quantity": "-2", "reason": "count"}, ("quantity", "INSUFFICIENT_STOCK")),
        (TRANSFER, "transferStock", {"productId": pid, "fromWarehouseId": main["id"], "toWarehouseId": main["id"], "quantity": "1"},
         ("toWarehouseId", "INVALID")),
    ]
    for op, name, fields, expected in cases:
        done = await move(api, op, name, **fields)
        assert [(e["field"], e["code"]) for e in done["errors"]] == [expected], (name, fields, done)
    foreign = await move(api, "mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { errors { field code } } }", "receiveStock",
                         productId=pid, warehouseId=main["id"], quantity="1", unitCost="2", currency="XXY")
    assert foreign["errors"] == [{"field": "currency", "code": "INVALID"}]
    no_rate = await move(api, "mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { errors { field code } } }", "receiveStock",
                         productId=pid, warehouseId=main["id"], quantity="1", unitCost="2", currency="CHF")
    assert no_rate["errors"] == [{"field": "currency", "code": "INVALID"}]
    movements = await api.admin("{ stockMovements { totalCount } stockLevels { edges { node { onHand reserved } } } }")
    assert movements["stockMovements"]["totalCount"] == 0
    assert all(e["node"] == {"onHand": "0.00", "reserved": "0.00"} for e in movements["stockLevels"]["edges"])


async def test_costs_in_another_currency_are_converted_on_the_day(make_app):
    api = await make_app(plugins=["inventory"])
    rate = await api.admin("""mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }""",
                           {"i": {"currency": "USD", "rate": "1.25", "validFrom": "2025-01-01"}})
    assert rate["setExchangeRate"]["errors"] == []
    main = await warehouse(api, "MAIN")
    pid = await product(api, "CHIP")
    got = await receive(api, pid, main["id"], "4", unit_cost="10.00", currency="USD")
    assert got["movements"][0]["unitCost"] == "8.00"  # 10 USD at 1.25 USD per EUR
    valued = await api.admin("{ stockValuation { currency total rows { quantity value unitCost } } }")
    assert valued["stockValuation"] == {"currency": "EUR", "total": "32.00", "rows": [{"quantity": "4.00", "value": "32.00", "unitCost": "8.00"}]}


async def test_low_stock_suggests_whole_lots(make_app):
    api = await make_app(plugins=["inventory"])
    main = await warehouse(api, "MAIN")
    low, fine = await product(api, "LOW"), await product(api, "FINE")
    for pid, qty in ((low, "8"), (fine, "50")):
        await receive(api, pid, main["id"], qty)
        done = await api.admin("""mutation($i: SetStockRuleInput!) { setStockRule(input: $i) { errors { code } } }""",
                               {"i": {"productId": pid, "reorderPoint": "10", "reorderQuantity": "25"}})
        assert done["setStockRule"]["errors"] == []
    data = await api.admin("{ lowStock { totalCount edges { node { product { sku } available reorderPoint suggestedQuantity } } } }")
    assert data["lowStock"]["totalCount"] == 1
    assert data["lowStock"]["edges"][0]["node"] == {"product": {"sku": "LOW"}, "available": "8.00", "reorderPoint": "10.00",
                                                    "suggestedQuantity": "25.00"}


async def test_a_warehouse_role_moves_stock_without_reading_customers(make_app):
    api = await make_app(plugins=["inventory"])
    role = await api.admin("""mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id } errors { code } } }""", {"i": {
        "name": "warehouse staff", "grants": [{"resource": "stock", "action": "READ", "scope": "ALL"},
                                              {"resource": "stock", "action": "WRITE", "scope": "ALL"},
                                              {"resource": "warehouse", "action": "READ", "scope": "ALL"},
                                              {"resource": "product", "action": "READ", "scope": "ALL"}]}})
    assert role["createRole"]["errors"] == [], role
    main = await warehouse(api, "MAIN")
    pid = await product(api, "BOX")
    _, token = await api.as_user("warehouse staff")
    got = await move(api, "mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { levels { onHand } errors { code } } }", "receiveStock",
                     token, productId=pid, warehouseId=main["id"], quantity="3", unitCost="1")
    assert got == {"levels": [{"onHand": "3.00"}], "errors": []}
    refused = await api.gql("{ customers(first: 1) { totalCount } }", token=token, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, rep = await api.as_user("sales_rep")
    read = await api.gql("{ stockLevels { edges { node { onHand } } } }", token=rep)
    assert read["stockLevels"]["edges"] == [{"node": {"onHand": "3.00"}}]  # reps see stock to promise delivery dates
    refused = await api.gql(SHIP, {"i": {"productId": pid, "warehouseId": main["id"], "quantity": "1"}}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # reading stock is not moving it


async def test_the_check_command_finds_a_level_that_drifted(make_app, monkeypatch):
    import asyncio

    import typer
    from sqlalchemy import update

    from crm.plugins.inventory.commands import register
    from crm.plugins.inventory.models import StockLevel

    api = await make_app(plugins=["inventory"])
    main = await warehouse(api, "MAIN")
    pid = await product(api, "DRIFT")
    await receive(api, pid, main["id"], "5")
    monkeypatch.setenv("CRM_DATABASE_URL", api.runtime.settings.database_url)
    cli = typer.Typer()
    register(cli)  # what `crm` does at start for the enabled plugins

    def check():  # in a thread: the command runs its own event loop, as on a shell
        return asyncio.to_thread(CliRunner().invoke, cli, ["inventory", "check"])

    ok = await check()
    assert ok.exit_code == 0 and "every stock level equals the ledger's sum" in ok.output, ok.output
    async with api.runtime.db.write() as session:  # a hand edit in the database
        await session.execute(update(StockLevel).values(on_hand=Decimal(6)))
    drifted = await check()
    assert drifted.exit_code == 1 and "level on hand 6" in drifted.output and "ledger on hand 5" in drifted.output
