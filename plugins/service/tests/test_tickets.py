"""Tickets through GraphQL: SLA due times in business hours with the clock stopped while the customer is awaited,
replies and internal notes (hidden from those who read public replies only), a kept history, the customer's
timeline and summary, scopes."""

from datetime import datetime

import pytest

import crm

CALENDAR = """mutation($i: CreateBusinessCalendarInput!) { createBusinessCalendar(input: $i) { calendar { id } errors { code } } }"""
POLICY = """mutation($i: CreateSlaPolicyInput!) { createSlaPolicy(input: $i) { policy { id name } errors { field code message } } }"""
CREATE = """mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id number status version } errors { field code message } } }"""
STATUS = """mutation($i: ChangeTicketStatusInput!) { changeTicketStatus(input: $i) { ticket { status version } errors { field code message } } }"""
COMMENT = """mutation($i: AddTicketCommentInput!) { addTicketComment(input: $i) { ticket { status version } errors { field code message } } }"""
SLA = """query($id: ID!) { ticket(id: $id) { slaPolicy pausedSince
  firstResponse { dueAt reachedAt breached breachedAt remainingMinutes }
  resolution { dueAt reachedAt breached breachedAt remainingMinutes } } }"""
HISTORY = """query($id: ID!) { ticket(id: $id) { history { kind internal body fromStatus toStatus actor { email } } } }"""
WEEK = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]


class Clock:
    """The server's clock, set by the test (`crm.utcnow`, which the service plugin reads at call time)."""

    def __init__(self, monkeypatch):
        self.now = None
        monkeypatch.setattr(crm, "utcnow", lambda: self.now)

    def set(self, text: str) -> None:
        self.now = datetime.fromisoformat(text)


async def service_desk(api):
    cal = (await api.admin(CALENDAR, {"i": {"name": "Berlin", "timeZone": "Europe/Berlin", "hours": WEEK}}))["createBusinessCalendar"]
    urgent = await api.admin(POLICY, {"i": {"name": "Urgent", "calendarId": cal["calendar"]["id"], "priority": "URGENT",
                                            "firstResponseMinutes": 60, "resolutionMinutes": 240}})
    default = await api.admin(POLICY, {"i": {"name": "Standard", "calendarId": cal["calendar"]["id"], "position": 10,
                                             "firstResponseMinutes": 480, "resolutionMinutes": 2400}})
    assert urgent["createSlaPolicy"]["errors"] == [] and default["createSlaPolicy"]["errors"] == []
    return cal["calendar"]["id"]


