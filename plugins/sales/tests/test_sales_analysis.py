"""Funnel, forecast, performance and target attainment against numbers computed by hand on a fixed history."""

from sales_helpers import LOSE, MOVE, WIN, open_deal, stages, step

FUNNEL = """query($p: ID!, $o: ID) { salesFunnel(pipelineId: $p, from: "2026-01-01", to: "2026-03-31", ownerId: $o) {
  opportunities won lost open stages { stage { name } reached conversionRate avgDaysInStage dropOff } } }"""
FORECAST = """query($period: Period!, $g: ForecastGroup) { salesForecast(period: $period, from: "2026-01-01", to: "2026-03-31", groupBy: $g) {
  rows { key label period weighted bestCase committed closedWon } } }"""
PERFORMANCE = """query($g: PerformanceGroup) { salesPerformance(from: "2026-01-01", to: "2026-03-31", groupBy: $g) {
  rows { key label wonCount wonAmount share winRate avgDealSize avgCycleDays previousPeriodWonAmount lastYearWonAmount } } }"""


def day(d: str, hour: int = 9) -> str:
    return f"{d}T{hour:02d}:00:00+00:00"


async def history(api):
    """The fixed history. D1 won, D2 lost, D3 and D4 open, D5 won last December, D6 won a year before."""
    s = await stages(api)
    customer = await api.create_customer(name="Acme", region="north")
    products = []
    for sku, price in (("A", "300"), ("B", "400")):
        made = await api.admin("mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } errors { code } } }",
                               {"i": {"sku": sku, "name": f"Product {sku}", "price": price, "currency": "EUR"}})
        products.append(made["createProduct"]["product"]["id"])
    cid = customer["id"]
    d1 = await open_deal(api, cid, name="D1", openedAt=day("2026-01-01"),
                         lines=[{"productId": products[0], "quantity": "2"}, {"productId": products[1]}])
    assert d1["amount"] == "1000.00"
    d1 = await step(api, MOVE, "moveOpportunity", id=d1["id"], version=d1["version"], stageId=s["Needs analysis"], at=day("2026-01-11"))
    d1 = await step(api, MOVE, "moveOpportunity", id=d1["id"], version=d1["version"], stageId=s["Proposal"], at=day("2026-01-21"))
    await step(api, WIN, "winOpportunity", id=d1["id"], version=d1["version"], closedAt=day("2026-01-31"))
    d2 = await open_deal(api, cid, name="D2", amount="2000", openedAt=day("2026-01-01"))
    d2 = await step(api, MOVE, "moveOpportunity", id=d2["id"], version=d2["version"], stageId=s["Needs analysis"], at=day("2026-01-05"))
    await step(api, LOSE, "loseOpportunity", id=d2["id"], version=d2["version"], reason="price", closedAt=day("2026-01-15"))
    await open_deal(api, cid, name="D3", amount="3000", openedAt=day("2026-01-10"), expectedCloseDate="2026-02-15")
    d4 = await open_deal(api, cid, name="D4", amount="4000", openedAt=day("2026-01-10"), expectedCloseDate="2026-03-10", probability=80)
    await step(api, MOVE, "moveOpportunity", id=d4["id"], version=d4["version"], stageId=s["Proposal"], at=day("2026-01-20"))
    d5 = await open_deal(api, cid, name="D5", amount="500", openedAt=day("2025-12-01"))
    await step(api, WIN, "winOpportunity", id=d5["id"], version=d5["version"], closedAt=day("2025-12-15"))
    d6 = await open_deal(api, cid, name="D6", amount="700", openedAt=day("2025-02-01"))
    await step(api, WIN, "winOpportunity", id=d6["id"], version=d6["version"], closedAt=day("2025-02-10"))
    return products


