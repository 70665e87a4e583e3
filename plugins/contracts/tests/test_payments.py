"""Payment plans that add up exactly in every currency, payments applied to the oldest installments, overpayments,
overdue installments and their reminders made once."""

import asyncio
from datetime import date, timedelta

from test_contracts import SIGN, draft

from crm.plugins.contracts.jobs import remind_overdue

PLAN = """mutation($i: SetPaymentPlanInput!) { setPaymentPlan(input: $i) { contract { version installments { dueDate amount paid label } }
  errors { field code message } } }"""
PAY = """mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { contract { version outstanding overdue
  installments { amount paid } payments { amount credit method } } errors { field code message } } }"""


async def signed(api, customer_id, value, currency, **fields):
    contract = await draft(api, api.admin_token, customer_id, value=value, currency=currency, **fields)
    done = (await api.admin(SIGN, {"i": {"id": contract["id"], "version": contract["version"]}}))["signContract"]
    assert done["errors"] == [], done
    return done["contract"]


async def test_plans_add_up_to_the_value_in_euro_and_yen(make_app):
    api = await make_app(plugins=["contracts"])
    customer = (await api.create_customer(name="Client"))["id"]
    euro = await signed(api, customer, "10000.01", "EUR")
    terms = [{"percent": "30", "firstDue": "2027-01-01", "label": "on signing"},
             {"percent": "70", "count": 7, "firstDue": "2027-02-01", "everyMonths": 1}]
    made = (await api.admin(PLAN, {"i": {"contractId": euro["id"], "version": euro["version"], "terms": terms}}))["setPaymentPlan"]
    assert made["errors"] == []
    plan = made["contract"]["installments"]
    assert [(p["dueDate"], p["amount"]) for p in plan] == [("2027-01-01", "3000.00")] + [
        (f"2027-{m:02d}-01", "1000.00") for m in range(2, 8)] + [("2027-08-01", "1000.01")]  # the last takes the cent
    assert plan[0]["label"] == "on signing" and plan[1]["label"] == "70 %, 1 of 7"
    yen = await signed(api, customer, "100000", "JPY")
    made = (await api.admin(PLAN, {"i": {"contractId": yen["id"], "version": yen["version"],
                                         "terms": [{"percent": "100", "count": 3, "firstDue": "2027-01-31"}]}}))["setPaymentPlan"]
    assert [(p["dueDate"], p["amount"]) for p in made["contract"]["installments"]] == [
        ("2027-01-31", "33333.00"), ("2027-02-28", "33333.00"), ("2027-03-31", "33334.00")]
    wrong = await api.admin(PLAN, {"i": {"contractId": yen["id"], "version": made["contract"]["version"],
                                         "installments": [{"dueDate": "2027-01-01", "amount": "50000"}]}})
    assert wrong["setPaymentPlan"]["errors"][0]["code"] == "INVALID" and "add up to" in wrong["setPaymentPlan"]["errors"][0]["message"]
    cents = await api.admin(PLAN, {"i": {"contractId": yen["id"], "version": made["contract"]["version"],
                                         "installments": [{"dueDate": "2027-01-01", "amount": "100000.5"}]}})
    assert cents["setPaymentPlan"]["errors"][0]["field"] == "installments.0.amount"  # no half yen
    not_100 = await api.admin(PLAN, {"i": {"contractId": yen["id"], "version": made["contract"]["version"],
                                           "terms": [{"percent": "60", "firstDue": "2027-01-01"}]}})
    assert not_100["setPaymentPlan"]["errors"][0]["field"] == "terms"


