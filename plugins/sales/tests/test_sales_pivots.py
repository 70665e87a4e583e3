"""Custom fields on opportunities, and sales performance by two groupings at once and over a filter, against numbers
computed by hand: "which trainer succeeds with which course", "which customers buy which course, by region"."""

from sales_helpers import LOSE, WIN, open_deal, product, step

PIVOT = """query($g: PerformanceGroup!, $t: PerformanceGroup, $gf: String, $tf: String, $f: SalesReportFilter) {
  salesPerformance(from: "2026-01-01", to: "2026-03-31", groupBy: $g, thenBy: $t, groupByField: $gf, thenByField: $tf, filter: $f) {
    rows { key label subKey subLabel wonCount wonAmount share winRate avgCycleDays lastYearWonAmount } } }"""
DEFINE = """mutation($i: DefineCustomFieldInput!) { defineCustomField(input: $i) { errors { field code message } } }"""
UPDATE = """mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) {
  opportunity { version customFields { key choices text } } errors { field code message } } }"""


def day(d: str) -> str:
    return f"{d}T09:00:00+00:00"


async def courses(api):
    """Six deals of two customers. In Q1 2026: d1 north Excel 300 Ann won, d2 north Python 500 Bob won, d3 south Excel
    2 x 300 Ann won, d4 south Python 500 Ann lost, d5 south Excel + Python + Excel 1100 Bob won. d6 north Excel 300 Bob won a
    year earlier."""
    for key, kind, choices in (("trainer", "CHOICE", ["Ann", "Bob"]), ("rooms", "MULTI_CHOICE", ["A", "B"])):
        made = await api.admin(DEFINE, {"i": {"entity": "opportunity", "key": key, "label": key.title(), "type": kind, "choices": choices}})
        assert made["defineCustomField"]["errors"] == []
    excel, python = await product(api, "XL", "300"), await product(api, "PY", "500")
    north = (await api.create_customer(name="North Ltd", region="North", industry="Retail", tags=["vip"]))["id"]
    south = (await api.create_customer(name="South plc", region="South", industry="Banking"))["id"]

    async def deal(customer, lines, trainer, closed, outcome=WIN):
        opp = await open_deal(api, customer, name=f"{trainer} {closed}", openedAt=day("2025-01-02"), lines=lines,
                              customFields={"trainer": trainer})
        if outcome is WIN:
            return await step(api, WIN, "winOpportunity", id=opp["id"], version=opp["version"], closedAt=day(closed))
        return await step(api, LOSE, "loseOpportunity", id=opp["id"], version=opp["version"], reason="price", closedAt=day(closed))

    await deal(north, [{"productId": excel}], "Ann", "2026-01-20")
    await deal(north, [{"productId": python}], "Bob", "2026-02-10")
    await deal(south, [{"productId": excel, "quantity": "2"}], "Ann", "2026-02-15")
    await deal(south, [{"productId": python}], "Ann", "2026-03-01", LOSE)
    await deal(south, [{"productId": excel}, {"productId": python}, {"productId": excel}], "Bob", "2026-03-05")
    await deal(north, [{"productId": excel}], "Bob", "2025-01-20")
    return excel, python


def cells(data) -> dict:
    return {(r["label"], r["subLabel"]): (r["wonCount"], r["wonAmount"], r["winRate"]) for r in data["salesPerformance"]["rows"]}


async def test_performance_by_product_and_region(make_app):
    api = await make_app(plugins=["sales"])
    await courses(api)
    data = await api.admin(PIVOT, {"g": "PRODUCT", "t": "REGION"})
    assert cells(data) == {
        ("Product XL", "North"): (1, "300.00", 1.0), ("Product XL", "South"): (2, "1200.00", 1.0),
        ("Product PY", "North"): (1, "500.00", 1.0), ("Product PY", "South"): (1, "500.00", 0.5),
    }
    rows = data["salesPerformance"]["rows"]
    assert rows[0]["label"] == "Product XL" and rows[0]["subLabel"] == "South" and rows[0]["share"] == 0.48  # 1200 of 2500
    assert rows[0]["avgCycleDays"] == 418.0  # d3 409 days, d5 427: a deal with two Excel lines counts once
    last_year = {(r["label"], r["subLabel"]): r["lastYearWonAmount"] for r in rows}
    assert last_year[("Product XL", "North")] == "300.00" and last_year[("Product PY", "North")] == "0.00"
    # Without thenBy the rows are as before: one per product, no sub key.
    single = (await api.admin(PIVOT, {"g": "PRODUCT"}))["salesPerformance"]["rows"]
    assert [(r["label"], r["subKey"], r["wonAmount"]) for r in single] == [("Product XL", None, "1500.00"), ("Product PY", None, "1000.00")]