async def test_sla_targets_count_business_hours_and_stop_while_the_customer_is_awaited(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    await service_desk(api)
    clock = Clock(monkeypatch)
    rep, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")
    clock.set("2026-12-18T15:00:00+00:00")  # Friday 16:00 in Berlin: one working hour left this week
    made = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Line down", "priority": "URGENT", "channel": "PHONE"}},
                          token))["createTicket"]
    assert made["errors"] == [] and made["ticket"]["number"].startswith("T-2026-") and made["ticket"]["status"] == "NEW"
    tid = made["ticket"]["id"]
    sla = (await api.gql(SLA, {"id": tid}, token))["ticket"]
    assert sla["slaPolicy"] == "Urgent"
    assert sla["firstResponse"] == {"dueAt": "2026-12-18T16:00:00+00:00", "reachedAt": None, "breached": False, "breachedAt": None,
                                    "remainingMinutes": 60}
    # 240 working minutes: 60 on Friday, 180 on Monday from 09:00 Berlin (08:00 UTC).
    assert sla["resolution"]["dueAt"] == "2026-12-21T11:00:00+00:00"

    clock.set("2026-12-18T15:30:00+00:00")
    replied = (await api.gql(COMMENT, {"i": {"ticketId": tid, "body": "We are on it."}}, token))["addTicketComment"]
    assert replied["errors"] == [] and replied["ticket"]["status"] == "OPEN"  # a reply opens a new ticket
    clock.set("2026-12-18T15:45:00+00:00")
    paused = (await api.gql(STATUS, {"i": {"id": tid, "version": replied["ticket"]["version"], "status": "PENDING_CUSTOMER",
                                           "note": "Asked for the router's serial number"}}, token))["changeTicketStatus"]
    assert paused["errors"] == []
    # Monday afternoon: the resolution was due at 11:00 UTC, but the clock stopped on Friday with 195 minutes left.
    clock.set("2026-12-21T13:00:00+00:00")
    sla = (await api.gql(SLA, {"id": tid}, token))["ticket"]
    assert sla["pausedSince"] == "2026-12-18T15:45:00+00:00"
    assert sla["firstResponse"]["reachedAt"] == "2026-12-18T15:30:00+00:00" and not sla["firstResponse"]["breached"]
    assert (sla["resolution"]["breached"], sla["resolution"]["remainingMinutes"]) == (False, 195)
    # The customer answers: 195 minutes from Monday 14:00 Berlin are 180 today and 15 on Tuesday, to 09:15 Berlin.
    resumed = (await api.gql(STATUS, {"i": {"id": tid, "version": paused["ticket"]["version"], "status": "OPEN"}}, token))["changeTicketStatus"]
    sla = (await api.gql(SLA, {"id": tid}, token))["ticket"]
    assert sla["pausedSince"] is None and sla["resolution"]["dueAt"] == "2026-12-22T08:15:00+00:00"
    clock.set("2026-12-22T09:00:00+00:00")
    sla = (await api.gql(SLA, {"id": tid}, token))["ticket"]
    assert sla["resolution"] == {"dueAt": "2026-12-22T08:15:00+00:00", "reachedAt": None, "breached": True,
                                 "breachedAt": "2026-12-22T08:15:00+00:00", "remainingMinutes": -45}
    resolved = (await api.gql(STATUS, {"i": {"id": tid, "version": resumed["ticket"]["version"], "status": "RESOLVED"}}, token))["changeTicketStatus"]
    assert resolved["errors"] == []
    clock.set("2026-12-23T09:00:00+00:00")  # the target stays as it was met (here: missed by 45 minutes)
    assert (await api.gql(SLA, {"id": tid}, token))["ticket"]["resolution"]["remainingMinutes"] == -45
    # Moves that make no sense are refused and change nothing; CLOSED is final.
    wrong = (await api.gql(STATUS, {"i": {"id": tid, "version": resolved["ticket"]["version"], "status": "ON_HOLD"}}, token))["changeTicketStatus"]
    assert wrong["errors"] == [{"field": "status", "code": "INVALID", "message": "a resolved ticket may move to CLOSED, OPEN"}]
    closed = (await api.gql(STATUS, {"i": {"id": tid, "version": resolved["ticket"]["version"], "status": "CLOSED"}}, token))["changeTicketStatus"]
    assert closed["ticket"]["status"] == "CLOSED"
    late = (await api.gql(COMMENT, {"i": {"ticketId": tid, "body": "One more thing"}}, token))["addTicketComment"]
    assert late["errors"][0]["code"] == "INVALID"
    history = (await api.gql(HISTORY, {"id": tid}, token))["ticket"]["history"]
    assert [(h["kind"], h["fromStatus"], h["toStatus"]) for h in history] == [
        ("CREATED", None, "NEW"), ("STATUS", "NEW", "OPEN"), ("REPLY", None, None), ("STATUS", "OPEN", "PENDING_CUSTOMER"),
        ("STATUS", "PENDING_CUSTOMER", "OPEN"), ("STATUS", "OPEN", "RESOLVED"), ("STATUS", "RESOLVED", "CLOSED")]
    assert history[3]["body"] == "Asked for the router's serial number" and history[0]["actor"] == {"email": rep["email"]}


