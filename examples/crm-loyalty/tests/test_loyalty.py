"""The loyalty plugin, tested the way any plugin is: through GraphQL, on SQLite and PostgreSQL, with the CRM's
published fixtures (`make_app` from crm.testing, `sales` from crm.plugins.sales.testing)."""

import asyncio
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import update

import crm
from crm_loyalty import jobs
from crm_loyalty.models import Entry

LOYALTY = """query($id: ID!) { customer(id: $id) { loyalty { tier points lifetimePoints yearlySpend nextTier pointsToNextTier
  spendToNextTier history(first: 10) { totalCount edges { node { kind points remaining reason } } } } } }"""
REDEEM = """mutation($i: RedeemPointsInput!) { redeemPoints(input: $i) { loyalty { points } entry { kind points }
  errors { field code message } } }"""
ADJUST = """mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { loyalty { points } entry { kind points }
  errors { field code message } } }"""
PROGRAMME = "{ loyaltyProgramme { pointsPerUnit expiryDays silverPoints silverSpend goldPoints goldSpend version } }"
UPDATE_PROGRAMME = """mutation($i: UpdateLoyaltyProgrammeInput!) { updateLoyaltyProgramme(input: $i) {
  programme { expiryDays goldPoints version } errors { field code message } } }"""


async def loyalty(api, customer_id, token=None):
    return (await api.gql(LOYALTY, {"id": customer_id}, token or api.admin_token))["customer"]["loyalty"]


async def shop_with_order(api, sales, total="600.00", customer=None, token=None):
    shop = sales(api)
    customer = customer or await api.create_customer(token, name="Glow Cosmetics")
    product = await shop.product(f"SKU-{total}-{customer['id']}", total)
    order = await shop.confirm(await shop.order(customer["id"], [{"productId": product, "quantity": "1"}], token), token)
    return shop, customer, order


async def test_a_confirmed_order_earns_points_and_a_tier(make_app, sales):
    api = await make_app(plugins=["loyalty"])  # sales and the catalogue come with it
    _, customer, order = await shop_with_order(api, sales)
    got = await loyalty(api, customer["id"])
    assert {k: got[k] for k in ("tier", "points", "lifetimePoints", "nextTier", "pointsToNextTier")} == {
        "tier": "SILVER", "points": 600, "lifetimePoints": 600, "nextTier": "GOLD", "pointsToNextTier": 4400}
    assert Decimal(got["yearlySpend"]) == 600 and Decimal(got["spendToNextTier"]) == 1900  # silver by a year's spend
    assert got["history"]["edges"] == [{"node": {"kind": "EARN", "points": 600, "remaining": 600, "reason": f"order {order['number']}"}}]

    newcomer = await api.create_customer(name="No orders yet")
    fresh = await loyalty(api, newcomer["id"])
    assert (fresh["tier"], fresh["points"], fresh["nextTier"], fresh["history"]["totalCount"]) == ("MEMBER", 0, "SILVER", 0)


