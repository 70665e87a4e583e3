"""Satisfaction surveys: a resolved ticket's link takes one answer before it expires (two at once record one), the
customer's summary and timeline show it, and satisfactionReport adds the answers up."""

import asyncio
from datetime import timedelta

from test_tickets import COMMENT, CREATE, STATUS, Clock


SEND = """mutation($i: SendSatisfactionSurveyInput!) { sendSatisfactionSurvey(input: $i) { survey { path expiresAt } errors { field code } } }"""
REPORT = """query($g: SatisfactionGroup!) { satisfactionReport(from: "2026-12-01", to: "2026-12-31", groupBy: $g) {
  key label responses averageScore satisfiedRate } }"""


async def resolved_ticket(api, token, customer_id, subject):
    made = (await api.gql(CREATE, {"i": {"customerId": customer_id, "subject": subject}}, token))["createTicket"]["ticket"]
    replied = (await api.gql(COMMENT, {"i": {"ticketId": made["id"], "body": "Fixed"}}, token))["addTicketComment"]["ticket"]
    done = (await api.gql(STATUS, {"i": {"id": made["id"], "version": replied["version"], "status": "RESOLVED"}}, token))["changeTicketStatus"]
    assert done["errors"] == []
    return made["id"]


async def test_a_survey_takes_one_answer_before_it_expires(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    clock = Clock(monkeypatch)
    clock.set("2026-12-10T09:00:00+00:00")
    _, token = await api.as_user("sales_rep", name="Sam Support")
    customer = await api.create_customer(token, name="Acme")
    early = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Open still"}}, token))["createTicket"]["ticket"]
    assert (await api.gql(SEND, {"i": {"ticketId": early["id"]}}, token))["sendSatisfactionSurvey"]["errors"] == [
        {"field": "ticketId", "code": "INVALID"}]
    tid = await resolved_ticket(api, token, customer["id"], "Broken screen")
    sent = (await api.gql(SEND, {"i": {"ticketId": tid}}, token))["sendSatisfactionSurvey"]
    assert sent["errors"] == [] and sent["survey"]["expiresAt"] == "2026-12-24T09:00:00+00:00"
    path = sent["survey"]["path"]
    bad = await api.client.post(path, json={"score": 9})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "score"
    # Two answers at the same moment: one is recorded, the other is told it was answered already.
    answers = await asyncio.gather(api.client.post(path, json={"score": 4, "comment": "Quick, thanks"}),
                                   api.client.post(path, json={"score": 1, "comment": "Second try"}))
    assert sorted(r.status_code for r in answers) == [200, 409]
    assert [r.json()["errors"][0]["code"] for r in answers if r.status_code == 409] == ["ANSWERED"]
    seen = (await api.gql("""query($id: ID!) { ticket(id: $id) { satisfaction { score answeredAt } history { kind body } } }""",
                          {"id": tid}, token))["ticket"]
    assert seen["satisfaction"]["score"] in (4, 1) and seen["history"][-1]["kind"] == "RATED"
    assert (await api.gql(SEND, {"i": {"ticketId": tid}}, token))["sendSatisfactionSurvey"]["errors"] == [{"field": "ticketId", "code": "ANSWERED"}]
    assert (await api.client.post("/surveys/no-such-token", json={"score": 3})).status_code == 404
    # A link answered late is refused as expired; a new link replaces an old one.
    other = await resolved_ticket(api, token, customer["id"], "Slow delivery")
    old = (await api.gql(SEND, {"i": {"ticketId": other}}, token))["sendSatisfactionSurvey"]["survey"]["path"]
    new = (await api.gql(SEND, {"i": {"ticketId": other}}, token))["sendSatisfactionSurvey"]["survey"]["path"]
    assert (await api.client.post(old, json={"score": 5})).status_code == 404
    clock.now += timedelta(days=15)
    expired = await api.client.post(new, json={"score": 5})
    assert expired.status_code == 410 and expired.json()["errors"][0]["code"] == "EXPIRED"
    summary = await api.gql("""query($id: ID!) { customer(id: $id) { summary { openTickets lastSatisfactionScore } } }""",
                            {"id": customer["id"]}, token)
    assert summary["customer"]["summary"] == {"openTickets": 1, "lastSatisfactionScore": seen["satisfaction"]["score"]}


async def test_satisfaction_report_adds_up_the_answers(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    clock = Clock(monkeypatch)
    clock.set("2026-12-10T09:00:00+00:00")
    _, token = await api.as_user("sales_rep", name="Sam Support")
    customer = await api.create_customer(token, name="Acme")
    for score in (5, 4, 2):
        tid = await resolved_ticket(api, token, customer["id"], f"Issue {score}")
        path = (await api.gql(SEND, {"i": {"ticketId": tid}}, token))["sendSatisfactionSurvey"]["survey"]["path"]
        assert (await api.client.post(path, json={"score": score})).status_code == 200
    everything = (await api.gql(REPORT, {"g": "ALL"}, token))["satisfactionReport"]
    assert everything == [{"key": "all", "label": "all", "responses": 3, "averageScore": 3.67, "satisfiedRate": 0.6667}]
    by_agent = (await api.gql(REPORT, {"g": "AGENT"}, token))["satisfactionReport"]
    assert [(r["label"], r["responses"]) for r in by_agent] == [("Sam Support", 3)]
    by_month = (await api.gql(REPORT, {"g": "MONTH"}, token))["satisfactionReport"]
    assert [(r["label"], r["responses"]) for r in by_month] == [("2026-12", 3)]
