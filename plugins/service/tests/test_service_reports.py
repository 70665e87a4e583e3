"""slaReport against hand-computed numbers: a calendar that works around the clock in UTC, so working minutes are
plain minutes; targets reached in time, late, not yet due, overdue, and paused."""

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tickets import CALENDAR, COMMENT, CREATE, STATUS, Clock

ALL_DAY = [{"weekday": d, "start": "00:00", "end": "24:00"}
           for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]
POLICY = """mutation($i: CreateSlaPolicyInput!) { createSlaPolicy(input: $i) { errors { field code } } }"""
REPORT = """query($g: SlaReportGroup!) { slaReport(from: "2026-12-16", to: "2026-12-16", groupBy: $g) { key label tickets responded
  firstResponseMet firstResponseMissed firstResponseMetRate meanFirstResponseMinutes p90FirstResponseMinutes
  resolved resolutionMet resolutionMissed resolutionMetRate meanResolutionMinutes p90ResolutionMinutes } }"""


async def test_sla_report_counts_met_missed_and_working_minutes(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    clock = Clock(monkeypatch)
    cal = (await api.admin(CALENDAR, {"i": {"name": "Always", "timeZone": "UTC", "hours": ALL_DAY}}))["createBusinessCalendar"]["calendar"]["id"]
    assert (await api.admin(POLICY, {"i": {"name": "All", "calendarId": cal, "firstResponseMinutes": 60, "resolutionMinutes": 600}}))[
        "createSlaPolicy"]["errors"] == []
    rep, token = await api.as_user("sales_rep", name="Rita Rep")
    customer = await api.create_customer(token, name="Acme")
    clock.set("2026-12-16T10:00:00+00:00")
    ids = {}
    for name, priority in (("fast", "HIGH"), ("slow", "HIGH"), ("waiting", "LOW"), ("forgotten", "LOW")):
        made = (await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": name, "priority": priority}}, token))["createTicket"]
        ids[name] = made["ticket"]

    async def reply(name, at):
        clock.set(at)
        done = (await api.gql(COMMENT, {"i": {"ticketId": ids[name]["id"], "body": "hello"}}, token))["addTicketComment"]
        ids[name] = {**ids[name], **done["ticket"]}

    async def move(name, at, status):
        clock.set(at)
        done = (await api.gql(STATUS, {"i": {"id": ids[name]["id"], "version": ids[name]["version"], "status": status}}, token))["changeTicketStatus"]
        assert done["errors"] == []
        ids[name] = {**ids[name], **done["ticket"]}

    await move("waiting", "2026-12-16T10:10:00+00:00", "PENDING_CUSTOMER")  # paused before anything was due
    await reply("fast", "2026-12-16T10:30:00+00:00")  # 30 minutes: met
    await reply("slow", "2026-12-16T11:30:00+00:00")  # 90 minutes: missed
    await move("fast", "2026-12-16T14:00:00+00:00", "RESOLVED")  # 240: met
    await move("slow", "2026-12-16T22:00:00+00:00", "RESOLVED")  # 720: missed
    clock.set("2026-12-16T23:00:00+00:00")  # "forgotten" is past both its targets with the clock running: missed twice
    everything = (await api.gql(REPORT, {"g": "ALL"}, token))["slaReport"]
    assert everything == [{"key": "all", "label": "all", "tickets": 4, "responded": 2,
                           "firstResponseMet": 1, "firstResponseMissed": 2, "firstResponseMetRate": 0.3333,
                           "meanFirstResponseMinutes": 60.0, "p90FirstResponseMinutes": 84.0,  # 30 + 0.9 x (90 - 30)
                           "resolved": 2, "resolutionMet": 1, "resolutionMissed": 2, "resolutionMetRate": 0.3333,
                           "meanResolutionMinutes": 480.0, "p90ResolutionMinutes": 672.0}]  # 240 + 0.9 x (720 - 240)
    by_priority = {r["key"]: r for r in (await api.gql(REPORT, {"g": "PRIORITY"}, token))["slaReport"]}
    assert (by_priority["high"]["firstResponseMet"], by_priority["high"]["firstResponseMissed"]) == (1, 1)
    assert (by_priority["low"]["tickets"], by_priority["low"]["firstResponseMissed"], by_priority["low"]["resolutionMissed"]) == (2, 1, 1)
    by_agent = (await api.gql(REPORT, {"g": "AGENT"}, token))["slaReport"]
    assert [(r["key"], r["label"], r["tickets"]) for r in by_agent] == [(rep["id"], "Rita Rep", 4)]
    _, other = await api.as_user("sales_rep")
    assert (await api.gql(REPORT, {"g": "ALL"}, other))["slaReport"] == []  # scoped: none of theirs


async def test_defect_report_ranks_categories_against_the_period_before(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    clock = Clock(monkeypatch)
    _, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")
    for day, category, n in (("2026-11-20", "battery", 2), ("2026-11-21", "screen", 1), ("2026-12-05", "battery", 3),
                             ("2026-12-06", "screen", 1), ("2026-12-07", "hinge", 2), ("2026-12-20", "hinge", 5)):
        clock.set(f"{day}T10:00:00+00:00")
        for _ in range(n):
            await api.gql(CREATE, {"i": {"customerId": customer["id"], "subject": "Broken", "category": category}}, token)
    report = (await api.gql("""{ defectReport(from: "2026-12-01", to: "2026-12-14") { category tickets previousTickets changeRate } }""",
                            token=token))["defectReport"]
    assert report == [{"category": "battery", "tickets": 3, "previousTickets": 2, "changeRate": 0.5},
                      {"category": "hinge", "tickets": 2, "previousTickets": 0, "changeRate": None},
                      {"category": "screen", "tickets": 1, "previousTickets": 1, "changeRate": 0.0}]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=2, max_size=60))
def test_percentiles_of_a_distribution_are_percentile_cont(values):
    """The report's percentiles come from {minutes: tickets}; they equal interpolation over the values themselves."""
    from collections import Counter

    from crm.plugins.service.reports import mean, percentile

    expected = statistics.quantiles(values, n=10, method="inclusive")[8]
    assert percentile(Counter(values), 90) == pytest.approx(expected)
    assert percentile(Counter(values), 50) == pytest.approx(statistics.median(values))
    assert mean(Counter(values)) == pytest.approx(statistics.fmean(values))
