"""Shared GraphQL operations for the sales tests."""

OPP_FIELDS = "id name status amount currency probability version closedAt lostReason stage { id name kind } pipeline { id name }"
CREATE = f"""mutation($i: CreateOpportunityInput!) {{ createOpportunity(input: $i) {{
  opportunity {{ {OPP_FIELDS} }} errors {{ field code message }} }} }}"""
MOVE = f"mutation($i: MoveOpportunityInput!) {{ moveOpportunity(input: $i) {{ opportunity {{ {OPP_FIELDS} }} errors {{ field code message }} }} }}"
WIN = f"mutation($i: WinOpportunityInput!) {{ winOpportunity(input: $i) {{ opportunity {{ {OPP_FIELDS} }} errors {{ field code message }} }} }}"
LOSE = f"mutation($i: LoseOpportunityInput!) {{ loseOpportunity(input: $i) {{ opportunity {{ {OPP_FIELDS} }} errors {{ field code message }} }} }}"
REOPEN = f"mutation($i: ReopenOpportunityInput!) {{ reopenOpportunity(input: $i) {{ opportunity {{ {OPP_FIELDS} }} errors {{ field code message }} }} }}"
PIPELINES = "{ pipelines { id name isDefault stages { id name probability kind } } }"
PRODUCT = "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id sku price } errors { field code } } }"
QUOTE_FIELDS = "id number status currency subtotal taxTotal total version lines { description quantity unitPrice discountPercent taxPercent net tax }"
ORDER_FIELDS = "id number status total version"


async def stages(api, token=None) -> dict[str, str]:
    data = await api.gql(PIPELINES, token=token or api.admin_token)
    return {s["name"]: s["id"] for s in data["pipelines"][0]["stages"]}


async def open_deal(api, customer_id, token=None, **fields) -> dict:
    fields.setdefault("name", "Deal")
    data = await api.gql(CREATE, {"i": {"customerId": customer_id, **fields}}, token or api.admin_token)
    assert data["createOpportunity"]["errors"] == [], data
    return data["createOpportunity"]["opportunity"]


async def step(api, op, name, token=None, **fields) -> dict:
    data = await api.gql(op, {"i": fields}, token or api.admin_token)
    assert data[name]["errors"] == [], data
    return data[name]["opportunity"]


async def product(api, sku, price, currency="EUR") -> str:
    data = await api.admin(PRODUCT, {"i": {"sku": sku, "name": f"Product {sku}", "price": price, "currency": currency}})
    assert data["createProduct"]["errors"] == []
    return data["createProduct"]["product"]["id"]
