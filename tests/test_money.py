"""Money in many currencies: codes and their decimals, dated exchange rates, and reports that convert every deal or
say which they could not, against figures computed by hand."""

import asyncio
from datetime import timedelta

from sales_helpers import LOSE, WIN, open_deal, step
from sqlalchemy import select
from typer.testing import CliRunner

from crm import parse_id
from crm.audit.models import AuditEntry
from crm.models import utcnow

SET_RATE = """mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) {
  exchangeRate { id currency base rate validFrom version } errors { field code message } } }"""
RATES = """query($c: String, $f: Date, $t: Date) { exchangeRates(currency: $c, from: $f, to: $t, first: 100) {
  totalCount edges { node { currency rate validFrom } } } }"""
FORECAST = """query($c: String) { salesForecast(period: MONTH, from: "2026-01-01", to: "2026-03-31", currency: $c) {
  currency rows { period weighted bestCase committed closedWon openCount } unconverted { currency count amount } } }"""
PERFORMANCE = """query($g: PerformanceGroup, $c: String) { salesPerformance(from: "2026-01-01", to: "2026-03-31", groupBy: $g, currency: $c) {
  currency rows { key wonCount wonAmount share winRate avgDealSize previousPeriodWonAmount lastYearWonAmount }
  unconverted { currency count amount } } }"""

# Units of each currency per euro, from a day on: USD changes twice and GBP once inside the first quarter of 2026.
RATE_TABLE = [("USD", "1.25", "2025-01-01"), ("USD", "1.6", "2026-02-01"), ("USD", "2", "2026-03-01"),
              ("GBP", "0.8", "2025-01-01"), ("GBP", "0.5", "2026-03-15")]


def day(d: str) -> str:
    return f"{d}T09:00:00+00:00"


async def set_rates(api, table=RATE_TABLE):
    for currency, rate, valid_from in table:
        done = await api.admin(SET_RATE, {"i": {"currency": currency, "rate": rate, "validFrom": valid_from}})
        assert done["setExchangeRate"]["errors"] == [], done


async def won(api, cid, name, amount, currency, closed, opened="2024-12-01"):
    deal = await open_deal(api, cid, name=name, amount=amount, currency=currency, openedAt=day(opened))
    return await step(api, WIN, "winOpportunity", id=deal["id"], version=deal["version"], closedAt=day(closed))


async def book(api) -> dict:
    """The hand-computed history, amounts in EUR at each deal's date:
    W1 EUR 1000 (1000), W2 USD 1000 at 1.25 (800), W3 USD 800 at 1.6 (500), W4 GBP 400 at 0.5 (800), W5 CHF 300 (no rate),
    L1 USD 2000 lost; open O1 USD 1000 closing 10 March at 2 (500, 50 %), O2 GBP 400 closing 15 February at 0.8
    (500, 80 %), O3 USD 3000 closing next year (today's rate 2: 1500); W6 USD 500 won a year before (400), W7 GBP 240
    won in December (300)."""
    await set_rates(api)
    cid = (await api.create_customer(name="Acme", region="north"))["id"]
    deals = {}
    for name, amount, currency, closed in (("W1", "1000", "EUR", "2026-01-20"), ("W2", "1000", "USD", "2026-01-31"),
                                           ("W3", "800", "USD", "2026-02-10"), ("W4", "400", "GBP", "2026-03-20"),
                                           ("W5", "300", "CHF", "2026-02-20"), ("W6", "500", "USD", "2025-02-10"),
                                           ("W7", "240", "GBP", "2025-12-15")):
        deals[name] = await won(api, cid, name, amount, currency, closed)
    lost = await open_deal(api, cid, name="L1", amount="2000", currency="USD", openedAt=day("2026-01-02"))
    await step(api, LOSE, "loseOpportunity", id=lost["id"], version=lost["version"], reason="price", closedAt=day("2026-03-05"))
    deals["O1"] = await open_deal(api, cid, name="O1", amount="1000", currency="USD", expectedCloseDate="2026-03-10", probability=50)
    deals["O2"] = await open_deal(api, cid, name="O2", amount="400", currency="GBP", expectedCloseDate="2026-02-15", probability=80)
    next_year = (utcnow() + timedelta(days=400)).date().isoformat()
    deals["O3"] = await open_deal(api, cid, name="O3", amount="3000", currency="USD", expectedCloseDate=next_year, probability=10)
    deals["customer"] = cid
    return deals