async def test_funnel_counts_reach_conversion_and_time_in_stage(make_app):
    api = await make_app(plugins=["sales"])
    await history(api)
    pipeline = (await api.admin("{ pipelines { id } }"))["pipelines"][0]["id"]
    rep, rep_token = await api.as_user("sales_rep")
    rep_customer = await api.create_customer(rep_token, name="Rep's")
    await open_deal(api, rep_customer["id"], rep_token, name="D7", amount="100", openedAt=day("2026-01-15"))

    me = (await api.admin("{ me { id } }"))["me"]["id"]
    funnel = (await api.admin(FUNNEL, {"p": pipeline, "o": me}))["salesFunnel"]
    assert (funnel["opportunities"], funnel["won"], funnel["lost"], funnel["open"]) == (4, 1, 1, 2)
    assert [(r["stage"]["name"], r["reached"], r["conversionRate"], r["avgDaysInStage"], r["dropOff"]) for r in funnel["stages"]] == [
        ("Qualification", 4, 0.75, 8.0, 1),
        ("Needs analysis", 3, 0.6667, 10.0, 1),
        ("Proposal", 2, 0.5, 10.0, 1),
        ("Negotiation", 1, 1.0, None, 0),
        ("Won", 1, None, None, None),
    ]
    everyone = (await api.admin(FUNNEL, {"p": pipeline}))["salesFunnel"]
    assert everyone["stages"][0]["reached"] == 5
    # A rep's funnel counts only what they may read.
    theirs = (await api.gql(FUNNEL, {"p": pipeline}, rep_token))["salesFunnel"]
    assert [r["reached"] for r in theirs["stages"]] == [1, 0, 0, 0, 0] and theirs["opportunities"] == 1
    assert rep


async def test_time_in_stage_follows_a_deal_through_transfer_delete_and_restore(make_app):
    api = await make_app(plugins=["sales"])
    await history(api)
    pipeline = (await api.admin("{ pipelines { id } }"))["pipelines"][0]["id"]
    rep, rep_token = await api.as_user("sales_rep")

    async def rep_funnel():
        stages = (await api.gql(FUNNEL, {"p": pipeline}, rep_token))["salesFunnel"]["stages"]
        return [(r["reached"], r["avgDaysInStage"]) for r in stages[:3]]

    assert await rep_funnel() == [(0, None), (0, None), (0, None)]
    d1 = (await api.admin('{ opportunities(filter: {search: "D1"}) { edges { node { id version } } } }'))["opportunities"]["edges"][0]["node"]
    moved = await api.admin("mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { errors { code } } }",
                            {"i": {"id": d1["id"], "version": d1["version"], "ownerId": rep["id"]}})
    assert moved["updateOpportunity"]["errors"] == []
    # D1 spent 10 days in each of the first three stages; it is the rep's now, with its history.
    assert await rep_funnel() == [(1, 10.0), (1, 10.0), (1, 10.0)]
    await api.admin("mutation($i: IdInput!) { deleteOpportunity(input: $i) { errors { code } } }", {"i": {"id": d1["id"]}})
    assert await rep_funnel() == [(0, None), (0, None), (0, None)]
    await api.admin("mutation($i: IdInput!) { restoreOpportunity(input: $i) { errors { code } } }", {"i": {"id": d1["id"]}})
    assert await rep_funnel() == [(1, 10.0), (1, 10.0), (1, 10.0)]


async def test_forecast_by_month_and_quarter(make_app):
    api = await make_app(plugins=["sales"])
    await history(api)
    me = (await api.admin("{ me { id name } }"))["me"]
    monthly = (await api.admin(FORECAST, {"period": "MONTH", "g": "OWNER"}))["salesForecast"]["rows"]
    assert [(r["key"], r["label"], r["period"], r["weighted"], r["bestCase"], r["committed"], r["closedWon"]) for r in monthly] == [
        (me["id"], me["name"], "2026-01", "0.00", "1000.00", "1000.00", "1000.00"),
        (me["id"], me["name"], "2026-02", "300.00", "3000.00", "0.00", "0.00"),
        (me["id"], me["name"], "2026-03", "3200.00", "4000.00", "4000.00", "0.00"),
    ]
    quarterly = (await api.admin(FORECAST, {"period": "QUARTER", "g": "PIPELINE"}))["salesForecast"]["rows"]
    assert [(r["label"], r["period"], r["weighted"], r["bestCase"], r["committed"], r["closedWon"]) for r in quarterly] == [
        ("New business", "2026-Q1", "3500.00", "8000.00", "5000.00", "1000.00")]
    _, viewer = await api.as_user("viewer")
    assert len((await api.gql(FORECAST, {"period": "QUARTER"}, viewer))["salesForecast"]["rows"]) == 1
    _, rep = await api.as_user("sales_rep")
    assert (await api.gql(FORECAST, {"period": "QUARTER"}, rep))["salesForecast"]["rows"] == []