async def test_internal_notes_are_hidden_from_those_who_read_public_replies_only(make_app):
    api = await make_app(plugins=["service"])
    rep, token = await api.as_user("sales_rep")
    _, viewer = await api.as_user("viewer")
    customer = await api.create_customer(token, name="Bolt")
    tid = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Invoice wrong"}}, token))["createTicket"]["ticket"]["id"]
    await api.gql(COMMENT, {"i": {"ticketId": tid, "body": "Customer is a known complainer", "internal": True}}, token)
    await api.gql(COMMENT, {"i": {"ticketId": tid, "body": "Corrected invoice attached."}}, token)
    mine = [(h["kind"], h["body"]) for h in (await api.gql(HISTORY, {"id": tid}, token))["ticket"]["history"]]
    assert ("NOTE", "Customer is a known complainer") in mine and ("REPLY", "Corrected invoice attached.") in mine
    theirs = [(h["kind"], h["body"]) for h in (await api.gql(HISTORY, {"id": tid}, viewer))["ticket"]["history"]]
    assert ("NOTE", "Customer is a known complainer") not in theirs and ("REPLY", "Corrected invoice attached.") in theirs
    timeline = """query($id: ID!) { customer(id: $id) { timeline { edges { node { kind body } } } summary { openTickets } } }"""
    seen = (await api.gql(timeline, {"id": customer["id"]}, viewer))["customer"]
    kinds = [e["node"]["kind"] for e in seen["timeline"]["edges"]]
    assert "ticket_reply" in kinds and "ticket_created" in kinds and "ticket_note" not in kinds
    assert seen["summary"]["openTickets"] == 1
    staff = (await api.gql(timeline, {"id": customer["id"]}, token))["customer"]
    assert "ticket_note" in [e["node"]["kind"] for e in staff["timeline"]["edges"]]
    refused = (await api.gql(COMMENT, {"i": {"ticketId": tid, "body": "x", "internal": True}}, viewer, expect_errors=True))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # a viewer writes no tickets at all


async def test_tickets_are_scoped_filtered_and_checked(make_app):
    api = await make_app(plugins=["service"])
    _, mine = await api.as_user("sales_rep")
    _, other = await api.as_user("sales_rep")
    customer = await api.create_customer(mine, name="Core")
    contact = (await api.gql("""mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }""",
                             {"i": {"customerId": customer["id"], "name": "Ann"}}, mine))["createContact"]["contact"]
    elsewhere = await api.create_customer(mine, name="Elsewhere")
    bad = (await api.gql(CREATE, {"i": {"customerId": elsewhere["id"], "subject": " ", "contactId": contact["id"]}}, mine))["createTicket"]
    assert bad["ticket"] is None and bad["errors"][0]["code"] in ("REQUIRED", "NOT_FOUND")
    made = [(await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": s, "contactId": contact["id"], "priority": p, "category": "billing"}},
                           mine))["createTicket"]["ticket"] for s, p in (("First", "LOW"), ("Second", "HIGH"))]
    lists = """query($f: TicketFilter) { tickets(filter: $f) { totalCount edges { node { subject contact { name } customer { name } } } } }"""
    assert (await api.gql(lists, {"f": {"priority": "HIGH"}}, mine))["tickets"]["edges"] == [
        {"node": {"subject": "Second", "contact": {"name": "Ann"}, "customer": {"name": "Core"}}}]
    assert (await api.gql(lists, {"f": {"category": "billing", "open": True}}, mine))["tickets"]["totalCount"] == 2
    assert (await api.gql(lists, {}, other))["tickets"]["totalCount"] == 0  # a colleague's tickets are not theirs to read
    assert (await api.gql(SLA, {"id": made[0]["id"]}, other))["ticket"] is None
    per_customer = await api.gql("""query($id: ID!) { customer(id: $id) { tickets { edges { node { number } } } } }""", {"id": customer["id"]}, mine)
    assert [e["node"]["number"] for e in per_customer["customer"]["tickets"]["edges"]] == [made[1]["number"], made[0]["number"]]
    no_policy = (await api.gql(SLA, {"id": made[0]["id"]}, mine))["ticket"]
    assert no_policy["firstResponse"] is None and no_policy["slaPolicy"] is None  # no policy matched: no targets
    stale = (await api.gql(STATUS, {"i": {"id": made[0]["id"], "version": 99, "status": "OPEN"}}, mine))["changeTicketStatus"]
    assert stale["errors"][0]["code"] == "CONFLICT"
    gone = await api.gql("""mutation($i: IdInput!) { deleteTicket(input: $i) { errors { code } } }""", {"i": {"id": made[0]["id"]}}, mine)
    assert gone["deleteTicket"]["errors"] == []
    assert (await api.gql(lists, {}, mine))["tickets"]["totalCount"] == 1
    back = await api.gql("""mutation($i: IdInput!) { restoreTicket(input: $i) { ticket { subject } } }""", {"i": {"id": made[0]["id"]}}, mine)
    assert back["restoreTicket"]["ticket"] == {"subject": "First"}