async def test_forecast_converts_each_deal_at_its_date_and_lists_what_it_cannot(make_app):
    api = await make_app(plugins=["sales"])
    await book(api)
    forecast = (await api.admin(FORECAST))["salesForecast"]
    assert forecast["currency"] == "EUR"
    assert [(r["period"], r["weighted"], r["bestCase"], r["committed"], r["closedWon"], r["openCount"]) for r in forecast["rows"]] == [
        ("2026-01", "0.00", "1800.00", "1800.00", "1800.00", 0),
        ("2026-02", "400.00", "1000.00", "1000.00", "500.00", 1),
        ("2026-03", "250.00", "1300.00", "800.00", "800.00", 1),
    ]
    assert forecast["unconverted"] == [{"currency": "CHF", "count": 1, "amount": "300.00"}]
    # In dollars, through the euro at each deal's date: W1 1000 EUR x 1.25, O2 400 GBP x 1.6 / 0.8, W4 400 GBP x 2 / 0.5.
    in_usd = (await api.admin(FORECAST, {"c": "usd"}))["salesForecast"]
    assert in_usd["currency"] == "USD"
    assert [(r["period"], r["weighted"], r["closedWon"]) for r in in_usd["rows"]] == [
        ("2026-01", "0.00", "2250.00"), ("2026-02", "640.00", "800.00"), ("2026-03", "500.00", "1600.00")]
    bad = await api.gql(FORECAST, {"c": "ZZZ"}, api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "currency"}


async def test_performance_share_comparisons_and_unconverted(make_app):
    api = await make_app(plugins=["sales"])
    await book(api)
    me = (await api.admin("{ me { id } }"))["me"]["id"]
    owner = (await api.admin(PERFORMANCE, {"g": "OWNER"}))["salesPerformance"]
    # Counts count every deal (five won, one lost); amounts only the four that convert: 1000 + 800 + 500 + 800.
    assert owner["rows"] == [{"key": me, "wonCount": 5, "wonAmount": "3100.00", "share": 1.0, "winRate": 0.8333,
                              "avgDealSize": "775.00", "previousPeriodWonAmount": "300.00", "lastYearWonAmount": "400.00"}]
    assert owner["unconverted"] == [{"currency": "CHF", "count": 1, "amount": "300.00"}]
    months = (await api.admin(PERFORMANCE, {"g": "MONTH"}))["salesPerformance"]
    assert [(r["key"], r["wonAmount"], r["share"], r["previousPeriodWonAmount"], r["lastYearWonAmount"]) for r in months["rows"]] == [
        ("2026-01", "1800.00", 0.5806, "300.00", "0.00"), ("2026-02", "500.00", 0.1613, "1800.00", "400.00"),
        ("2026-03", "800.00", 0.2581, "500.00", "0.00")]
    assert months["unconverted"] == [{"currency": "CHF", "count": 1, "amount": "300.00"}]
    in_gbp = (await api.admin(PERFORMANCE, {"g": "REGION", "c": "GBP"}))["salesPerformance"]
    # W1 1000 x 0.8, W2 1000 x 0.8 / 1.25, W3 800 x 0.8 / 1.6, W4 400 (GBP): 800 + 640 + 400 + 400.
    assert [(r["key"], r["wonAmount"]) for r in in_gbp["rows"]] == [("north", "2240.00")]