async def test_payments_go_to_the_oldest_installments_and_overpayments_need_a_credit(make_app):
    api = await make_app(plugins=["contracts"])
    customer = (await api.create_customer(name="Client"))["id"]
    contract = await signed(api, customer, "3000", "EUR")
    made = (await api.admin(PLAN, {"i": {"contractId": contract["id"], "version": contract["version"],
                                         "terms": [{"percent": "100", "count": 3, "firstDue": "2027-01-01"}]}}))["setPaymentPlan"]
    assert made["errors"] == []
    today = date.today().isoformat()
    part = (await api.admin(PAY, {"i": {"contractId": contract["id"], "amount": "400", "receivedOn": today}}))["recordPayment"]
    assert part["errors"] == [] and [i["paid"] for i in part["contract"]["installments"]] == ["400.00", "0.00", "0.00"]
    more = (await api.admin(PAY, {"i": {"contractId": contract["id"], "amount": "1100", "receivedOn": today, "method": "CARD"}}))["recordPayment"]
    assert [i["paid"] for i in more["contract"]["installments"]] == ["1000.00", "500.00", "0.00"] and more["contract"]["outstanding"] == "1500.00"
    over = (await api.admin(PAY, {"i": {"contractId": contract["id"], "amount": "1600", "receivedOn": today}}))["recordPayment"]
    assert over["errors"] == [{"field": "amount", "code": "INVALID",
                               "message": "100.00 EUR more than is owed (1500.00); record the rest as a credit (asCredit: true) or correct the amount"}]
    credited = (await api.admin(PAY, {"i": {"contractId": contract["id"], "amount": "1600", "receivedOn": today, "asCredit": True}}))["recordPayment"]
    assert credited["contract"]["outstanding"] == "0.00" and credited["contract"]["payments"][-1]["credit"] == "100.00"
    future = (date.today() + timedelta(days=2)).isoformat()
    assert (await api.admin(PAY, {"i": {"contractId": contract["id"], "amount": "1", "receivedOn": future, "asCredit": True}}))["recordPayment"]["errors"][0]["field"] == "receivedOn"
    locked = await api.admin(PLAN, {"i": {"contractId": contract["id"], "version": credited["contract"]["version"],
                                          "terms": [{"percent": "100", "firstDue": "2027-01-01"}]}})
    assert locked["setPaymentPlan"]["errors"][0]["code"] == "IN_USE"


async def test_overdue_installments_are_listed_and_reminded_once(make_app):
    api = await make_app(plugins=["contracts"])
    rep, token = await api.as_user("sales_rep")
    customer = (await api.create_customer(token=token, name="Late payer"))["id"]
    contract = await draft(api, token, customer, value="900", currency="EUR")
    contract = (await api.gql(SIGN, {"i": {"id": contract["id"], "version": contract["version"]}}, token))["signContract"]["contract"]
    start = date.today() - timedelta(days=45)
    await api.gql(PLAN, {"i": {"contractId": contract["id"], "version": contract["version"],
                               "installments": [{"dueDate": start.isoformat(), "amount": "300"},
                                                {"dueDate": (start + timedelta(days=30)).isoformat(), "amount": "300"},
                                                {"dueDate": (date.today() + timedelta(days=30)).isoformat(), "amount": "300"}]}}, token)
    await api.gql(PAY, {"i": {"contractId": contract["id"], "amount": "100", "receivedOn": date.today().isoformat()}}, token)
    overdue = await api.gql("""{ overduePayments { totalCount edges { node { daysOverdue outstanding contract { number } } } } }""", token=token)
    assert [(e["node"]["daysOverdue"], e["node"]["outstanding"]) for e in overdue["overduePayments"]["edges"]] == [(45, "200.00"), (15, "300.00")]
    _, other = await api.as_user("sales_rep")
    assert (await api.gql("{ overduePayments { totalCount } }", token=other))["overduePayments"]["totalCount"] == 0
    runs = await asyncio.gather(remind_overdue(api.runtime), remind_overdue(api.runtime))
    assert sorted(runs) == [0, 2]
    assert await remind_overdue(api.runtime) == 0
    tasks = await api.gql("{ myTasks { edges { node { subject recordType } } } }", token=token)
    assert sorted(e["node"]["subject"].split(",")[0] for e in tasks["myTasks"]["edges"]) == [
        f"Overdue: 200.00 EUR of {contract['number']}", f"Overdue: 300.00 EUR of {contract['number']}"]
    audit = await api.admin("""{ auditLog(filter: {resource: "activity", action: "create"}) { edges { node { actor { id } changes { field new } } } } }""")
    made = [e["node"] for e in audit["auditLog"]["edges"] if {"field": "recordType", "new": "contract"} in e["node"]["changes"]]
    assert len(made) == 2 and all(m["actor"] is None for m in made)  # the job's, audited like any task
