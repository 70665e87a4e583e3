"""Shared GraphQL operations for the inventory tests."""

from decimal import Decimal

from crm.plugins.sales.testing import order, product  # noqa: F401 - the sales plugin's published test helpers

MOVED = "movements { id kind onHandChange reservedChange unitCost reference reason } levels { productId warehouseId onHand reserved available }"
RECEIVE = f"mutation($i: ReceiveStockInput!) {{ receiveStock(input: $i) {{ {MOVED} errors {{ field code message }} }} }}"
SHIP = f"mutation($i: ShipStockInput!) {{ shipStock(input: $i) {{ {MOVED} errors {{ field code message }} }} }}"
TRANSFER = f"mutation($i: TransferStockInput!) {{ transferStock(input: $i) {{ {MOVED} errors {{ field code message }} }} }}"
ADJUST = f"mutation($i: AdjustStockInput!) {{ adjustStock(input: $i) {{ {MOVED} errors {{ field code message }} }} }}"
WAREHOUSE = """mutation($i: CreateWarehouseInput!) { createWarehouse(input: $i) {
  warehouse { id code isDefault allowsBackorders version } errors { field code message } } }"""
STEP = """mutation($i: DocumentStepInput!) {{ {name}(input: $i) {{ order {{ id status version
  fulfilment {{ status warehouseId lines {{ quantity backordered status }} }} }} errors {{ field code message }} }} }}"""


async def warehouse(api, code, **fields) -> dict:
    data = await api.admin(WAREHOUSE, {"i": {"code": code, "name": f"Warehouse {code}", **fields}})
    assert data["createWarehouse"]["errors"] == [], data
    return data["createWarehouse"]["warehouse"]


async def move(api, op, name, token=None, **fields) -> dict:
    data = await api.gql(op, {"i": fields}, token or api.admin_token)
    return data[name]


async def receive(api, product_id, warehouse_id, quantity, unit_cost="1.00", **fields) -> dict:
    done = await move(api, RECEIVE, "receiveStock", productId=product_id, warehouseId=warehouse_id, quantity=quantity, unitCost=unit_cost, **fields)
    assert done["errors"] == [], done
    return done


async def level(api, product_id, warehouse_id) -> dict:
    data = await api.admin("""query($p: ID!, $w: ID!) { stockLevels(filter: {productId: $p, warehouseId: $w}) {
      edges { node { onHand reserved available } } } }""", {"p": product_id, "w": warehouse_id})
    edges = data["stockLevels"]["edges"]
    return {k: Decimal(v) for k, v in edges[0]["node"].items()} if edges else {"onHand": Decimal(0), "reserved": Decimal(0), "available": Decimal(0)}


async def step(api, name, o, token=None, **fields) -> dict:
    data = await api.gql(STEP.format(name=name), {"i": {"id": o["id"], "version": o["version"], **fields}}, token or api.admin_token)
    return data[name]