async def test_performance_with_comparisons(make_app):
    api = await make_app(plugins=["sales"])
    products = await history(api)
    by_owner = (await api.admin(PERFORMANCE, {"g": "OWNER"}))["salesPerformance"]["rows"]
    assert [(r["wonCount"], r["wonAmount"], r["share"], r["winRate"], r["avgDealSize"], r["avgCycleDays"],
             r["previousPeriodWonAmount"], r["lastYearWonAmount"]) for r in by_owner] == [
        (1, "1000.00", 1.0, 0.5, "1000.00", 30.0, "500.00", "700.00")]
    by_month = (await api.admin(PERFORMANCE, {"g": "MONTH"}))["salesPerformance"]["rows"]
    assert [(r["key"], r["wonAmount"], r["previousPeriodWonAmount"], r["lastYearWonAmount"]) for r in by_month] == [
        ("2026-01", "1000.00", "500.00", "0.00")]
    by_product = (await api.admin(PERFORMANCE, {"g": "PRODUCT"}))["salesPerformance"]["rows"]
    assert [(r["key"], r["label"], r["wonAmount"], r["share"], r["winRate"]) for r in by_product] == [
        (products[0], "Product A", "600.00", 0.6, 1.0), (products[1], "Product B", "400.00", 0.4, 1.0)]
    by_region = (await api.admin(PERFORMANCE, {"g": "REGION"}))["salesPerformance"]["rows"]
    assert [(r["key"], r["wonCount"], r["winRate"]) for r in by_region] == [("north", 1, 0.5)]
    last_year = await api.admin('{ salesPerformance(from: "2025-02-01", to: "2025-02-28") { rows { wonAmount lastYearWonAmount } } }')
    assert last_year["salesPerformance"]["rows"] == [{"wonAmount": "700.00", "lastYearWonAmount": "0.00"}]
    bad = await api.gql('{ salesPerformance(from: "2026-02-01", to: "2026-01-01") { rows { key } } }', token=api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_target_attainment_for_owners_and_teams(make_app):
    api = await make_app(plugins=["sales"])
    await history(api)
    me = (await api.admin("{ me { id } }"))["me"]["id"]
    team = (await api.admin('mutation { createTeam(input: {name: "North"}) { team { id } errors { code } } }'))["createTeam"]["team"]["id"]
    await api.admin("mutation($t: ID!, $u: ID!) { addTeamMember(input: {teamId: $t, userId: $u}) { errors { code } } }", {"t": team, "u": me})
    create = "mutation($i: SalesTargetInput!) { createSalesTarget(input: $i) { target { id } errors { field code } } }"
    for target in ({"userId": me, "metric": "REVENUE", "value": "4000"}, {"teamId": team, "metric": "REVENUE", "value": "2000"},
                   {"userId": me, "metric": "ACTIVITIES", "value": "4"}, {"userId": me, "metric": "WON_DEALS", "value": "2"}):
        made = await api.admin(create, {"i": {"periodStart": "2026-01-01", "periodEnd": "2026-03-31", **target}})
        assert made["createSalesTarget"]["errors"] == []
    customer = (await api.admin("{ customers { edges { node { id } } } }"))["customers"]["edges"][0]["node"]["id"]
    for d in ("2026-02-03", "2026-02-04"):
        await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer, "kind": "call", "subject": "call", "occurredAt": day(d)}})
    query = """query($g: TargetGroup) { targetAttainment(from: "2026-01-01", to: "2026-03-31", groupBy: $g) {
        rows { key metric target actual attainment } } }"""
    owners = (await api.admin(query, {"g": "OWNER"}))["targetAttainment"]["rows"]
    assert sorted((r["metric"], r["target"], r["actual"], r["attainment"]) for r in owners) == [
        ("ACTIVITIES", "4.00", "2.00", 0.5), ("REVENUE", "4000.00", "1000.00", 0.25), ("WON_DEALS", "2.00", "1.00", 0.5)]
    teams = (await api.admin(query, {"g": "TEAM"}))["targetAttainment"]["rows"]
    assert [(r["key"], r["actual"], r["attainment"]) for r in teams] == [(team, "1000.00", 0.5)]

    # A team target's actual is the team's, whoever asks: a rep of the team, who reads only their own deals, sees
    # what the admin sees (a target is shared; its figures are an aggregate over the target's own people).
    rep, token = await api.as_user("sales_rep")
    await api.admin("mutation($t: ID!, $u: ID!) { addTeamMember(input: {teamId: $t, userId: $u}) { errors { code } } }", {"t": team, "u": rep["id"]})
    theirs = await api.create_customer(token)
    deal = await open_deal(api, theirs["id"], token, amount="300", openedAt=day("2026-01-20"))
    await step(api, WIN, "winOpportunity", token, id=deal["id"], version=deal["version"], closedAt=day("2026-02-10"))
    as_admin = (await api.admin(query, {"g": "TEAM"}))["targetAttainment"]["rows"]
    as_rep = (await api.gql(query, {"g": "TEAM"}, token))["targetAttainment"]["rows"]
    assert as_rep == as_admin and [(r["actual"], r["attainment"]) for r in as_rep] == [("1300.00", 0.65)]
    bad = await api.admin(create, {"i": {"periodStart": "2026-01-01", "periodEnd": "2026-03-31", "metric": "REVENUE", "value": "1"}})
    assert bad["createSalesTarget"]["errors"] == [{"field": "userId", "code": "INVALID"}]


