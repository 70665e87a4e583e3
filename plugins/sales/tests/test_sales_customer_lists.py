"""What sales adds to the core's customer list: customers who won or lost a deal between two days, and the list ordered
by open pipeline or lifetime revenue, in the reporting currency, counting only deals the caller may read."""

from sales_helpers import LOSE, WIN, open_deal, step

LIST = """query($f: CustomerFilter, $o: CustomerOrder, $after: String) { customers(filter: $f, orderBy: $o, first: 2, after: $after) {
  edges { node { name } } pageInfo { hasNextPage endCursor } } }"""


async def names(api, variables, token=None) -> list[str]:
    out, after = [], None
    while True:
        page = (await api.gql(LIST, {**variables, "after": after}, token or api.admin_token))["customers"]
        out += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


async def closed(api, customer_id, amount, day, op=WIN, token=None, currency="EUR"):
    deal = await open_deal(api, customer_id, token, amount=amount, currency=currency, openedAt="2026-01-02T09:00:00+00:00")
    fields = {"closedAt": f"{day}T12:00:00+00:00"} | ({"reason": "price"} if op is LOSE else {})
    return await step(api, op, "loseOpportunity" if op is LOSE else "winOpportunity", token, id=deal["id"], version=deal["version"], **fields)


async def test_customers_who_won_or_lost_a_deal_between_two_days(make_app):
    api = await make_app(plugins=["sales"])
    ids = {n: (await api.create_customer(name=n))["id"] for n in ("Lost in Q3", "Won in Q3", "Won in Q2", "Lost and won")}
    await closed(api, ids["Lost in Q3"], "100", "2026-08-10", LOSE)
    await closed(api, ids["Won in Q3"], "100", "2026-09-30", WIN)
    await closed(api, ids["Won in Q2"], "100", "2026-06-30", WIN)
    await closed(api, ids["Lost and won"], "100", "2026-07-01", LOSE)
    await closed(api, ids["Lost and won"], "100", "2026-07-02", WIN)
    q3 = {"from": "2026-07-01", "to": "2026-09-30"}
    assert await names(api, {"f": {"dealLostFrom": q3["from"], "dealLostTo": q3["to"]}}) == ["Lost and won", "Lost in Q3"]
    assert await names(api, {"f": {"dealWonFrom": q3["from"], "dealWonTo": q3["to"]}}) == ["Lost and won", "Won in Q3"]
    assert await names(api, {"f": {"dealWonTo": "2026-06-30"}}) == ["Won in Q2"]
    both = {"dealLostFrom": q3["from"], "dealWonFrom": q3["from"], "region": None}
    assert await names(api, {"f": both}) == ["Lost and won"]
    # A rep's filter reads only deals the rep may read: the admin's lost deal on a shared customer is not there for them.
    _, token = await api.as_user("sales_rep")
    theirs = await api.create_customer(token, name="Rep's")
    await closed(api, theirs["id"], "50", "2026-08-01", LOSE, token)
    assert await names(api, {"f": {"dealLostFrom": q3["from"]}}, token) == ["Rep's"]
    bad = await api.gql(LIST, {"f": {"dealWonFrom": "2026-09-01", "dealWonTo": "2026-08-01"}}, api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.dealWonTo"}


async def test_ordered_by_open_pipeline_and_lifetime_revenue(make_app):
    api = await make_app(plugins=["sales"])
    await api.admin("""mutation { setExchangeRate(input: {currency: "USD", rate: "2", validFrom: "2020-01-01"}) { errors { code } } }""")
    ids = {n: (await api.create_customer(name=n))["id"] for n in ("Big pipeline", "Dollar pipeline", "Small pipeline", "No deals", "Loyal")}
    await open_deal(api, ids["Big pipeline"], amount="900", expectedCloseDate="2026-12-20")
    await open_deal(api, ids["Dollar pipeline"], amount="1000", currency="USD", expectedCloseDate="2026-12-20")  # 500 EUR
    await open_deal(api, ids["Small pipeline"], amount="100", expectedCloseDate="2026-12-20")
    await open_deal(api, ids["Small pipeline"], amount="50", expectedCloseDate="2026-12-20")
    await closed(api, ids["Loyal"], "5000", "2026-03-01")
    await closed(api, ids["Loyal"], "1000", "2026-04-01")
    await closed(api, ids["Small pipeline"], "700", "2026-05-01")
    assert await names(api, {"o": {"value": "OPEN_PIPELINE", "direction": "DESC"}}) == [
        "Big pipeline", "Dollar pipeline", "Small pipeline", "Loyal", "No deals"]  # ties (0) by id, the same way
    assert await names(api, {"o": {"value": "LIFETIME_REVENUE", "direction": "DESC"}}) == [
        "Loyal", "Small pipeline", "No deals", "Dollar pipeline", "Big pipeline"]
    assert (await names(api, {"o": {"value": "LIFETIME_REVENUE"}}))[-1] == "Loyal"
    # Filter and order together, as a manager would: of those who won a deal this year, who has the most open.
    assert await names(api, {"f": {"dealWonFrom": "2026-01-01"}, "o": {"value": "OPEN_PIPELINE", "direction": "DESC"}}) == [
        "Small pipeline", "Loyal"]


async def test_without_sales_the_list_has_only_the_core_fields(make_app):
    api = await make_app()
    bad = await api.gql(LIST, {"f": {"dealWonFrom": "2026-01-01"}}, api.admin_token, expect_errors=True)
    assert "dealWonFrom" in bad["errors"][0]["message"]
