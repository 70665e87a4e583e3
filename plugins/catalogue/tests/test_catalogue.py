"""The catalogue on its own, and the prices a customer pays."""

PRODUCT = "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id sku price } errors { field code } } }"
PRICE_LIST = "mutation($i: PriceListInput!) { createPriceList(input: $i) { priceList { id } errors { field code } } }"
PRICE = "query($p: ID!, $c: ID, $on: Date) { productPrice(productId: $p, currency: \"EUR\", customerId: $c, on: $on) }"


async def product(api, sku, price) -> str:
    data = await api.admin(PRODUCT, {"i": {"sku": sku, "name": f"Product {sku}", "price": price, "currency": "EUR"}})
    assert data["createProduct"]["errors"] == []
    return data["createProduct"]["product"]["id"]


async def test_the_catalogue_works_without_sales_managed_by_admins_and_read_by_reps(make_app):
    api = await make_app(plugins=["catalogue"])
    schema = api.runtime.schema.as_str()
    assert "type Product " in schema and "type LineItem " in schema and "Opportunity" not in schema
    await product(api, "X1", "10")
    dup = await api.admin(PRODUCT, {"i": {"sku": "X1", "name": "Again", "price": "1", "currency": "EUR"}})
    assert dup["createProduct"]["errors"] == [{"field": "sku", "code": "DUPLICATE"}]
    _, rep = await api.as_user("sales_rep")
    assert (await api.gql("{ products { totalCount } }", token=rep))["products"]["totalCount"] == 1
    refused = await api.gql(PRODUCT, {"i": {"sku": "X2", "name": "Nope", "price": "1", "currency": "EUR"}}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_customer_pays_the_most_specific_price_valid_on_the_day(make_app):
    api = await make_app(plugins=["catalogue"])
    seat = await product(api, "SEAT", "100")
    gold = await api.create_customer(tags=["gold"])
    plain = await api.create_customer()
    for name, segment, price, valid_from in [("Everyone 2026", None, "90", "2026-01-01"), ("Gold", "gold", "80", None),
                                             ("Gold 2027", "gold", "70", "2027-01-01")]:
        made = await api.admin(PRICE_LIST, {"i": {"name": name, "currency": "EUR", "segment": segment, "validFrom": valid_from,
                                                  "items": [{"productId": seat, "price": price}]}})
        assert made["createPriceList"]["errors"] == []
    prices = [(await api.admin(PRICE, {"p": seat, "c": customer, "on": on}))["productPrice"]
              for customer, on in [(None, "2025-06-01"), (plain["id"], "2026-06-01"), (gold["id"], "2026-06-01"), (gold["id"], "2027-06-01")]]
    assert prices == ["100.00", "90.00", "80.00", "70.00"]
    lists = await api.admin("{ priceLists { name items { price product { sku } } } }")
    assert {pl["name"]: pl["items"] for pl in lists["priceLists"]}["Gold"] == [{"price": "80.00", "product": {"sku": "SEAT"}}]
    bad = await api.admin(PRICE_LIST, {"i": {"name": "Twice", "currency": "EUR", "items": [{"productId": seat, "price": "1"},
                                                                                        {"productId": seat, "price": "2"}]}})
    assert bad["createPriceList"]["errors"] == [{"field": "items.1.productId", "code": "DUPLICATE"}]
    assert len((await api.admin("{ priceLists { id } }"))["priceLists"]) == 3

    # A deleted price list stops applying, and applies again once restored; a deleted product comes back too.
    gold_list = next(pl["id"] for pl in (await api.admin("{ priceLists { id name } }"))["priceLists"] if pl["name"] == "Gold")
    assert (await api.admin("mutation($i: IdInput!) { deletePriceList(input: $i) { errors { code } } }", {"i": {"id": gold_list}})) \
        == {"deletePriceList": {"errors": []}}
    assert (await api.admin(PRICE, {"p": seat, "c": gold["id"], "on": "2026-06-01"}))["productPrice"] == "90.00"
    await api.admin("mutation($i: IdInput!) { restorePriceList(input: $i) { errors { code } } }", {"i": {"id": gold_list}})
    assert (await api.admin(PRICE, {"p": seat, "c": gold["id"], "on": "2026-06-01"}))["productPrice"] == "80.00"
    await api.admin("mutation($i: IdInput!) { deleteProduct(input: $i) { errors { code } } }", {"i": {"id": seat}})
    assert (await api.admin("{ products { totalCount } }"))["products"]["totalCount"] == 0
    again = await api.admin("mutation($i: IdInput!) { restoreProduct(input: $i) { product { sku } errors { code } } }", {"i": {"id": seat}})
    assert again["restoreProduct"] == {"product": {"sku": "SEAT"}, "errors": []}