async def test_which_trainer_succeeds_with_which_course(make_app):
    api = await make_app(plugins=["sales"])
    await courses(api)
    data = await api.admin(PIVOT, {"g": "CUSTOM_FIELD", "gf": "trainer", "t": "PRODUCT"})
    assert cells(data) == {
        ("Ann", "Product XL"): (2, "900.00", 1.0), ("Ann", "Product PY"): (0, "0.00", 0.0),
        ("Bob", "Product PY"): (2, "1000.00", 1.0), ("Bob", "Product XL"): (1, "600.00", 1.0),
    }
    by_month = await api.admin(PIVOT, {"g": "CUSTOM_FIELD", "gf": "trainer", "t": "MONTH"})
    assert cells(by_month) == {
        ("Ann", "2026-01"): (1, "300.00", 1.0), ("Ann", "2026-02"): (1, "600.00", 1.0), ("Ann", "2026-03"): (0, "0.00", 0.0),
        ("Bob", "2026-02"): (1, "500.00", 1.0), ("Bob", "2026-03"): (1, "1100.00", 1.0),
    }
    # A month compared with the same month a year earlier, within the same trainer.
    bob = {r["subKey"]: r["lastYearWonAmount"] for r in by_month["salesPerformance"]["rows"] if r["key"] == "Bob"}
    assert bob == {"2026-02": "0.00", "2026-03": "0.00"}
    owner_month = (await api.admin(PIVOT, {"g": "MONTH", "t": "OWNER"}))["salesPerformance"]["rows"]
    assert [(r["key"], r["wonAmount"], r["lastYearWonAmount"]) for r in owner_month] == [
        ("2026-01", "300.00", "300.00"), ("2026-02", "1100.00", "0.00"), ("2026-03", "1100.00", "0.00")]


async def test_filters_narrow_every_grouping(make_app):
    api = await make_app(plugins=["sales"])
    _, python = await courses(api)
    vip = await api.admin(PIVOT, {"g": "PRODUCT", "f": {"customerTags": ["VIP"]}})
    assert cells(vip) == {("Product XL", None): (1, "300.00", 1.0), ("Product PY", None): (1, "500.00", 1.0)}
    ann = await api.admin(PIVOT, {"g": "REGION", "f": {"customFields": [{"key": "trainer", "equals": "Ann"}]}})
    assert cells(ann) == {("South", None): (1, "600.00", 0.5), ("North", None): (1, "300.00", 1.0)}
    python_deals = await api.admin(PIVOT, {"g": "INDUSTRY", "f": {"productId": python, "region": "south"}})
    assert cells(python_deals) == {("Banking", None): (1, "1100.00", 0.5)}  # d5 whole, d4 lost
    forecast = await api.admin("""query($f: SalesReportFilter) { salesForecast(period: QUARTER, from: "2026-01-01", to: "2026-03-31",
      filter: $f) { rows { closedWon } } }""", {"f": {"industry": "RETAIL"}})
    assert forecast["salesForecast"]["rows"] == [{"closedWon": "800.00"}]


async def test_groupings_that_cannot_be_made_are_refused(make_app):
    api = await make_app(plugins=["sales"])
    await courses(api)
    for variables, field in (
        ({"g": "CUSTOM_FIELD"}, "groupByField"),
        ({"g": "CUSTOM_FIELD", "gf": "nope"}, "groupByField"),
        ({"g": "CUSTOM_FIELD", "gf": "rooms"}, "groupByField"),
        ({"g": "OWNER", "gf": "trainer"}, "groupByField"),
        ({"g": "OWNER", "t": "OWNER"}, "thenBy"),
        ({"g": "OWNER", "tf": "trainer"}, "thenByField"),
        ({"g": "OWNER", "f": {"productId": "x"}}, "filter.productId"),
        ({"g": "OWNER", "f": {"customFields": [{"key": "nope", "equals": "1"}]}}, "filter.customFields"),
    ):
        errors = (await api.gql(PIVOT, variables, api.admin_token, expect_errors=True))["errors"]
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [("BAD_USER_INPUT", field)], variables


async def test_custom_fields_on_opportunities(make_app):
    api = await make_app(plugins=["sales"])
    await courses(api)
    rep, rep_token = await api.as_user("sales_rep")
    customer = await api.create_customer(rep_token, name="Rep's")
    bad = await api.gql("""mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id }
      errors { field code } } }""", {"i": {"name": "X", "customerId": customer["id"], "customFields": {"trainer": "Zed", "nope": 1}}}, rep_token)
    assert sorted((e["field"], e["code"]) for e in bad["createOpportunity"]["errors"]) == [
        ("customFields.nope", "UNKNOWN_FIELD"), ("customFields.trainer", "INVALID")]
    opp = await open_deal(api, customer["id"], rep_token, customFields={"trainer": "Ann"})
    changed = await api.gql(UPDATE, {"i": {"id": opp["id"], "version": opp["version"], "customFields": {"rooms": ["A", "B"]}}}, rep_token)
    assert changed["updateOpportunity"]["errors"] == []
    assert changed["updateOpportunity"]["opportunity"]["customFields"] == [
        {"key": "trainer", "choices": ["Ann"], "text": None}, {"key": "rooms", "choices": ["A", "B"], "text": None}]
    found = await api.gql("""query($f: OpportunityFilter) { opportunities(filter: $f) { totalCount } }""",
                          {"f": {"customFields": [{"key": "rooms", "anyOf": ["B"]}]}}, rep_token)
    assert found["opportunities"]["totalCount"] == 1
    everyone = await api.admin("""query($f: OpportunityFilter) { opportunities(filter: $f) { totalCount } }""",
                               {"f": {"customFields": [{"key": "trainer", "equals": "Ann"}]}})
    assert everyone["opportunities"]["totalCount"] == 4
    trail = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "opportunity", recordId: $id, }) {
      edges { node { action changes { field } } } } }""", {"id": opp["id"]})
    # One entry per change: the deal's creation (its stage set after it had an id, in the same transaction) and the update.
    entries = [(e["node"]["action"], [c["field"] for c in e["node"]["changes"]]) for e in trail["auditLog"]["edges"]]
    assert [action for action, _ in entries] == ["update", "create"] and entries[0][1] == ["customFields"]
    assert {"reachedStageId", "customFields", "stageId"} <= set(entries[1][1])
    assert rep
