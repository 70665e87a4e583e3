"""The shared pool: claims decided in the database, limits, hand-overs, releases, recycling, assignment rules."""

import asyncio
from datetime import timedelta

import httpx
from leads_helpers import ASSIGN, CLAIM, CREATE_RULE, RELEASE, lead, pool
from sqlalchemy import update

from crm import utcnow
from crm.plugins.leads.models import Lead
from crm.plugins.leads.pool import recycle
from crm import parse_id


async def test_claim_release_limit_and_hand_over(make_app):
    api = await make_app(plugins=["leads"])
    rep, rep_token = await api.as_user("sales_rep")
    other, other_token = await api.as_user("sales_rep")
    outsider, outsider_token = await api.as_user("sales_rep")
    pid = await pool(api, name="EMEA", memberIds=[rep["id"], other["id"]], claimLimit=2)
    waiting = [await lead(api, name=f"Waiting {i}", poolId=pid) for i in range(4)]
    assert all(w["ownerId"] is None for w in waiting)

    page = await api.gql("query($p: ID!) { leadPool(poolId: $p, first: 10) { totalCount edges { node { name } } } }", {"p": pid}, rep_token)
    assert page["leadPool"]["totalCount"] == 4 and page["leadPool"]["edges"][0]["node"]["name"] == "Waiting 0"  # oldest first
    assert (await api.gql("query($p: ID!) { leadPool(poolId: $p) { totalCount } }", {"p": pid}, outsider_token))["leadPool"]["totalCount"] == 0
    assert (await api.gql("query($i: ID!) { lead(id: $i) { id } }", {"i": waiting[0]["id"]}, rep_token))["lead"] is not None

    claimed = await api.gql(CLAIM, {"i": {"leadId": waiting[0]["id"]}}, rep_token)
    assert claimed["claimLead"]["lead"]["ownerId"] == rep["id"]
    second = await api.gql(CLAIM, {"i": {"leadId": waiting[0]["id"]}}, other_token)
    assert second["claimLead"]["errors"][0]["code"] == "CONFLICT"
    stranger = await api.gql(CLAIM, {"i": {"leadId": waiting[1]["id"]}}, outsider_token)
    assert stranger["claimLead"]["errors"][0]["code"] == "NOT_FOUND"
    await api.gql(CLAIM, {"i": {"leadId": waiting[1]["id"]}}, rep_token)
    limited = await api.gql(CLAIM, {"i": {"leadId": waiting[2]["id"]}}, rep_token)
    assert limited["claimLead"]["errors"][0]["code"] == "LIMIT_REACHED"

    released = await api.gql(RELEASE, {"i": {"leadId": waiting[0]["id"], "reason": "wrong region"}}, rep_token)
    assert released["releaseLead"]["lead"]["ownerId"] is None
    assert (await api.gql(CLAIM, {"i": {"leadId": waiting[2]["id"]}}, rep_token))["claimLead"]["errors"] == []
    not_yours = await api.gql(RELEASE, {"i": {"leadId": waiting[2]["id"], "reason": "x"}}, other_token)
    assert not_yours["releaseLead"]["errors"][0]["code"] == "NOT_FOUND"

    refused = await api.gql(ASSIGN, {"i": {"leadId": waiting[3]["id"], "ownerId": other["id"]}}, rep_token)
    assert refused["assignLead"]["errors"][0]["code"] == "NOT_FOUND"  # a rep does not hand out pool leads
    given = await api.admin(ASSIGN, {"i": {"leadId": waiting[3]["id"], "ownerId": other["id"]}})
    assert given["assignLead"]["lead"]["ownerId"] == other["id"]
    history = await api.admin("query($i: ID!) { lead(id: $i) { history { kind ownerId detail } } }", {"i": waiting[0]["id"]})
    assert [(h["kind"], h["ownerId"], h["detail"]) for h in history["lead"]["history"]] == [
        ("CREATED", None, None), ("CLAIMED", rep["id"], None), ("RELEASED", None, "wrong region")]
    pools = await api.gql("{ leadPools { name claimLimit waiting memberIds } }", token=rep_token)
    assert pools["leadPools"] == [{"name": "EMEA", "claimLimit": 2, "waiting": 1, "memberIds": sorted([rep["id"], other["id"]], key=parse_id)}]