async def test_analysis_queries_take_turns_beyond_the_configured_concurrency(make_app, monkeypatch):
    import asyncio

    from crm.plugins.sales import analysis

    api = await make_app(plugins=["sales"], analysis_concurrency=1)
    await history(api)
    pipeline = (await api.admin("{ pipelines { id } }"))["pipelines"][0]["id"]
    running, peak, real = 0, 0, analysis.funnel

    async def watched(*args, **kwargs):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            await asyncio.sleep(0.05)  # long enough for the others to arrive
            return await real(*args, **kwargs)
        finally:
            running -= 1

    monkeypatch.setattr(analysis, "funnel", watched)
    answers = await asyncio.gather(*(api.admin(FUNNEL, {"p": pipeline}) for _ in range(4)))
    assert peak == 1
    assert [a["salesFunnel"]["opportunities"] for a in answers] == [4, 4, 4, 4]


async def test_weighted_forecast_is_rounded_to_the_currencys_unit_at_the_edge(make_app):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer()
    for amount in ("100.01", "100.01", "100.01"):  # 33.0033 each: exact inside (99.0099), cents outside
        await open_deal(api, customer["id"], amount=amount, probability=33, expectedCloseDate="2026-12-15")
    rows = (await api.admin("""{ salesForecast(period: MONTH, from: "2026-12-01", to: "2026-12-31", groupBy: PIPELINE) {
        rows { weighted } } }"""))["salesForecast"]["rows"]
    assert rows == [{"weighted": "99.01"}]


async def test_target_pacing_projects_the_period_end_at_todays_run_rate(make_app):
    from datetime import UTC, date, datetime, timedelta

    api = await make_app(plugins=["sales"])
    me = (await api.admin("{ me { id } }"))["me"]["id"]
    today = date.today()
    start, end = today - timedelta(days=9), today + timedelta(days=20)  # day 10 of 30
    made = await api.admin("mutation($i: SalesTargetInput!) { createSalesTarget(input: $i) { errors { code } } }",
                           {"i": {"userId": me, "metric": "REVENUE", "value": "1800", "periodStart": start.isoformat(), "periodEnd": end.isoformat()}})
    assert made["createSalesTarget"]["errors"] == []
    customer = await api.create_customer()
    deal = await open_deal(api, customer["id"], amount="300", openedAt=(datetime.now(UTC) - timedelta(days=5)).isoformat())
    await step(api, WIN, "winOpportunity", id=deal["id"], version=deal["version"], closedAt=(datetime.now(UTC) - timedelta(days=1)).isoformat())
    rows = (await api.admin("""query($f: Date!, $t: Date!) { targetAttainment(from: $f, to: $t) {
        rows { actual attainment elapsed projected projectedAttainment } } }""", {"f": start.isoformat(), "t": end.isoformat()}))
    assert rows["targetAttainment"]["rows"] == [
        {"actual": "300.00", "attainment": 0.1667, "elapsed": 0.3333, "projected": "900.00", "projectedAttainment": 0.5}]
