"""Plugins that depend on others: enabling one enables its dependencies, and sales' products moving into the
catalogue plugin (a dependency added by an upgrade) keep every row, id and grant."""

from sqlalchemy import inspect, text

from crm import parse_id
from crm.system.state import enabled_plugins

PRODUCT = "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id sku price } errors { field code } } }"
PRICE_LIST = "mutation($i: PriceListInput!) { createPriceList(input: $i) { priceList { id } errors { field code } } }"


async def product(api, sku, price) -> str:
    data = await api.admin(PRODUCT, {"i": {"sku": sku, "name": f"Product {sku}", "price": price, "currency": "EUR"}})
    assert data["createProduct"]["errors"] == []
    return data["createProduct"]["product"]["id"]


async def test_enabling_sales_enables_the_catalogue_it_depends_on(make_app):
    from crm.plugin_host import PluginError
    from crm.system.manage import Manager

    api = await make_app(plugins=[])
    manager = Manager(api.runtime.db, api.runtime.installed)
    assert sorted(await manager.enable("sales")) == ["catalogue", "sales"]
    try:
        await manager.disable("catalogue")
    except PluginError as exc:
        assert "sales depend on 'catalogue'" in str(exc)
    else:
        raise AssertionError("the catalogue was disabled under sales")


async def test_sales_products_move_into_the_catalogue_keeping_every_row_and_grant(make_app):
    """A database from before the catalogue (sales at sales_0004, with its own product tables) is upgraded: the
    catalogue is enabled by itself, products and prices keep their ids, documents' lines keep their products."""
    from crm.system.manage import Manager

    api = await make_app(plugins=["sales"])
    seat = await product(api, "SEAT", "100")
    await api.admin(PRICE_LIST, {"i": {"name": "Gold", "currency": "EUR", "segment": "gold", "items": [{"productId": seat, "price": "80"}]}})
    customer = await api.create_customer(tags=["gold"])
    quote = await api.admin("""mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id } errors { code } } }""",
                            {"i": {"customerId": customer["id"], "lines": [{"productId": seat, "quantity": "2"}]}})
    quote_id = quote["createQuote"]["quote"]["id"]
    db, migrator = api.runtime.db, api.runtime.migrator

    async def product_grants() -> int:
        async with db.read() as session:
            return await session.scalar(text("SELECT count(*) FROM core_casbin_rule WHERE v1 = 'product'"))

    grants = await product_grants()
    # Back to the layout of sales 1.0 before the catalogue: its products in sales_product, no catalogue at all.
    await migrator.downgrade("sales", to="sales_0004")
    await migrator.downgrade("catalogue")
    async with db.write() as session:
        await session.execute(text("DELETE FROM core_plugin WHERE name = 'catalogue'"))
        assert await session.scalar(text("SELECT count(*) FROM sales_product")) == 1

    await Manager(db, api.runtime.installed).setup()
    await api.restart()
    status = {b.name: b for b in await migrator.status()}
    assert all(status[name].at_head for name in ("core", "catalogue", "sales"))
    assert "catalogue" in await enabled_plugins(db)
    assert await product_grants() == grants
    seen = await api.admin("query($id: ID!) { quote(id: $id) { total lines { quantity product { id sku } } } }", {"id": quote_id})
    assert seen["quote"]["lines"] == [{"quantity": "2.00", "product": {"id": seat, "sku": "SEAT"}}]
    assert seen["quote"]["total"] == "160.00"  # the gold price list moved too
    newer = await product(api, "NEW", "5")
    assert parse_id(newer) > parse_id(seat)  # ids go on after the copied rows
    async with db.read() as session:
        tables = set(await session.run_sync(lambda s: inspect(s.connection()).get_table_names()))
    assert "sales_product" not in tables and "catalogue_product" in tables