@pytest.mark.parametrize("minutes", [0, -5])
async def test_policies_need_targets_and_a_calendar(make_app, minutes):
    api = await make_app(plugins=["service"])
    cal = await service_desk(api)
    bad = (await api.admin(POLICY, {"i": {"name": "Broken", "calendarId": cal, "firstResponseMinutes": minutes, "resolutionMinutes": 10}}))
    assert [(e["field"], e["code"]) for e in bad["createSlaPolicy"]["errors"]] == [("firstResponseMinutes", "INVALID")]
    nowhere = (await api.admin(POLICY, {"i": {"name": "Nowhere", "calendarId": "999", "firstResponseMinutes": 5, "resolutionMinutes": 10}}))
    assert [(e["field"], e["code"]) for e in nowhere["createSlaPolicy"]["errors"]] == [("calendarId", "NOT_FOUND")]
    assert [p["name"] for p in (await api.admin("{ slaPolicies { name } }"))["slaPolicies"]] == ["Urgent", "Standard"]


async def test_duplicates_merge_into_one_ticket_with_their_history(make_app):
    api = await make_app(plugins=["service"])
    _, token = await api.as_user("sales_rep")
    acme, bolt = await api.create_customer(token, name="Acme"), await api.create_customer(token, name="Bolt")
    made = [(await api.gql(CREATE, {"i": {"customerId": acme["id"], "subject": s}}, token))["createTicket"]["ticket"] for s in ("VPN down", "No VPN")]
    elsewhere = (await api.gql(CREATE, {"i": {"customerId": bolt["id"], "subject": "VPN"}}, token))["createTicket"]["ticket"]
    await api.gql(COMMENT, {"i": {"ticketId": made[1]["id"], "body": "Since this morning"}}, token)
    merge = """mutation($i: MergeTicketsInput!) { mergeTickets(input: $i) { ticket { number history { kind body } } errors { field code } } }"""
    refused = (await api.gql(merge, {"i": {"targetId": made[0]["id"], "sourceIds": [made[1]["id"], elsewhere["id"]]}}, token))["mergeTickets"]
    assert refused["errors"] == [{"field": "sourceIds.1", "code": "INVALID"}]
    kept = (await api.gql(HISTORY, {"id": made[1]["id"]}, token))["ticket"]["history"]
    assert [h["kind"] for h in kept] == ["CREATED", "STATUS", "REPLY"]  # the refused merge changed nothing
    merged = (await api.gql(merge, {"i": {"targetId": made[0]["id"], "sourceIds": [made[1]["id"]]}}, token))["mergeTickets"]
    assert merged["errors"] == []
    assert ("REPLY", "Since this morning") in [(h["kind"], h["body"]) for h in merged["ticket"]["history"]]
    source = (await api.gql("""query($id: ID!) { ticket(id: $id) { status mergedInto { number } history { kind body } } }""",
                            {"id": made[1]["id"]}, token))["ticket"]
    assert source["status"] == "CLOSED" and source["mergedInto"] == {"number": made[0]["number"]}
    assert source["history"] == [{"kind": "MERGED", "body": f"merged into {made[0]['number']}"}]


async def test_a_policy_for_tagged_customers_comes_first_for_them_only(make_app):
    api = await make_app(plugins=["service"])
    cal = await service_desk(api)
    vip = await api.admin(POLICY, {"i": {"name": "VIP", "calendarId": cal, "customerTag": "VIP", "position": -1,
                                         "firstResponseMinutes": 15, "resolutionMinutes": 120}})
    assert vip["createSlaPolicy"]["errors"] == []
    _, token = await api.as_user("sales_rep")
    big = await api.create_customer(token, name="Big", tags=["vip"])
    small = await api.create_customer(token, name="Small")
    names = []
    for customer in (big, small):
        made = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Help"}}, token))["createTicket"]["ticket"]
        names.append((await api.gql(SLA, {"id": made["id"]}, token))["ticket"]["slaPolicy"])
    assert names == ["VIP", "Standard"]