async def test_neglected_leads_go_back_once_however_many_run_it(make_app):
    api = await make_app(plugins=["leads"])
    rep, token = await api.as_user("sales_rep")
    pid = await pool(api, name="Recycling", memberIds=[rep["id"]], recycleAfterDays=7)
    leads = [await lead(api, name=f"L{i}", poolId=pid) for i in range(5)]
    for item in leads:
        await api.gql(CLAIM, {"i": {"leadId": item["id"]}}, token)
    worked = leads[4]["id"]
    await api.gql("mutation($i: FollowUpLeadInput!) { followUpLead(input: $i) { errors { code } } }", {"i": {"leadId": worked}}, token)
    async with api.runtime.db.write() as session:  # three were claimed ten days ago and never followed up
        await session.execute(update(Lead).where(Lead.id.in_([parse_id(x["id"]) for x in leads[:3]]))
                              .values(claimed_at=utcnow() - timedelta(days=10)))
        await session.execute(update(Lead).where(Lead.id == parse_id(worked)).values(claimed_at=utcnow() - timedelta(days=10)))
    runs = await asyncio.gather(recycle(api.runtime), recycle(api.runtime))
    assert sum(runs) == 3
    assert await recycle(api.runtime) == 0
    owners = await api.admin("{ leads(orderBy: NAME, direction: ASC) { edges { node { name ownerId history { kind detail } } } } }")
    nodes = owners["leads"]["edges"]
    assert [n["node"]["ownerId"] is None for n in nodes] == [True, True, True, False, False]
    assert nodes[0]["node"]["history"][-1] == {"kind": "RECYCLED", "detail": "no follow-up for 7 days"}
    assert sum(h["kind"] == "RECYCLED" for n in nodes for h in n["node"]["history"]) == 3
    audit = await api.admin("""{ auditLog(first: 20, filter: {resource: "lead", action: "transfer"}) { edges { node { recordId actor { id }
      changes { field old new } } } } }""")
    taken = [e["node"] for e in audit["auditLog"]["edges"] if e["node"]["actor"] is None]  # the job's; the claims have the rep
    assert sorted(parse_id(t["recordId"]) for t in taken) == sorted(parse_id(x["id"]) for x in leads[:3])
    assert all({"field": "ownerId", "old": rep["id"], "new": None} in t["changes"] for t in taken)
    stale = await api.gql("""mutation($i: UpdateLeadInput!) { updateLead(input: $i) { errors { code } } }""",
                          {"i": {"id": leads[0]["id"], "version": 2, "notes": "from an old read"}}, token)
    assert stale["updateLead"]["errors"][0]["code"] in ("CONFLICT", "NOT_FOUND")  # taken back: a newer version, no longer theirs


async def test_a_call_logged_about_a_lead_is_a_follow_up_and_keeps_it_from_recycling(make_app):
    api = await make_app(plugins=["leads"])
    rep, token = await api.as_user("sales_rep")
    pid = await pool(api, name="Calls", memberIds=[rep["id"]], recycleAfterDays=7)
    called, planned = [await lead(api, name=name, poolId=pid) for name in ("Called", "Only planned")]
    for item in (called, planned):
        await api.gql(CLAIM, {"i": {"leadId": item["id"]}}, token)
    async with api.runtime.db.write() as session:  # both claimed ten days ago
        await session.execute(update(Lead).where(Lead.id.in_([parse_id(called["id"]), parse_id(planned["id"])]))
                              .values(claimed_at=utcnow() - timedelta(days=10)))
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { field code } } }"
    two_days_ago = (utcnow() - timedelta(days=2)).isoformat()
    done = await api.gql(log, {"i": {"kind": "call", "subject": "Asked for a demo", "recordType": "lead", "recordId": called["id"],
                                     "occurredAt": two_days_ago}}, token)
    assert done["logActivity"]["errors"] == []
    task = await api.gql(log, {"i": {"kind": "task", "subject": "Call them", "recordType": "lead", "recordId": planned["id"]}}, token)
    assert task["logActivity"]["errors"] == []
    older = await api.gql(log, {"i": {"kind": "email", "subject": "Old mail", "recordType": "lead", "recordId": called["id"],
                                      "occurredAt": (utcnow() - timedelta(days=5)).isoformat()}}, token)
    assert older["logActivity"]["errors"] == []  # logged, but not a later follow-up than the call

    read = "query($i: ID!) { lead(id: $i) { status lastFollowUpAt ownerId history { kind detail } } }"
    after_call = (await api.gql(read, {"i": called["id"]}, token))["lead"]
    assert after_call["status"] == "WORKING" and after_call["lastFollowUpAt"][:16] == two_days_ago[:16]
    assert [(h["kind"], h["detail"]) for h in after_call["history"] if h["kind"] == "FOLLOWED_UP"] == [("FOLLOWED_UP", "call: Asked for a demo")]
    assert (await api.gql(read, {"i": planned["id"]}, token))["lead"]["status"] == "NEW"  # a task is planned work, not contact

    assert await recycle(api.runtime) == 1
    assert (await api.gql(read, {"i": called["id"]}, token))["lead"]["ownerId"] == rep["id"]
    assert (await api.admin(read, {"i": planned["id"]}))["lead"]["ownerId"] is None


