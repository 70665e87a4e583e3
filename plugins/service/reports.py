"""Service figures a manager asks for, aggregated in SQL over the tickets the caller may read: SLA met and missed,
mean and p90 working minutes to the first response and to resolution (stored on each ticket when reached)."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select

import crm
from crm.plugins.service.models import Survey, Ticket

GROUPS = {"queue": lambda: func.coalesce(Ticket.queue_id, 0), "agent": lambda: Ticket.owner_id, "priority": lambda: Ticket.priority,
          "category": lambda: func.coalesce(Ticket.category, ""), "channel": lambda: Ticket.channel, "all": lambda: literal("all")}


def tickets(visible, lo, hi, group: str):
    """Per ticket created in [lo, hi): its group key and its SLA figures."""
    return (select(GROUPS[group]().label("key"), Ticket.first_response_minutes, Ticket.resolution_minutes,
                   Ticket.first_responded_at, Ticket.resolved_at, Ticket.first_response_due, Ticket.resolution_due,
                   Ticket.first_response_breached, Ticket.resolution_breached, Ticket.paused_since)
            .where(Ticket.created_at >= lo, Ticket.created_at < hi, Ticket.deleted_at.is_(None), visible).subquery())


def counts(rows, now):
    def missed(target: str):
        # Reached late, or not reached and already past due with the clock running.
        late = rows.c[f"{target}_breached"].is_(True)
        overdue = and_(rows.c[_reached(target)].is_(None), rows.c[f"{target}_due"] < now, rows.c.paused_since.is_(None))
        return func.sum(case((late, 1), (overdue, 1), else_=0))

    def met(target: str):
        return func.sum(case((rows.c[f"{target}_breached"].is_(False), 1), else_=0))

    return select(rows.c.key, func.count().label("tickets"),
                  func.count(rows.c.first_responded_at).label("responded"), func.count(rows.c.resolved_at).label("resolved"),
                  met("first_response").label("response_met"), missed("first_response").label("response_missed"),
                  met("resolution").label("resolution_met"), missed("resolution").label("resolution_missed"),
                  func.avg(rows.c.first_response_minutes).label("response_mean"), func.avg(rows.c.resolution_minutes).label("resolution_mean"),
                  ).group_by(rows.c.key)


def _reached(target: str) -> str:
    return "first_responded_at" if target == "first_response" else "resolved_at"


def p90(rows, column: str):
    return crm.quantile(rows.c.key, rows.c[column], 90)


SCORE_GROUPS = {"queue": lambda: func.coalesce(Ticket.queue_id, 0), "agent": lambda: Ticket.owner_id,
                "category": lambda: func.coalesce(Ticket.category, ""), "all": lambda: literal("all"),
                "month": lambda: crm.period_start("MONTH", Survey.answered_at)}


def scores(visible, lo, hi, group: str):
    """Per group, the surveys answered in [lo, hi): how many, the mean score, how many scored 4 or 5."""
    return (select(SCORE_GROUPS[group]().label("key"), func.count().label("responses"), func.avg(Survey.score).label("mean"),
                   func.sum(case((Survey.score >= 4, 1), else_=0)).label("satisfied"))
            .join(Ticket, Ticket.id == Survey.ticket_id)
            .where(Survey.answered_at >= lo, Survey.answered_at < hi, Ticket.deleted_at.is_(None), visible).group_by(SCORE_GROUPS[group]()))


def defects(visible, prev_lo, lo, hi, first: int, key=None, join=None):
    """The `key`s (categories by default; a bridge passes products with the `join` that reaches them) most tickets were
    about in [lo, hi), with their count in the period of the same length before."""
    key = Ticket.category if key is None else key
    now_n = func.sum(case((Ticket.created_at >= lo, 1), else_=0))
    before_n = func.sum(case((Ticket.created_at < lo, 1), else_=0))
    stmt = select(key.label("key"), now_n.label("tickets"), before_n.label("previous")).select_from(Ticket)
    if join is not None:
        stmt = stmt.join(*join)
    return (stmt.where(Ticket.created_at >= prev_lo, Ticket.created_at < hi, key.is_not(None), Ticket.deleted_at.is_(None), visible)
            .group_by(key).having(now_n > 0).order_by(now_n.desc(), key).limit(first))
