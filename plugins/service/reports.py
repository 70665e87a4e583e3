"""Service figures a manager asks for, aggregated in SQL over the tickets the caller may read: SLA met and missed,
mean and p90 working minutes to the first response and to resolution (stored on each ticket when reached)."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select, tuple_

import crm
from crm.plugins.service.models import Survey, Ticket

GROUPS = {"queue": lambda: func.coalesce(Ticket.queue_id, 0), "agent": lambda: Ticket.owner_id, "priority": lambda: Ticket.priority,
          "category": lambda: func.coalesce(Ticket.category, ""), "channel": lambda: Ticket.channel, "all": lambda: literal("all")}


def _state(target: str, reached, now):
    """Where a ticket stands with a target: 'met', 'late' (reached after its due time), 'reached' (without a target),
    'overdue' (not reached, past due with the clock running) or NULL (still to come)."""
    due = getattr(Ticket, f"{target}_due")
    return case((reached <= due, literal("met")), (reached > due, literal("late")), (reached.is_not(None), literal("reached")),
                (and_(due < now, Ticket.paused_since.is_(None)), literal("overdue")), else_=literal(None))


def sla_distribution(visible, lo, hi, group: str, now, postgresql: bool) -> list:
    """Statements whose rows count, per group, the tickets by working minutes to a target and that target's state
    (`_state`): the report's counts are their sums, and its means and percentiles come exactly from the
    distribution of minutes.

    Rows of (key, f, r, to_response, state, n): `to_response` rows are grouped by first-response minutes (None: not
    yet) and its state, the others by resolution minutes and its state. Only count(*) is aggregated: the state is a
    part of the grouping key, so PostgreSQL hashes each row into two small groups instead of evaluating seven
    conditional sums twice. On PostgreSQL one statement and one scan of the tickets (GROUPING SETS); SQLite, which has
    none, runs two. Percentiles by sorting 3M values took 2 s more than this at 1M customers."""
    rows = (select(GROUPS[group]().label("key"), Ticket.first_response_minutes.label("f"), Ticket.resolution_minutes.label("r"),
                   _state("first_response", Ticket.first_responded_at, now).label("f_state"),
                   _state("resolution", Ticket.resolved_at, now).label("r_state"))
            .where(Ticket.created_at >= lo, Ticket.created_at < hi, Ticket.deleted_at.is_(None), visible).subquery())
    key, f, r, f_state, r_state = rows.c.key, rows.c.f, rows.c.r, rows.c.f_state, rows.c.r_state
    if postgresql:
        state = case((func.grouping(r) == 1, f_state), else_=r_state)  # the state of the target the row's set is about
        return [select(key, f, r, (func.grouping(r) == 1).label("to_response"), state.label("state"), func.count().label("n"))
                .group_by(func.grouping_sets(tuple_(key, f, f_state), tuple_(key, r, r_state)))]
    return [select(key, f, literal(None).label("r"), literal(True).label("to_response"), f_state.label("state"), func.count().label("n"))
            .group_by(key, f, f_state),
            select(key, literal(None).label("f"), r, literal(False).label("to_response"), r_state.label("state"), func.count().label("n"))
            .group_by(key, r, r_state)]


def percentile(values: dict[int, int], percent: int) -> float | None:
    """The `percent`-th percentile of a distribution {value: how many}, interpolated between the closest ranks as
    PostgreSQL's percentile_cont."""
    n = sum(values.values())
    if not n:
        return None
    position = (n - 1) * percent / 100
    low = int(position)

    def at(rank: int) -> int:  # the value at a 0-based rank
        seen = 0
        for value in sorted(values):
            seen += values[value]
            if seen > rank:
                return value
        raise AssertionError("rank beyond the distribution")

    below, above = at(low), at(min(low + 1, n - 1))
    return below + (above - below) * (position - low)


def mean(values: dict[int, int]) -> float | None:
    n = sum(values.values())
    return sum(v * c for v, c in values.items()) / n if n else None


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