async def test_assignment_rules_round_robin_least_loaded_and_conditions(make_app):
    api = await make_app(plugins=["leads"])
    a, _ = await api.as_user("sales_rep")
    b, _ = await api.as_user("sales_rep")
    c, _ = await api.as_user("sales_rep")
    targets = await api.admin("{ assignmentTargets { resource fields } }")
    assert targets["assignmentTargets"] == [{"resource": "lead", "fields": ["source", "region", "industry", "campaign", "pool_id"]}]
    bad = await api.admin(CREATE_RULE, {"i": {"resource": "ticket", "name": "x", "userIds": ["999999"],
                                              "conditions": [{"field": "colour", "values": ["red"]}]}})
    assert {(e["field"], e["code"]) for e in bad["createAssignmentRule"]["errors"]} == {("resource", "INVALID"), ("userIds.0", "NOT_FOUND")}
    web = await api.admin(CREATE_RULE, {"i": {"resource": "lead", "name": "Web leads", "position": 1, "userIds": [a["id"], b["id"]],
                                              "conditions": [{"field": "source", "values": ["web", "Form"]}]}})
    assert web["createAssignmentRule"]["errors"] == []
    rest = await api.admin(CREATE_RULE, {"i": {"resource": "lead", "name": "Everything else", "position": 2, "strategy": "LEAST_LOADED",
                                               "userIds": [a["id"], b["id"], c["id"]]}})
    assert rest["createAssignmentRule"]["errors"] == []

    web_owners = [(await lead(api, name=f"W{i}", source="WEB"))["ownerId"] for i in range(4)]
    assert web_owners == [a["id"], b["id"], a["id"], b["id"]]  # round robin over the rule's users
    other_owners = [(await lead(api, name=f"O{i}", source="event"))["ownerId"] for i in range(4)]
    # c held none, so c until all hold two; then equals take turns (the rule's 3rd and 4th turns: c, then a).
    assert other_owners == [c["id"], c["id"], c["id"], a["id"]]
    created = await api.admin("query { leads(filter: {source: \"web\"}, first: 1) { edges { node { history { detail } } } } }")
    assert created["leads"]["edges"][0]["node"]["history"][0]["detail"] == "assigned by rule Web leads"


async def test_two_reps_racing_for_the_same_leads_on_two_workers(make_app, live_server):
    api = await make_app(plugins=["leads"])
    reps = [await api.as_user("sales_rep") for _ in range(4)]
    pid = await pool(api, name="Race", memberIds=[r["id"] for r, _ in reps])
    leads = [await lead(api, name=f"R{i}", poolId=pid) for i in range(40)]
    base = await live_server(api, workers=2)

    async def claim_all(token):
        async with httpx.AsyncClient(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
            answers = await asyncio.gather(*(client.post("/graphql", json={"query": CLAIM, "variables": {"i": {"leadId": x["id"]}}})
                                             for x in leads))
        return [a.json()["data"]["claimLead"] for a in answers]

    results = await asyncio.gather(*(claim_all(token) for _, token in reps))
    wins = sum(1 for per_rep in results for r in per_rep if not r["errors"])
    codes = {e["code"] for per_rep in results for r in per_rep for e in r["errors"]}
    assert wins == len(leads) and codes <= {"CONFLICT"}
    owners = await api.admin("{ leads(first: 100) { edges { node { ownerId history { kind } } } } }")
    assert all(n["node"]["ownerId"] is not None for n in owners["leads"]["edges"])
    assert all([h["kind"] for h in n["node"]["history"]] == ["CREATED", "CLAIMED"] for n in owners["leads"]["edges"])
