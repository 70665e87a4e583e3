"""Service: tickets at risk, a queue's open tickets, the SLA report over a year; `python -m bench.service_escalation`
times the escalation job."""

from bench.harness import Scenario, gql

AT_RISK = """{ ticketsAtRisk(first: 50) { edges { node { number subject priority firstResponse { dueAt remainingMinutes } } } } }"""
QUEUE = """query($q: ID!) { tickets(first: 50, filter: {queueId: $q, open: true}) { edges { node { number subject status priority
  assignee { name } } } } }"""
SLA = """query($g: SlaReportGroup!) { slaReport(from: "%s", to: "%s", groupBy: $g) { key tickets firstResponseMetRate
  p90FirstResponseMinutes resolutionMetRate p90ResolutionMinutes } }"""


async def at_risk(client, ctx, worker):
    await gql(client, ctx, AT_RISK)


async def queue_open(client, ctx, worker):
    await gql(client, ctx, QUEUE, {"q": "1"})


def _year():
    from datetime import date, timedelta

    today = date.today()
    return (today - timedelta(days=365)).isoformat(), today.isoformat()


async def sla_by_queue(client, ctx, worker):
    await gql(client, ctx, SLA % _year(), {"g": "QUEUE"})


SCENARIOS = [
    Scenario("tickets at risk", at_risk, plugin="service"),
    Scenario("a queue's open tickets", queue_open, plugin="service"),
    Scenario("SLA report over a year by queue", sla_by_queue, plugin="service"),
]
