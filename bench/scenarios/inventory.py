"""Inventory: a level lookup, a product's ledger, low stock, valuation, and every worker shipping the same product.

After the shipment scenario, `crm inventory check` proves the level still equals the ledger's sum."""

from bench.harness import BenchError, Scenario, gql

LEVEL = """query($p: ID!, $w: ID!) { stockLevels(filter: {productId: $p, warehouseId: $w}) { edges { node { onHand reserved available } } } }"""
LEDGER = """query($p: ID!) { stockMovements(first: 20, filter: {productId: $p}) { edges { node { at kind onHandChange reference } } } }"""
LOW = """{ lowStock(first: 50) { totalCount edges { node { productId available reorderPoint suggestedQuantity } } } }"""
VALUATION = """query($m: ValuationMethod) { stockValuation(method: $m) { total } }"""
SHIP = """mutation($i: ShipStockInput!) { shipStock(input: $i) { errors { code } } }"""
RECEIVE = """mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { errors { code } } }"""


async def _stock(client, ctx) -> dict:
    if "stock" not in ctx.extra:
        houses = await gql(client, ctx, "{ warehouses { id code } }")
        page = await gql(client, ctx, '{ products(first: 100, search: "STOCK-") { edges { node { id } } } }')
        products = [e["node"]["id"] for e in page["products"]["edges"]]
        if not products:
            raise BenchError("no bench products: run crm bench generate with inventory enabled")
        ctx.extra["stock"] = {"warehouses": [w["id"] for w in houses["warehouses"] if w["code"].startswith("BENCH-")], "products": products}
    return ctx.extra["stock"]


async def level(client, ctx, worker):
    stock = await _stock(client, ctx)
    await gql(client, ctx, LEVEL, {"p": ctx.rng.choice(stock["products"]), "w": ctx.rng.choice(stock["warehouses"])})


async def ledger(client, ctx, worker):
    await gql(client, ctx, LEDGER, {"p": ctx.rng.choice((await _stock(client, ctx))["products"])})


async def low_stock(client, ctx, worker):
    await gql(client, ctx, LOW)


async def valuation_fifo(client, ctx, worker):
    await gql(client, ctx, VALUATION, {"m": "FIFO"})


async def valuation_average(client, ctx, worker):
    await gql(client, ctx, VALUATION, {"m": "AVERAGE"})


async def ship_one_product(client, ctx, worker):
    """Every worker ships one unit of the same product from the same warehouse: the level's row is the contended one.
    INSUFFICIENT_STOCK is the expected answer once it runs out; anything else is an error."""
    stock = await _stock(client, ctx)
    target = {"productId": stock["products"][0], "warehouseId": stock["warehouses"][0]}
    if not ctx.extra.get("stocked"):
        ctx.extra["stocked"] = True
        await gql(client, ctx, RECEIVE, {"i": {**target, "quantity": "100000", "unitCost": "1.00", "reference": "bench"}})
    body = (await client.post("/graphql", json={"query": SHIP, "variables": {"i": {**target, "quantity": "1"}}},
                              headers={"Authorization": f"Bearer {ctx.token}"})).json()
    if body.get("errors"):
        raise BenchError(str(body["errors"])[:300])
    codes = [e["code"] for e in body["data"]["shipStock"]["errors"]]
    if codes and codes != ["INSUFFICIENT_STOCK"]:
        raise BenchError(f"shipment refused with {codes}")
    ctx.extra["shipped"] = ctx.extra.get("shipped", 0) + (not codes)


SCENARIOS = [
    Scenario("stock level lookup", level, plugin="inventory"),
    Scenario("stock ledger of a product", ledger, plugin="inventory"),
    Scenario("low stock page", low_stock, plugin="inventory"),
    Scenario("stock valuation FIFO", valuation_fifo, plugin="inventory"),
    Scenario("stock valuation average", valuation_average, plugin="inventory"),
    Scenario("stock shipments (all workers, one product)", ship_one_product, plugin="inventory", writes=True),
]