async def test_summary_attainment_segments_and_single_amounts(make_app):
    api = await make_app(plugins=["sales"])
    deals = await book(api)
    summary = (await api.admin("""query($id: ID!) { customer(id: $id) { summary { openOpportunityCount openPipelineValue
        lifetimeRevenue unconvertedOpportunities { currency count amount } } } }""", {"id": deals["customer"]}))["customer"]["summary"]
    assert summary == {"openOpportunityCount": 3, "openPipelineValue": "2500.00", "lifetimeRevenue": "3800.00",
                       "unconvertedOpportunities": [{"currency": "CHF", "count": 1, "amount": "300.00"}]}
    single = await api.admin("""{ opportunities(first: 20) { edges { node { name amountInReportingCurrency } } } }""")
    converted = {e["node"]["name"]: e["node"]["amountInReportingCurrency"] for e in single["opportunities"]["edges"]}
    assert (converted["W2"], converted["W4"], converted["O3"], converted["W5"]) == ("800.00", "800.00", "1500.00", None)

    me = (await api.admin("{ me { id } }"))["me"]["id"]
    made = await api.admin("mutation($i: SalesTargetInput!) { createSalesTarget(input: $i) { errors { code } } }",
                           {"i": {"userId": me, "metric": "REVENUE", "value": "6200", "periodStart": "2026-01-01", "periodEnd": "2026-03-31"}})
    assert made["createSalesTarget"]["errors"] == []
    query = """query($c: String) { targetAttainment(from: "2026-01-01", to: "2026-03-31", currency: $c) { currency
        rows { target actual attainment unconverted { currency count amount } } } }"""
    rows = (await api.admin(query))["targetAttainment"]["rows"]
    assert rows == [{"target": "6200.00", "actual": "3100.00", "attainment": 0.5, "unconverted": [{"currency": "CHF", "count": 1, "amount": "300.00"}]}]
    # In dollars: the target at its period's last day (2 per euro), the deals at theirs: 1250 + 1000 + 800 + 1600.
    usd = (await api.admin(query, {"c": "USD"}))["targetAttainment"]
    assert usd["currency"] == "USD" and [(r["target"], r["actual"], r["attainment"]) for r in usd["rows"]] == [("12400.00", "4650.00", 0.375)]

    segments = (await api.admin("""{ customerSegments(asOf: "2026-04-01T00:00:00Z", windowDays: 365) { currency
        segments { monetary } unconverted { currency count amount } } }"""))["customerSegments"]
    # Within the year to 1 April 2026: W1-W4 and W7 convert (1000 + 800 + 500 + 800 + 300); W5 does not.
    assert segments["currency"] == "EUR" and sum(float(s["monetary"]) for s in segments["segments"]) == 3400.0
    assert segments["unconverted"] == [{"currency": "CHF", "count": 1, "amount": "300.00"}]


async def test_rates_are_listed_changed_withdrawn_and_audited(make_app):
    api = await make_app(plugins=["sales"])
    await set_rates(api)
    listed = (await api.admin(RATES, {"c": "USD", "f": "2026-02-15", "t": "2026-12-31"}))["exchangeRates"]
    # From 15 February: the rate in force that day (1 February's) and the later one.
    assert [(e["node"]["rate"], e["node"]["validFrom"]) for e in listed["edges"]] == [("1.60", "2026-02-01"), ("2.00", "2026-03-01")]
    again = (await api.admin(SET_RATE, {"i": {"currency": "USD", "rate": "1.65", "validFrom": "2026-02-01"}}))["setExchangeRate"]
    assert again["errors"] == [] and again["exchangeRate"]["version"] == 2 and again["exchangeRate"]["rate"] == "1.65"
    assert (await api.admin(RATES, {"c": "USD"}))["exchangeRates"]["totalCount"] == 3
    removed = await api.admin("mutation($i: IdInput!) { deleteExchangeRate(input: $i) { errors { code } } }", {"i": {"id": again["exchangeRate"]["id"]}})
    assert removed["deleteExchangeRate"]["errors"] == []
    assert (await api.admin(RATES, {"c": "USD"}))["exchangeRates"]["totalCount"] == 2
    back = await api.admin("mutation($i: IdInput!) { restoreExchangeRate(input: $i) { exchangeRate { rate } errors { code } } }",
                           {"i": {"id": again["exchangeRate"]["id"]}})
    assert back["restoreExchangeRate"]["exchangeRate"] == {"rate": "1.65"}
    trail = select(AuditEntry.action).where(AuditEntry.resource == "exchange_rate", AuditEntry.record_id == str(parse_id(again["exchangeRate"]["id"])))
    async with api.runtime.db.read() as session:
        actions = (await session.scalars(trail.order_by(AuditEntry.id))).all()
    assert actions[0] == "create" and len(actions) == 4, actions
    currencies = (await api.admin("{ reportingCurrency { code minorUnits } currencies { code minorUnits } }"))
    assert currencies["reportingCurrency"] == {"code": "EUR", "minorUnits": 2}
    units = {c["code"]: c["minorUnits"] for c in currencies["currencies"]}
    assert (units["JPY"], units["KWD"], units["USD"]) == (0, 3, 2) and "XXX" not in units and "XAU" not in units


