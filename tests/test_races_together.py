"""The races every module owns, run at the same moment against two uvicorn workers on one database: the last unit
of stock, one lead of a pool, one appointment slot, one approval step "any one of" two approvers, and a concurrent
update of one customer. Each is decided by the database: exactly one winner every time, the others refused with the
module's code, and nothing half-done."""

import asyncio

import httpx
from inventory_helpers import SHIP, product, receive, warehouse
from leads_helpers import CLAIM, lead, pool
from test_approvals import CHAIN, DECIDE, SUBMIT, people, quote
from test_tickets import CALENDAR, WEEK

BOOK = """mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { appointment { id } errors { code } } }"""
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { version } errors { code } } }"""


async def test_every_modules_race_at_once_has_one_winner(make_app, live_server):
    api = await make_app(plugins=["inventory", "leads", "service"])  # sales comes with inventory
    users, tokens = await people(api)
    reps = [await api.as_user("sales_rep") for _ in range(3)]

    main = await warehouse(api, "MAIN")
    last = await product(api, "LAST-ONE")
    await receive(api, last, main["id"], "1")

    pid = await pool(api, name="Race", memberIds=[r["id"] for r, _ in reps])
    wanted = await lead(api, name="Everyone wants this lead", poolId=pid)

    staff, _ = await api.as_user("sales_rep")
    calendar = (await api.admin(CALENDAR, {"i": {"name": "Race hours", "timeZone": "UTC", "hours": WEEK}}))["createBusinessCalendar"]["calendar"]["id"]
    await api.admin("mutation($i: SetStaffHoursInput!) { setStaffHours(input: $i) { errors { code } } }",
                    {"i": {"userId": staff["id"], "calendarId": calendar}})
    visitors = [await api.create_customer(name=f"Visitor {i}") for i in range(6)]

    roles = await api.admin("{ roles { id name } }")
    finance = next(r["id"] for r in roles["roles"] if r["name"] == "finance")
    await api.admin(CHAIN, {"i": {"resource": "quote", "name": "Any finance", "position": -1,
                                  "steps": [{"name": "Finance", "approver": "ROLE", "roleId": finance, "mode": "ANY"}]}})
    buyer = (await api.create_customer(token=tokens["rep"], name="Buyer"))["id"]
    q = await quote(api, tokens["rep"], buyer, "100", "1")
    request = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": q["id"]}}, tokens["rep"]))["submitForApproval"]["request"]

    contested = await api.create_customer(name="Edited by everyone")

    base = await live_server(api, workers=2)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def ask(query, variables, token, field):
            body = (await client.post("/graphql", json={"query": query, "variables": variables},
                                      headers={"Authorization": f"Bearer {token}"})).json()
            assert "errors" not in body, body
            return tuple(e["code"] for e in body["data"][field]["errors"])

        ship = [ask(SHIP, {"i": {"productId": last, "warehouseId": main["id"], "quantity": "1"}}, api.admin_token, "shipStock")
                for _ in range(8)]
        claim = [ask(CLAIM, {"i": {"leadId": wanted["id"]}}, token, "claimLead") for _, token in reps for _ in range(3)]
        book = [ask(BOOK, {"i": {"customerId": v["id"], "staffId": staff["id"], "startsAt": "2027-03-01T10:00:00Z",
                                 "endsAt": "2027-03-01T11:00:00Z", "purpose": "Visit"}}, api.admin_token, "bookAppointment")
                for v in visitors]
        approve = [ask(DECIDE.format(name="approve"), {"i": {"requestId": request["id"]}}, tokens[who], "approve")
                   for who in ("finance1", "finance2")]
        edit = [ask(UPDATE, {"i": {"id": contested["id"], "version": contested["version"], "name": f"Edit {i}"}}, api.admin_token,
                    "updateCustomer") for i in range(6)]
        everything = ship + claim + book + approve + edit
        results = await asyncio.gather(*everything)

    cut = iter(results)
    outcomes = {name: [next(cut) for _ in range(len(group))]
                for name, group in (("ship", ship), ("claim", claim), ("book", book), ("approve", approve), ("edit", edit))}
    for name, answers in outcomes.items():
        assert answers.count(()) == 1, (name, answers)  # exactly one winner
    assert {a for a in outcomes["ship"] if a} == {("INSUFFICIENT_STOCK",)}
    assert {a for a in outcomes["approve"] if a} == {("CONFLICT",)}
    assert {a for a in outcomes["edit"] if a} == {("CONFLICT",)}
    assert all(a for a in outcomes["book"] if a) and all(a for a in outcomes["claim"] if a)

    # Nothing half-done: one lead owner, one booking, one decision, one edit, no stock below zero.
    seen = await api.admin("""query($l: ID!, $r: ID!, $c: ID!) { lead(id: $l) { ownerId }
      approvalRequest(id: $r) { status history { action } } customer(id: $c) { version } }""",
                           {"l": wanted["id"], "r": request["id"], "c": contested["id"]})
    assert seen["lead"]["ownerId"] in {r["id"] for r, _ in reps}
    assert seen["approvalRequest"]["status"] == "APPROVED" and [h["action"] for h in seen["approvalRequest"]["history"]] == ["SUBMITTED", "APPROVED"]
    assert seen["customer"]["version"] == contested["version"] + 1
    levels = await api.admin("query($p: ID!) { stockLevels(filter: {productId: $p}) { edges { node { onHand } } } }", {"p": last})
    assert [e["node"]["onHand"] for e in levels["stockLevels"]["edges"]] in (["0"], ["0.0000"], ["0.00"])
    booked = await api.admin("""query($s: ID!) { staffCalendar(staffId: $s, from: "2027-03-01T00:00:00Z", to: "2027-03-02T00:00:00Z") {
      startsAt } }""", {"s": staff["id"]})
    assert len(booked["staffCalendar"]) == 1
