"""Queues, assignment rules and SLA escalation through GraphQL: tickets of a queue go round its team; the scheduled job
warns the assignee when a target is near and escalates a missed one (priority up, to the queue's manager, a task each,
kept in the history and the audit trail), acting once however many workers run it at the same moment."""

import asyncio

from test_tickets import CALENDAR, COMMENT, CREATE, WEEK, Clock

from crm.plugins.service import jobs

TEAM = """mutation($i: CreateTeamInput!) { createTeam(input: $i) { team { id } errors { code } } }"""
MEMBER = "mutation($i: TeamMemberInput!) { addTeamMember(input: $i) { errors { code } } }"
QUEUE = """mutation($i: CreateQueueInput!) { createQueue(input: $i) { queue { id name team { name } } errors { field code } } }"""
RULE = """mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { rule { id } errors { field code message } } }"""
POLICY = """mutation($i: CreateSlaPolicyInput!) { createSlaPolicy(input: $i) { policy { id warnMinutes } errors { field code message } } }"""
TICKET = """query($id: ID!) { ticket(id: $id) { priority escalation assignee { email } queue { name }
  history { kind body } firstResponse { breached reachedAt } resolution { dueAt } } }"""
TASKS = """{ myTasks { edges { node { subject } } } }"""


async def test_a_queue_shares_its_tickets_and_missed_targets_escalate_once(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    clock = Clock(monkeypatch)
    clock.set("2026-12-18T13:00:00+00:00")
    boss, boss_token = await api.as_user("manager", email="boss@example.com")
    agents = [await api.as_user("sales_rep", email=f"agent{i}@example.com") for i in (1, 2)]
    team = (await api.admin(TEAM, {"i": {"name": "Support", "managerId": boss["id"]}}))["createTeam"]["team"]
    for agent, _ in agents:
        await api.admin(MEMBER, {"i": {"teamId": team["id"], "userId": agent["id"]}})
    queue = (await api.admin(QUEUE, {"i": {"name": "Hardware", "teamId": team["id"]}}))["createQueue"]
    assert queue["errors"] == [] and queue["queue"]["team"] == {"name": "Support"}
    qid = queue["queue"]["id"]
    duplicate = (await api.admin(QUEUE, {"i": {"name": "Hardware", "teamId": team["id"]}}))["createQueue"]["errors"]
    assert duplicate == [{"field": "name", "code": "DUPLICATE"}]
    rule = await api.admin(RULE, {"i": {"resource": "ticket", "name": "Hardware round", "teamId": team["id"],
                                        "conditions": [{"field": "queue_id", "values": [qid]}]}})
    assert rule["createAssignmentRule"]["errors"] == []
    cal = (await api.admin(CALENDAR, {"i": {"name": "Berlin", "timeZone": "Europe/Berlin", "hours": WEEK}}))["createBusinessCalendar"]
    made = await api.admin(POLICY, {"i": {"name": "High", "calendarId": cal["calendar"]["id"], "priority": "HIGH",
                                          "firstResponseMinutes": 60, "resolutionMinutes": 480, "warnMinutes": 30}})
    assert made["createSlaPolicy"]["policy"]["warnMinutes"] == 30

    # Friday 15:00 in Berlin: two tickets for the queue go to the two agents in turn.
    _, desk = await api.as_user("sales_rep")
    customer = await api.create_customer(desk, name="Acme")
    clock.set("2026-12-18T14:00:00+00:00")
    tickets = [(await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": f"Printer {n}", "priority": "HIGH", "queueId": qid}},
                              desk))["createTicket"]["ticket"]["id"] for n in (1, 2)]
    owners = [(await api.admin(TICKET, {"id": t}))["ticket"]["assignee"]["email"] for t in tickets]
    assert sorted(owners) == ["agent1@example.com", "agent2@example.com"]
    first_agent = {a["email"]: token for a, token in agents}[owners[0]]
    # One agent answers at once; the other ticket waits.
    await api.gql(COMMENT, {"i": {"ticketId": tickets[0], "body": "Looking into it"}}, first_agent)

    # 15:40 Berlin: the first response is due at 16:00, warned 30 working minutes before. Two workers run the job at once.
    clock.set("2026-12-18T14:40:00+00:00")
    at_risk = await api.admin("""{ ticketsAtRisk { edges { node { id } } } }""")
    assert [e["node"]["id"] for e in at_risk["ticketsAtRisk"]["edges"]] == [tickets[1]]
    await asyncio.gather(jobs.run(api.runtime), jobs.run(api.runtime))
    second_agent = {a["email"]: token for a, token in agents}[owners[1]]
    number = (await api.admin("query($id: ID!) { ticket(id: $id) { number } }", {"id": tickets[1]}))["ticket"]["number"]
    assert [e["node"]["subject"] for e in (await api.gql(TASKS, token=second_agent))["myTasks"]["edges"]] == [f"SLA near: {number} Printer 2"]
    assert (await api.admin(TICKET, {"id": tickets[1]}))["ticket"]["escalation"] == "WARNED"

    # 16:10 Berlin: missed. Priority up, to the queue's manager, a task for the manager: once, however many run it.
    clock.set("2026-12-18T15:10:00+00:00")
    await asyncio.gather(jobs.run(api.runtime), jobs.run(api.runtime))
    await jobs.run(api.runtime)
    late = (await api.admin(TICKET, {"id": tickets[1]}))["ticket"]
    assert (late["priority"], late["escalation"], late["assignee"]) == ("URGENT", "ESCALATED", {"email": "boss@example.com"})
    assert [h["kind"] for h in late["history"]] == ["CREATED", "WARNED", "ESCALATED"]
    assert [e["node"]["subject"] for e in (await api.gql(TASKS, token=boss_token))["myTasks"]["edges"]] == [f"SLA missed: {number} Printer 2"]
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "ticket", recordId: $id}) {
      edges { node { action changes { field old new } } } } }""", {"id": tickets[1]})
    agent_id = next(a["id"] for a, _ in agents if a["email"] == owners[1])
    assert audit["auditLog"]["edges"][0]["node"]["changes"] == [
        {"field": "priority", "old": "high", "new": "urgent"}, {"field": "ownerId", "old": agent_id, "new": boss["id"]}]
    # The answered ticket was never at risk: nothing happened to it.
    calm = (await api.admin(TICKET, {"id": tickets[0]}))["ticket"]
    assert (calm["escalation"], [h["kind"] for h in calm["history"]]) == ("NONE", ["CREATED", "STATUS", "REPLY"])
    # The manager answers late: the first response is kept as missed, and the resolution is what counts now.
    reply = (await api.gql(COMMENT, {"i": {"ticketId": tickets[1], "body": "Sorry for the wait"}}, boss_token))["addTicketComment"]
    assert reply["errors"] == []
    answered = (await api.admin(TICKET, {"id": tickets[1]}))["ticket"]
    assert answered["firstResponse"] == {"breached": True, "reachedAt": "2026-12-18T15:10:00+00:00"} and answered["escalation"] == "NONE"


async def test_a_deleted_queue_comes_back_unless_its_name_was_taken(make_app):
    api = await make_app(plugins=["service"])
    boss, _ = await api.as_user("manager")
    team = (await api.admin(TEAM, {"i": {"name": "Support", "managerId": boss["id"]}}))["createTeam"]["team"]
    first = (await api.admin(QUEUE, {"i": {"name": "Returns", "teamId": team["id"]}}))["createQueue"]["queue"]
    restore = """mutation($i: IdInput!) { restoreQueue(input: $i) { queue { name } errors { field code } } }"""
    delete = """mutation($i: IdInput!) { deleteQueue(input: $i) { errors { code } } }"""
    assert (await api.admin(delete, {"i": {"id": first["id"]}}))["deleteQueue"]["errors"] == []
    again = (await api.admin(QUEUE, {"i": {"name": "Returns", "teamId": team["id"]}}))["createQueue"]
    assert again["errors"] == []
    refused = (await api.admin(restore, {"i": {"id": first["id"]}}))["restoreQueue"]
    assert refused == {"queue": None, "errors": [{"field": "name", "code": "DUPLICATE"}]}
    await api.admin(delete, {"i": {"id": again["queue"]["id"]}})
    assert (await api.admin(restore, {"i": {"id": first["id"]}}))["restoreQueue"] == {"queue": {"name": "Returns"}, "errors": []}