async def test_bad_rates_and_codes_are_typed_errors_and_change_nothing(make_app):
    api = await make_app(plugins=["sales"])
    _, rep = await api.as_user("sales_rep")
    refused = await api.gql(SET_RATE, {"i": {"currency": "USD", "rate": "1.1", "validFrom": "2026-01-01"}}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await api.gql(RATES, {}, rep))["exchangeRates"]["totalCount"] == 0  # everyone may read rates
    far = (utcnow() + timedelta(days=40)).date().isoformat()
    cases = [({"currency": "ZZZ", "rate": "1", "validFrom": "2026-01-01"}, [("currency", "INVALID")]),
             ({"currency": "EUR", "rate": "1", "validFrom": "2026-01-01"}, [("currency", "INVALID")]),
             ({"currency": "USD", "rate": "0", "validFrom": "2026-01-01"}, [("rate", "INVALID")]),
             ({"currency": "USD", "rate": "-1.2", "validFrom": far}, [("rate", "INVALID"), ("validFrom", "INVALID")]),
             ({"currency": "", "rate": "1", "validFrom": "2026-01-01"}, [("currency", "REQUIRED")])]
    for given, expected in cases:
        errors = (await api.admin(SET_RATE, {"i": given}))["setExchangeRate"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == expected, (given, errors)
    assert (await api.admin(RATES))["exchangeRates"]["totalCount"] == 0
    cid = (await api.create_customer(name="Acme"))["id"]
    bad = await api.admin("""mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id }
        errors { field code } } }""", {"i": {"customerId": cid, "name": "X", "amount": "10", "currency": "XTS"}})
    assert bad["createOpportunity"]["errors"] == [{"field": "currency", "code": "INVALID"}]
    assert (await api.admin("{ opportunities { totalCount } }"))["opportunities"]["totalCount"] == 0
    lower = await open_deal(api, cid, name="Y", amount="10", currency="usd")
    assert lower["currency"] == "USD"
    product = await api.admin("""mutation { createProduct(input: {sku: "P", name: "P", price: "1", currency: "EURO"}) {
        errors { field code } } }""")
    assert product["createProduct"]["errors"] == [{"field": "currency", "code": "INVALID"}]


async def test_document_totals_round_to_each_currency_s_smallest_unit(make_app):
    api = await make_app(plugins=["sales"])
    cid = (await api.create_customer(name="Acme"))["id"]
    quote = """mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { currency subtotal taxTotal total
        lines { net tax } } errors { field code } } }"""
    line = {"description": "Service", "quantity": "1", "unitPrice": "333.5", "taxPercent": "10"}
    yen = (await api.admin(quote, {"i": {"customerId": cid, "currency": "JPY", "lines": [line]}}))["createQuote"]
    assert yen["errors"] == [] and yen["quote"]["lines"] == [{"net": "334.00", "tax": "33.00"}] and yen["quote"]["total"] == "367.00"
    line = {"description": "Service", "quantity": "1", "unitPrice": "1.2345", "taxPercent": "10"}
    dinar = (await api.admin(quote, {"i": {"customerId": cid, "currency": "KWD", "lines": [line]}}))["createQuote"]
    assert dinar["quote"]["lines"] == [{"net": "1.234", "tax": "0.123"}] and dinar["quote"]["total"] == "1.357"


ECB_WIDE = "Date,USD,JPY,GBP,\n2026-03-03,1.0823,N/A,0.8512,\n2026-03-02,1.0801,162.12,0.8533,\n"
SDMX = ("KEY,FREQ,CURRENCY,CURRENCY_DENOM,TIME_PERIOD,OBS_VALUE\n"
        "EXR.D.USD.EUR.SP00.A,D,USD,EUR,2026-03-02,1.0801\nEXR.D.USD.EUR.SP00.A,D,USD,EUR,2026-03-03,1.0823\n")


def _import(runner, url, path, *args):
    import os

    from crm.cli import _add_plugin_commands, cli

    os.environ["CRM_DATABASE_URL"] = url
    _add_plugin_commands()
    return runner.invoke(cli, ["import", "exchange-rates", str(path), *args])


async def test_cli_imports_central_bank_files_whole_or_not_at_all(make_app, tmp_path, monkeypatch):
    api = await make_app(plugins=["sales"])
    monkeypatch.setenv("CRM_DATABASE_URL", api.runtime.settings.database_url)
    runner = CliRunner()
    wide = tmp_path / "eurofxref-hist.csv"
    wide.write_text(ECB_WIDE)
    result = await asyncio.to_thread(_import, runner, api.runtime.settings.database_url, wide)
    assert result.exit_code == 0, result.output
    assert "5 new rates" in result.output  # JPY has no quote on 3 March
    sdmx = tmp_path / "sdmx.csv"
    sdmx.write_text(SDMX)
    mapped = await asyncio.to_thread(_import, runner, api.runtime.settings.database_url, sdmx, "--map", "TIME_PERIOD=date",
                                     "--map", "CURRENCY=currency", "--map", "OBS_VALUE=rate", "--map", "CURRENCY_DENOM=base")
    assert mapped.exit_code == 0 and "2 unchanged" in mapped.output, mapped.output
    usd = (await api.admin(RATES, {"c": "USD"}))["exchangeRates"]
    assert [(e["node"]["validFrom"], e["node"]["rate"]) for e in usd["edges"]] == [("2026-03-02", "1.0801"), ("2026-03-03", "1.0823")]

    bad = tmp_path / "bad.csv"
    bad.write_text("date,currency,rate\n2026-03-04,USD,1.09\n2026-13-01,USD,1.1\n2026-03-05,QQQ,1\n2026-03-05,GBP,-2\n2026-03-06,GBP,x\n")
    refused = await asyncio.to_thread(_import, runner, api.runtime.settings.database_url, bad)
    assert refused.exit_code == 2, refused.output
    for line in ("row 3: date", "row 4: currency", "row 5: rate", "row 6: rate", "nothing imported: 4 of 5 rows"):
        assert line in refused.output, refused.output
    assert (await api.admin(RATES, {"c": "USD"}))["exchangeRates"]["totalCount"] == 2  # the good first row is not in either
    other_base = tmp_path / "usd-based.csv"
    other_base.write_text(SDMX.replace(",EUR,", ",USD,").replace(",USD,USD,", ",GBP,USD,"))
    wrong = await asyncio.to_thread(_import, runner, api.runtime.settings.database_url, other_base, "--map", "TIME_PERIOD=date",
                                    "--map", "CURRENCY=currency", "--map", "OBS_VALUE=rate", "--map", "CURRENCY_DENOM=base")
    assert wrong.exit_code == 2 and "the reporting currency is EUR" in wrong.output, wrong.output


async def test_concurrent_setters_of_one_new_day_leave_one_rate(make_app):
    api = await make_app(plugins=["sales"])
    answers = await asyncio.gather(*(api.admin(SET_RATE, {"i": {"currency": "USD", "rate": f"1.{n}", "validFrom": "2026-05-04"}})
                                     for n in range(1, 7)))
    assert all(a["setExchangeRate"]["errors"] == [] for a in answers), answers
    rows = (await api.admin(RATES, {"c": "USD"}))["exchangeRates"]
    assert rows["totalCount"] == 1
    assert rows["edges"][0]["node"]["rate"] in {f"1.{n}0" for n in range(1, 7)}