async def test_redeeming_spends_oldest_points_and_refuses_more_than_held(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    shop, customer, _ = await shop_with_order(api, sales, "300.00")
    await shop_with_order(api, sales, "100.00", customer=customer)

    done = (await api.admin(REDEEM, {"i": {"customerId": customer["id"], "points": 350, "reason": "Lipstick"}}))["redeemPoints"]
    assert done == {"loyalty": {"points": 50}, "entry": {"kind": "REDEEM", "points": -350}, "errors": []}
    lots = [e["node"] for e in (await loyalty(api, customer["id"]))["history"]["edges"] if e["node"]["kind"] == "EARN"]
    assert [(lot["points"], lot["remaining"]) for lot in lots] == [(100, 50), (300, 0)]  # newest first: the oldest went first

    for points, reason, code in ((51, "Palette", "INSUFFICIENT_POINTS"), (0, "Nothing", "INVALID"), (10, "  ", "REQUIRED")):
        refused = (await api.admin(REDEEM, {"i": {"customerId": customer["id"], "points": points, "reason": reason}}))["redeemPoints"]
        assert refused["loyalty"] is None and refused["errors"][0]["code"] == code, refused
    after = await loyalty(api, customer["id"])
    assert after["points"] == 50 and after["history"]["totalCount"] == 3  # refusals changed nothing

    assert (await api.admin(ADJUST, {"i": {"customerId": customer["id"], "points": 25, "reason": "Sorry for the delay"}}))["adjustPoints"] == {
        "loyalty": {"points": 75}, "entry": {"kind": "ADJUST", "points": 25}, "errors": []}
    too_many = (await api.admin(ADJUST, {"i": {"customerId": customer["id"], "points": -76, "reason": "Correction"}}))["adjustPoints"]
    assert too_many["errors"] == [{"field": "points", "code": "INSUFFICIENT_POINTS", "message": "the customer has 75 points, not 76"}]
    assert (await loyalty(api, customer["id"]))["lifetimePoints"] == 400  # adjustments do not count towards tiers


async def test_a_cancelled_order_takes_back_its_unspent_points(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    shop, customer, order = await shop_with_order(api, sales, "600.00")
    await api.admin(REDEEM, {"i": {"customerId": customer["id"], "points": 200, "reason": "Gift set"}})
    await shop.cancel(order)
    got = await loyalty(api, customer["id"])
    assert (got["points"], got["lifetimePoints"], Decimal(got["yearlySpend"]), got["tier"]) == (0, 0, 0, "MEMBER")
    assert got["history"]["edges"][0]["node"] == {"kind": "REVERSAL", "points": -400, "remaining": 0,
                                                  "reason": f"order {order['number']} cancelled"}


async def test_orders_in_other_currencies_earn_at_the_days_rate(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    set_rate = "mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }"
    today = crm.utcnow().date().isoformat()
    assert (await api.admin(set_rate, {"i": {"currency": "JPY", "rate": "160", "validFrom": today}}))["setExchangeRate"]["errors"] == []
    shop = sales(api)
    customer = await api.create_customer(name="Tokyo branch")
    yen = await shop.product("SKU-JPY", "16000", currency="JPY")
    await shop.confirm(await shop.order(customer["id"], [{"productId": yen, "quantity": "1"}], currency="JPY"))
    assert (await loyalty(api, customer["id"]))["points"] == 100  # 16,000 JPY at 160 per EUR

    franc = await shop.product("SKU-CHF", "90.00", currency="CHF")  # no CHF rate: no points, and the ledger says why
    await shop.confirm(await shop.order(customer["id"], [{"productId": franc, "quantity": "1"}], currency="CHF"))
    got = await loyalty(api, customer["id"])
    assert got["points"] == 100 and got["history"]["edges"][0]["node"]["reason"] == "no exchange rate for CHF: no points"


async def test_scope_follows_the_customers_owner(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    _, rep_token = await api.as_user("sales_rep")
    _, other_token = await api.as_user("sales_rep")
    _, mine, _ = await shop_with_order(api, sales, "50.00", customer=await api.create_customer(rep_token, name="Mine"))
    theirs = await api.create_customer(other_token, name="Theirs")

    assert (await loyalty(api, mine["id"], rep_token))["points"] == 50
    refused = (await api.gql(REDEEM, {"i": {"customerId": theirs["id"], "points": 1, "reason": "x"}}, rep_token))["redeemPoints"]
    assert refused["errors"][0]["code"] == "NOT_FOUND"
    assert (await api.gql(REDEEM, {"i": {"customerId": mine["id"], "points": 5, "reason": "Sample"}}, rep_token))["redeemPoints"]["errors"] == []

    rules = await api.gql(PROGRAMME, token=rep_token)  # everyone reads the rules
    assert rules["loyaltyProgramme"]["expiryDays"] == 365
    body = await api.gql(UPDATE_PROGRAMME, {"i": {"version": 1, "expiryDays": 30}}, rep_token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_admins_change_the_programme_with_checks_and_version(make_app):
    api = await make_app(plugins=["loyalty"])
    changed = (await api.admin(UPDATE_PROGRAMME, {"i": {"version": 1, "expiryDays": 90, "goldPoints": 6000}}))["updateLoyaltyProgramme"]
    assert changed == {"programme": {"expiryDays": 90, "goldPoints": 6000, "version": 2}, "errors": []}
    stale = (await api.admin(UPDATE_PROGRAMME, {"i": {"version": 1, "expiryDays": 10}}))["updateLoyaltyProgramme"]
    assert stale["errors"][0]["code"] == "CONFLICT"
    for bad, field in (({"expiryDays": 0}, "expiryDays"), ({"goldPoints": 10}, "goldPoints"), ({"silverSpend": "-1"}, "silverSpend")):
        refused = (await api.admin(UPDATE_PROGRAMME, {"i": {"version": 2, **bad}}))["updateLoyaltyProgramme"]
        assert refused["errors"][0]["field"] == field, refused
    assert (await api.admin(PROGRAMME))["loyaltyProgramme"]["expiryDays"] == 90


async def test_points_expire_once_however_often_the_job_runs(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    _, customer, _ = await shop_with_order(api, sales, "80.00")
    await api.admin(REDEEM, {"i": {"customerId": customer["id"], "points": 30, "reason": "Mascara"}})
    async with api.runtime.db.write() as session:
        await session.execute(update(Entry).where(Entry.kind == "earn").values(expires_at=crm.utcnow() - timedelta(minutes=1)))
    assert await jobs.expire(api.runtime) == 50
    assert await jobs.expire(api.runtime) == 0
    got = await loyalty(api, customer["id"])
    assert got["points"] == 0 and got["history"]["edges"][0]["node"] == {"kind": "EXPIRE", "points": -50, "remaining": 0,
                                                                          "reason": "points expired"}


async def test_a_birthday_next_week_makes_one_task_for_the_owner(make_app):
    api = await make_app(plugins=["loyalty"])
    _, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Birthday shop")
    contact = "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } errors { code } } }"
    today = crm.utcnow().date()
    soon, later = today + timedelta(days=3), today + timedelta(days=10)
    for name, day in (("Soon", soon), ("Later", later)):
        born = day.replace(year=1990) if not (day.month == 2 and day.day == 29) else day.replace(year=1992)
        made = await api.gql(contact, {"i": {"customerId": customer["id"], "name": name, "birthday": born.isoformat()}}, token)
        assert made["createContact"]["errors"] == []
    assert await jobs.birthdays(api.runtime) == 1
    assert await jobs.birthdays(api.runtime) == 0  # idempotent: the (contact, year) row is taken
    tasks = (await api.gql("{ myTasks(first: 10) { edges { node { subject recordType dueAt } } } }", token=token))["myTasks"]["edges"]
    assert [t["node"]["subject"] for t in tasks] == [f"Birthday gift for Soon ({soon:%d %B})"]
    assert tasks[0]["node"]["recordType"] == "contact" and tasks[0]["node"]["dueAt"].startswith(soon.isoformat())


async def test_two_redemptions_racing_for_the_last_points_one_wins(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    _, customer, _ = await shop_with_order(api, sales, "100.00")
    results = await asyncio.gather(*(api.admin(REDEEM, {"i": {"customerId": customer["id"], "points": 70, "reason": f"r{i}"}})
                                     for i in range(2)))
    codes = sorted(r["redeemPoints"]["errors"][0]["code"] if r["redeemPoints"]["errors"] else "OK" for r in results)
    assert codes == ["INSUFFICIENT_POINTS", "OK"]
    assert (await loyalty(api, customer["id"]))["points"] == 30


async def test_merging_customers_adds_their_points(make_app, sales):
    api = await make_app(plugins=["loyalty"])
    _, kept, _ = await shop_with_order(api, sales, "120.00")
    _, merged, _ = await shop_with_order(api, sales, "30.00")
    done = await api.admin("mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) { errors { code message } } }",
                           {"i": {"targetId": kept["id"], "sourceIds": [merged["id"]]}})
    assert done["mergeCustomers"]["errors"] == []
    got = await loyalty(api, kept["id"])
    assert (got["points"], got["lifetimePoints"], got["history"]["totalCount"]) == (150, 150, 2)


async def test_the_migration_makes_exactly_the_models(make_app):
    api = await make_app(plugins=["loyalty"])
    assert await api.runtime.migrator.compare({"loyalty"}) == []
