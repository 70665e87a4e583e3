"""Service reports through GraphQL: SLA performance per queue, agent, priority, category or channel."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import strawberry
from sqlalchemy import select

import crm
from crm import requires
from crm.plugins.service import reports
from crm.plugins.service.models import Queue, Ticket


@strawberry.enum(description="What each row of the SLA report is for.")
class SlaReportGroup(enum.Enum):
    ALL = "all"
    QUEUE = "queue"
    AGENT = "agent"
    PRIORITY = "priority"
    CATEGORY = "category"
    CHANNEL = "channel"


@strawberry.enum(description="What each row of the satisfaction report is for.")
class SatisfactionGroup(enum.Enum):
    ALL = "all"
    AGENT = "agent"
    QUEUE = "queue"
    CATEGORY = "category"
    MONTH = "month"


@strawberry.type(description="Satisfaction surveys answered in the period, one group.")
class SatisfactionRow:
    key: str = strawberry.field(description="The group: an agent's or queue's global id, a category or a month.")
    label: str
    responses: int = strawberry.field(description="Surveys answered.")
    average_score: float = strawberry.field(description="Mean score, 1 to 5.")
    satisfied_rate: float = strawberry.field(description="Share of answers scoring 4 or 5.")


@strawberry.type(description="A category of tickets in the period against the period of the same length before it.")
class DefectRow:
    category: str = strawberry.field(description="The ticket category.")
    tickets: int = strawberry.field(description="Tickets created in the period.")
    previous_tickets: int = strawberry.field(description="Tickets created in the period of the same length before.")
    change_rate: float | None = strawberry.field(description="(tickets - previous) / previous; null when there were none before.")


@strawberry.type(description="SLA figures of the tickets created in the period, one group. Minutes are working minutes of the "
                             "policy's calendar, less pauses; a target counts as missed when reached late, or when it is past due "
                             "and not reached with the clock running.")
class SlaReportRow:
    key: str = strawberry.field(description="The group: a queue's or user's global id (0: no queue), a priority, category or channel.")
    label: str = strawberry.field(description="The group's name as people read it.")
    tickets: int = strawberry.field(description="Tickets created in the period.")
    responded: int = strawberry.field(description="Tickets with a first public reply.")
    first_response_met: int = strawberry.field(description="First responses within the target.")
    first_response_missed: int = strawberry.field(description="First responses late, or not given past the target.")
    first_response_met_rate: float | None = strawberry.field(description="Met of met and missed; null when neither.")
    mean_first_response_minutes: float | None = strawberry.field(description="The mean first response time, in working minutes.")
    p90_first_response_minutes: float | None = strawberry.field(description="Nine first responses in ten were as fast as this, in working minutes.")
    resolved: int = strawberry.field(description="Tickets resolved.")
    resolution_met: int = strawberry.field(description="Resolutions within the target.")
    resolution_missed: int = strawberry.field(description="Resolutions late, or not reached past the target.")
    resolution_met_rate: float | None = strawberry.field(description="resolutionMet / (resolutionMet + resolutionMissed).")
    mean_resolution_minutes: float | None = strawberry.field(description="The mean resolution time, in working minutes.")
    p90_resolution_minutes: float | None = strawberry.field(description="Nine resolutions in ten were as fast as this, in working minutes.")


COUNTS = ("n", "responded", "resolved", "response_met", "response_missed", "resolution_met", "resolution_missed")
REACHED = {reports.MET, reports.LATE, reports.REACHED}  # states of a target (crm.plugins.service.reports)
MISSED = {reports.LATE, reports.OVERDUE}


def _rate(part: int, other: int) -> float | None:
    return round(part / (part + other), 4) if part + other else None


def _round(value) -> float | None:
    return round(float(value), 1) if value is not None else None


KEY_TYPES = {"queue": "Queue", "agent": "User"}  # groupings by record: their keys are the records' global ids


async def _labels(session, group: str, keys: list) -> dict:
    if group == "queue":
        names = dict((await session.execute(select(Queue.id, Queue.name).where(Queue.id.in_([int(k) for k in keys])))).all())
        return {k: names.get(int(k), "no queue") for k in keys}
    if group == "agent":
        names = dict((await session.execute(select(crm.User.id, crm.User.name).where(crm.User.id.in_([int(k) for k in keys])))).all())
        return {k: names.get(int(k), "") for k in keys}
    if group == "month":
        return {k: crm.period_label("MONTH", k) for k in keys}
    return {k: (str(k) or "none").replace("_", " ") for k in keys}


def defect_period(from_: date, to: date, first: int) -> tuple[datetime, datetime]:
    """The checked period of a defect report (public to bridges as crm.plugins.service.schema.reports.defect_period)."""
    if to < from_:
        raise crm.bad_input("to", "to is before from")
    if not 1 <= first <= 200:
        raise crm.bad_input("first", "first is 1 to 200")
    return datetime.combine(from_, time(), UTC), datetime.combine(to + timedelta(days=1), time(), UTC)


@strawberry.type
class ServiceReportQuery:
    @strawberry.field(description="SLA performance of the tickets created from `from` to `to` (UTC days, inclusive) that the caller "
                                  "may read, per group: targets met and missed, mean and p90 working minutes.")
    @requires("ticket", "read")
    async def sla_report(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                         group_by: SlaReportGroup = SlaReportGroup.ALL) -> list[SlaReportRow]:
        if to < from_:
            raise crm.bad_input("to", "to is before from")
        if (to - from_).days > 3660:
            raise crm.bad_input("to", "ask for ten years at most")
        ctx = info.context
        lo, hi = datetime.combine(from_, time(), UTC), datetime.combine(to + timedelta(days=1), time(), UTC)
        counted = reports.sla_distribution(ctx.access.filter(Ticket, "ticket"), lo, hi, group_by.value, crm.utcnow())
        groups: dict = {}
        async with ctx.analysis_session() as session:
            for row in (await session.execute(counted)).all():
                g = groups.setdefault(row.key, {"counts": dict.fromkeys(COUNTS, 0), "f": {}, "r": {}})
                c, target = g["counts"], "response" if row.to_response else "resolution"
                if row.to_response:  # every ticket is in exactly one first-response row
                    c["n"] += row.n
                if row.state in REACHED:
                    c["responded" if row.to_response else "resolved"] += row.n
                if row.state == reports.MET:
                    c[f"{target}_met"] += row.n
                elif row.state in MISSED:
                    c[f"{target}_missed"] += row.n
                if row.minutes is not None:
                    spread = g["f"] if row.to_response else g["r"]
                    spread[row.minutes] = spread.get(row.minutes, 0) + row.n
            labels = await _labels(session, group_by.value, list(groups))
        out = []
        for key, g in groups.items():
            c = g["counts"]
            out.append(SlaReportRow(key=crm.report_key(KEY_TYPES.get(group_by.value), str(key)), label=labels[key], tickets=c["n"], responded=c["responded"],
                                    first_response_met=c["response_met"], first_response_missed=c["response_missed"],
                                    first_response_met_rate=_rate(c["response_met"], c["response_missed"]),
                                    mean_first_response_minutes=_round(reports.mean(g["f"])),
                                    p90_first_response_minutes=_round(reports.percentile(g["f"], 90)),
                                    resolved=c["resolved"], resolution_met=c["resolution_met"], resolution_missed=c["resolution_missed"],
                                    resolution_met_rate=_rate(c["resolution_met"], c["resolution_missed"]),
                                    mean_resolution_minutes=_round(reports.mean(g["r"])), p90_resolution_minutes=_round(reports.percentile(g["r"], 90))))
        return [row for _, row in sorted(zip([str(k) for k in groups], out), key=lambda pair: pair[0])]

    @strawberry.field(description="Satisfaction surveys answered from `from` to `to` (UTC days, inclusive) on tickets the caller may "
                                  "read, per agent, queue, category or month.")
    @requires("ticket", "read")
    async def satisfaction_report(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                                  group_by: SatisfactionGroup = SatisfactionGroup.ALL) -> list[SatisfactionRow]:
        if to < from_:
            raise crm.bad_input("to", "to is before from")
        ctx = info.context
        lo, hi = datetime.combine(from_, time(), UTC), datetime.combine(to + timedelta(days=1), time(), UTC)
        async with ctx.db.read() as session:
            rows = (await session.execute(reports.scores(ctx.access.filter(Ticket, "ticket"), lo, hi, group_by.value))).all()
            labels = await _labels(session, group_by.value, [r.key for r in rows])
        out = [SatisfactionRow(key=crm.report_key(KEY_TYPES.get(group_by.value), str(r.key)), label=labels[r.key], responses=r.responses,
                               average_score=round(float(r.mean), 2), satisfied_rate=round(r.satisfied / r.responses, 4))
               for r in sorted(rows, key=lambda r: str(r.key))]
        return out

    @strawberry.field(description="What customers complain about: the `first` (20) categories with the most tickets created from "
                                  "`from` to `to` (UTC days, inclusive), with the count in the period of the same length before.")
    @requires("ticket", "read")
    async def defect_report(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                            first: int = 20) -> list[DefectRow]:
        ctx = info.context
        lo, hi = defect_period(from_, to, first)
        async with ctx.db.read() as session:
            rows = (await session.execute(reports.defects(ctx.access.filter(Ticket, "ticket"), lo - (hi - lo), lo, hi, first))).all()
        return [DefectRow(category=r.key, tickets=r.tickets, previous_tickets=r.previous,
                          change_rate=round((r.tickets - r.previous) / r.previous, 4) if r.previous else None) for r in rows]
