"""crm.plugins.sales.testing: what other plugins' tests need of sales, published as a pytest plugin (the `pytest11`
entry point `crm_sales`, installed with `crm[test]`) the way `crm.testing` publishes the core's fixtures.

    async def test_points_for_an_order(make_app, sales):
        api = await make_app(plugins=["loyalty"])           # sales comes with it (a dependency)
        shop = sales(api)
        product = await shop.product("SKU-1", "25.00")
        order = await shop.confirm(await shop.order(customer["id"], [{"productId": product, "quantity": "2"}]))

The helpers go through GraphQL, as a front-end would, and assert that sales accepted each step.
"""

from __future__ import annotations

import pytest

PRODUCT = "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id sku price } errors { field code message } } }"
ORDER_FIELDS = "id number status currency total version"
ORDER = f"mutation($i: CreateOrderInput!) {{ createOrder(input: $i) {{ order {{ {ORDER_FIELDS} }} errors {{ field code message }} }} }}"
STEP = "mutation($i: DocumentStepInput!) {{ {name}(input: $i) {{ order {{ %s }} errors {{ field code message }} }} }}" % ORDER_FIELDS


async def product(api, sku: str, price: str = "10.00", currency: str = "EUR") -> str:
    """A catalogue product; its id."""
    data = await api.admin(PRODUCT, {"i": {"sku": sku, "name": f"Product {sku}", "price": price, "currency": currency}})
    assert data["createProduct"]["errors"] == [], data
    return data["createProduct"]["product"]["id"]


async def order(api, customer_id: str, lines: list[dict], token: str | None = None, **fields) -> dict:
    """A draft order with `lines` (LineInput: productId, quantity, unitPrice, ...)."""
    data = await api.gql(ORDER, {"i": {"customerId": customer_id, "lines": lines, **fields}}, token or api.admin_token)
    assert data["createOrder"]["errors"] == [], data
    return data["createOrder"]["order"]


async def order_step(api, name: str, o: dict, token: str | None = None, **fields) -> dict:
    """`confirmOrder`, `cancelOrder`, `fulfillOrder` ... on order `o` at its version: the payload, errors included."""
    data = await api.gql(STEP.format(name=name), {"i": {"id": o["id"], "version": o["version"], **fields}}, token or api.admin_token)
    return data[name]


class Sales:
    """Sales helpers bound to one `crm.testing.Api`."""

    def __init__(self, api):
        self.api = api

    async def product(self, sku: str, price: str = "10.00", currency: str = "EUR") -> str:
        return await product(self.api, sku, price, currency)

    async def order(self, customer_id: str, lines: list[dict], token: str | None = None, **fields) -> dict:
        return await order(self.api, customer_id, lines, token, **fields)

    async def confirm(self, o: dict, token: str | None = None) -> dict:
        done = await order_step(self.api, "confirmOrder", o, token)
        assert done["errors"] == [], done
        return done["order"]

    async def cancel(self, o: dict, reason: str = "The customer changed their mind", token: str | None = None) -> dict:
        done = await order_step(self.api, "cancelOrder", o, token, reason=reason)
        assert done["errors"] == [], done
        return done["order"]


@pytest.fixture
def sales():
    """`shop = sales(api)`: products and orders through the sales plugin's GraphQL (see the module docstring)."""
    return Sales
