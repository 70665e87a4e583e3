"""Receivables, ageing, DSO and order-to-cash against figures computed by hand, in the reporting currency."""

from datetime import date, timedelta

from test_contracts import SIGN, draft
from test_payments import PAY, PLAN

RECEIVABLES = """query($d: Date, $g: ReceivablesGroup) { receivables(asOf: $d, groupBy: $g) { currency
  rows { key due received outstanding overdue overdue1To30Days overdue31To60Days overdue61To90Days overdueOver90Days
         daysSalesOutstanding orderToCashDays settledContracts }
  unconverted { currency count amount } } }"""


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


async def contract(api, token, customer, value, currency, signed_days_ago, installments, payments):
    c = await draft(api, token, customer, value=value, currency=currency)
    c = (await api.gql(SIGN, {"i": {"id": c["id"], "version": c["version"], "signedOn": ago(signed_days_ago)}}, token))["signContract"]["contract"]
    planned = await api.gql(PLAN, {"i": {"contractId": c["id"], "version": c["version"],
                                         "installments": [{"dueDate": ago(d), "amount": a} for d, a in installments]}}, token)
    assert planned["setPaymentPlan"]["errors"] == [], planned
    for days, amount in payments:
        paid = await api.gql(PAY, {"i": {"contractId": c["id"], "amount": amount, "receivedOn": ago(days)}}, token)
        assert paid["recordPayment"]["errors"] == [], paid
    return c


async def test_ageing_dso_and_order_to_cash(make_app):
    api = await make_app(plugins=["contracts"])
    await api.admin("mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }",
                    {"i": {"currency": "USD", "rate": "1.25", "validFrom": "2020-01-01"}})
    one, one_token = await api.as_user("sales_rep")
    two, two_token = await api.as_user("sales_rep")
    first = (await api.create_customer(token=one_token, name="Slow payer"))["id"]
    second = (await api.create_customer(token=two_token, name="Prompt payer"))["id"]
    # A: 4 x 1000 EUR due 95, 45, 10 days ago and in 20 days; 1500 paid 40 days ago (the first in full, 500 of the second).
    await contract(api, one_token, first, "4000", "EUR", 100, [(95, "1000"), (45, "1000"), (10, "1000"), (-20, "1000")], [(40, "1500")])
    # B: 2000 USD (1600 EUR at 1.25) due 20 days ago, paid 5 days ago: signed 30 days ago, settled after 25.
    await contract(api, two_token, second, "2000", "USD", 30, [(20, "2000")], [(5, "2000")])
    # C: 500 CHF due yesterday: no rate converts it.
    await contract(api, one_token, first, "500", "CHF", 3, [(1, "500")], [])

    owners = (await api.admin(RECEIVABLES, {"g": "OWNER"}))["receivables"]
    assert owners["currency"] == "EUR"
    assert owners["rows"] == [
        {"key": one["id"], "due": "3000.00", "received": "1500.00", "outstanding": "1500.00", "overdue": "1500.00", "overdue1To30Days": "1000.00",
         "overdue31To60Days": "500.00", "overdue61To90Days": "0.00", "overdueOver90Days": "0.00", "daysSalesOutstanding": 67.5,
         "orderToCashDays": None, "settledContracts": 0},
        {"key": two["id"], "due": "1600.00", "received": "1600.00", "outstanding": "0.00", "overdue": "0.00", "overdue1To30Days": "0.00",
         "overdue31To60Days": "0.00", "overdue61To90Days": "0.00", "overdueOver90Days": "0.00", "daysSalesOutstanding": 0.0,
         "orderToCashDays": 25.0, "settledContracts": 1}]
    assert owners["unconverted"] == [{"currency": "CHF", "count": 1, "amount": "500.00"}]
    # Fifty days ago: A's first installment was 45 days overdue and nothing was paid yet; B was not due.
    past = (await api.admin(RECEIVABLES, {"g": "OWNER", "d": ago(50)}))["receivables"]["rows"]
    assert [(r["due"], r["outstanding"], r["overdue31To60Days"], r["received"]) for r in past] == [("1000.00", "1000.00", "1000.00", "0.00"),
                                                                                                   ("0.00", "0.00", "0.00", "0.00")]
    mine = (await api.gql(RECEIVABLES, {"g": "CUSTOMER"}, one_token))["receivables"]["rows"]
    assert [r["key"] for r in mine] == [first]  # scoped: the other rep's contract is not theirs
    months = (await api.admin(RECEIVABLES, {"g": "PERIOD"}))["receivables"]["rows"]
    assert sum(float(r["due"]) for r in months) == 4600.0 and all(len(r["key"]) == 7 for r in months)
    assert [r["key"] for r in months] == sorted({(date.today() - timedelta(days=d)).strftime("%Y-%m") for d in (95, 45, 10, 20, -20)})
    settled = [r for r in months if r["settledContracts"]]  # B was settled five days ago, 25 days after signing
    assert [(r["key"], r["orderToCashDays"]) for r in settled] == [((date.today() - timedelta(days=5)).strftime("%Y-%m"), 25.0)]
    # Months are made from sums per due day (a cheaper statement): over all months every figure, every ageing bucket
    # included, is what the owners' rows add up to, today and as of days that move installments between buckets.
    figures = ("due", "received", "outstanding", "overdue", "overdue1To30Days", "overdue31To60Days", "overdue61To90Days", "overdueOver90Days")
    for as_of in (None, ago(50), ago(15), ago(-30)):
        by_month = (await api.admin(RECEIVABLES, {"g": "PERIOD", "d": as_of}))["receivables"]
        by_owner = (await api.admin(RECEIVABLES, {"g": "OWNER", "d": as_of}))["receivables"]
        totals = [{f: round(sum(float(r[f]) for r in rows["rows"]), 2) for f in figures} for rows in (by_month, by_owner)]
        assert totals[0] == totals[1], as_of
        assert by_month["unconverted"] == by_owner["unconverted"], as_of


async def test_the_customer_sees_what_is_overdue_and_the_contract_life_on_its_timeline(make_app):
    api = await make_app(plugins=["contracts"])
    customer = (await api.create_customer(name="Client"))["id"]
    c = await contract(api, api.admin_token, customer, "900", "EUR", 60, [(40, "300"), (10, "300"), (-20, "300")], [(30, "100")])
    view = await api.admin("""query($i: ID!) { customer(id: $i) { summary { overdueAmount }
      timeline(first: 20) { edges { node { kind title body recordType recordId } } } } }""", {"i": customer})
    assert view["customer"]["summary"]["overdueAmount"] == "500.00"  # 200 + 300 of the two past due
    kinds = [e["node"]["kind"] for e in view["customer"]["timeline"]["edges"] if e["node"]["kind"].startswith("contract_")]
    assert sorted(kinds) == ["contract_created", "contract_paid", "contract_signed"]
    assert all(e["node"]["recordId"] == c["id"] for e in view["customer"]["timeline"]["edges"] if e["node"]["recordType"] == "contract")
    _, viewer = await api.as_user("viewer")
    assert (await api.gql("query($i: ID!) { customer(id: $i) { summary { overdueAmount } } }", {"i": customer}, viewer))[
        "customer"]["summary"]["overdueAmount"] == "500.00"