async def test_tags_filter_tickets_and_are_audited_with_them(make_app):
    api = await make_app(plugins=["service"])
    _, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")
    made = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Recall", "tags": ["Recall-2026", "vip"]}}, token))["createTicket"]
    plain = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Other"}}, token))["createTicket"]["ticket"]
    tid = made["ticket"]["id"]
    found = await api.gql("""{ tickets(filter: {tags: ["RECALL-2026"]}) { edges { node { subject tags } } } }""", token=token)
    assert found["tickets"]["edges"] == [{"node": {"subject": "Recall", "tags": ["recall-2026", "vip"]}}]
    update = """mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { ticket { tags version } errors { code } } }"""
    changed = (await api.gql(update, {"i": {"id": tid, "version": made["ticket"]["version"], "tags": ["vip"]}}, token))["updateTicket"]
    assert changed == {"ticket": {"tags": ["vip"], "version": 2}, "errors": []}
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "ticket", recordId: $id}) {
      edges { node { action changes { field old new } } } } }""", {"id": tid})
    entries = [e["node"] for e in audit["auditLog"]["edges"]]
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[0]["changes"] == [{"field": "tags", "old": ["recall-2026", "vip"], "new": ["vip"]}]
    assert {"field": "tags", "old": [], "new": ["recall-2026", "vip"]} in entries[1]["changes"]
    assert plain["number"] != made["ticket"]["number"]


async def test_ticket_lists_order_by_priority_and_due_page_by_page(make_app):
    api = await make_app(plugins=["service"])
    await service_desk(api)
    _, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")
    for subject, priority in (("a", "LOW"), ("b", "URGENT"), ("c", "NORMAL"), ("d", "HIGH")):
        await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": subject, "priority": priority}}, token)
    page = """query($o: TicketOrder, $after: String) { tickets(first: 2, after: $after, orderBy: $o) {
      edges { node { subject } } pageInfo { endCursor hasNextPage } } }"""

    async def walk(order):
        seen, after = [], None
        while True:
            data = (await api.gql(page, {"o": order, "after": after}, token))["tickets"]
            seen += [e["node"]["subject"] for e in data["edges"]]
            if not data["pageInfo"]["hasNextPage"]:
                return seen
            after = data["pageInfo"]["endCursor"]

    assert await walk({"field": "PRIORITY", "direction": "DESC"}) == ["b", "d", "c", "a"]
    # Due soonest first: the urgent ticket (60 working minutes) before the rest (480 each, standard policy), then by age.
    assert (await walk({"field": "DUE", "direction": "ASC"}))[0] == "b"
    assert await walk(None) == ["d", "c", "b", "a"]


async def test_a_ticket_list_costs_the_same_statements_for_5_or_20_tickets(make_app):
    api = await make_app(plugins=["service"], policy_check_seconds=3600, plugin_check_seconds=3600)
    await service_desk(api)
    _, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")
    for n in range(20):
        made = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": f"T{n}", "tags": ["x", f"t{n}"],
                                             "priority": "URGENT" if n % 2 else "LOW"}}, token))["createTicket"]["ticket"]
        await api.gql(COMMENT, {"i": {"ticketId": made["id"], "body": "on it"}}, token)
    page = """query($n: Int) { tickets(first: $n) { edges { node { number tags status customer { name } assignee { name } queue { name }
      slaPolicy firstResponse { dueAt breached remainingMinutes } resolution { dueAt } satisfaction { score }
      history { kind actor { name } } } } } }"""

    async def statements(n):
        await api.gql(page, {"n": n}, token)
        before = api.counter.count
        data = await api.gql(page, {"n": n}, token)
        assert len(data["tickets"]["edges"]) == n
        return api.counter.count - before

    assert await statements(5) == await statements(20)
