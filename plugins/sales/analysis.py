"""The sales numbers, aggregated by the database: funnel, forecast, performance, target attainment.

Every query is scoped with the caller's opportunity grant in SQL, so a rep's funnel counts only their deals.
Money sums are taken over the stored integers (ten-thousandths) and turned into Decimals here: exact, never floats.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, String, and_, case, cast, distinct, func, literal, or_, select, type_coerce

import crm
from crm.plugins.sales.models import Opportunity, OpportunityLine, Product, SalesTarget, Stage, StageVisit

UNIT = Decimal(10_000)


def money(raw) -> Decimal:
    """A SUM over Money columns, as stored (ten-thousandths), to a Decimal."""
    return (Decimal(int(raw or 0)) / UNIT).quantize(Decimal("0.0001")).normalize() if raw else Decimal(0)


def raw_amount(column=Opportunity.amount):
    return type_coerce(column, BigInteger)


def window(start: date, end: date) -> tuple[datetime, datetime]:
    """Dates are inclusive; times compare against [start 00:00 UTC, day after end 00:00 UTC)."""
    return datetime.combine(start, time(), UTC), datetime.combine(end + timedelta(days=1), time(), UTC)


def live(access):
    return and_(Opportunity.deleted_at.is_(None), access.filter(Opportunity, "opportunity"))


def team_members(team_id: int):
    return select(crm.TeamMember.user_id).where(crm.TeamMember.team_id == team_id)


# --- funnel --------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class FunnelStage:
    stage: Stage
    reached: int
    conversion_rate: float | None
    avg_days_in_stage: float | None
    drop_off: int | None


async def funnel(session, access, pipeline_id: int, start: date, end: date, owner_id: int | None, team_id: int | None):
    lo, hi = window(start, end)
    stages = list((await session.scalars(
        select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.kind != "lost").order_by(Stage.position))).all())
    position = {stage.id: stage.position for stage in stages}
    # One scan of the deals: how far each got (its furthest non-lost stage, kept on the deal) and how it stands now.
    opened = crm.unindexed(Opportunity.opened_at)  # a window over most deals: read them in order (crm.unindexed)
    conds = [live(access), crm.unindexed(Opportunity.pipeline_id) == pipeline_id, opened >= lo, opened < hi]
    if owner_id:
        conds.append(Opportunity.owner_id == owner_id)
    if team_id:
        conds.append(Opportunity.owner_id.in_(team_members(team_id)))
    furthest: dict[int, int] = {}
    totals: dict[str, int] = {}
    for reached, status, count in (await session.execute(
        select(Opportunity.reached_stage_id, Opportunity.status, func.count()).where(*conds)
        .group_by(Opportunity.reached_stage_id, Opportunity.status)
    )).all():
        totals[status] = totals.get(status, 0) + count
        if reached in position:
            furthest[position[reached]] = furthest.get(position[reached], 0) + count
    rows = [(stage, sum(n for at, n in furthest.items() if at >= stage.position)) for stage in stages]
    # Time in stage: one scan of the visits, which carry the deal's opening time, owner and deletion.
    visit_opened, visit_stage = crm.unindexed(StageVisit.opened_at), crm.unindexed(StageVisit.stage_id)
    visits = [visit_stage.in_([stage.id for stage in stages if stage.kind == "open"]),
              StageVisit.left_at.is_not(None), StageVisit.deleted_at.is_(None), visit_opened >= lo, visit_opened < hi,
              access.filter(StageVisit, "opportunity", owner_column=StageVisit.owner_id)]
    if owner_id:
        visits.append(StageVisit.owner_id == owner_id)
    if team_id:
        visits.append(StageVisit.owner_id.in_(team_members(team_id)))
    days = dict((await session.execute(
        select(visit_stage, func.avg(crm.days_between(StageVisit.left_at, StageVisit.entered_at))).where(*visits)
        .group_by(visit_stage)  # grouped by the bare column, SQLite would walk the whole stage index to keep the order
    )).all())
    out = []
    for i, (stage, count) in enumerate(rows):
        following = rows[i + 1][1] if i + 1 < len(rows) else None
        avg = days.get(stage.id)
        out.append(FunnelStage(
            stage=stage, reached=count,
            conversion_rate=round(following / count, 4) if following is not None and count else None,
            avg_days_in_stage=round(float(avg), 2) if avg is not None else None,
            drop_off=count - following if following is not None else None,
        ))
    return out, totals


# --- forecast ------------------------------------------------------------------------------------------------------

PERIODS = {"MONTH": crm.month_key, "QUARTER": crm.quarter_key}


def _group_key(group: str):
    """(key expression, extra joins) for OWNER / TEAM / PIPELINE groupings of opportunities."""
    if group == "OWNER":
        return cast(Opportunity.owner_id, String), []
    if group == "PIPELINE":
        return cast(Opportunity.pipeline_id, String), []
    if group == "TEAM":  # an owner in two teams counts in both; owners in none under "none"
        return func.coalesce(cast(crm.TeamMember.team_id, String), literal("none")), [(crm.TeamMember, crm.TeamMember.user_id == Opportunity.owner_id)]
    raise ValueError(group)


def _joined(stmt, joins):
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt


async def forecast(session, access, period: str, start: date, end: date, group: str, currency: str, commit: int):
    key, joins = _group_key(group)
    lo, hi = window(start, end)
    open_period = PERIODS[period](Opportunity.expected_close_date)
    won_period = PERIODS[period](Opportunity.closed_at)
    amount = raw_amount()
    status, closes, closed = (crm.unindexed(c) for c in (Opportunity.status, Opportunity.expected_close_date, Opportunity.closed_at))
    open_rows = (await session.execute(_joined(
        select(key, open_period, func.sum(amount * Opportunity.probability), func.sum(amount),
               func.sum(case((Opportunity.probability >= commit, amount), else_=0)), func.count()),
        joins,
    ).where(live(access), status == "open", Opportunity.currency == currency,
            closes >= start, closes <= end).group_by(key, open_period))).all()
    won_rows = (await session.execute(_joined(select(key, won_period, func.sum(amount)), joins).where(
        live(access), status == "won", Opportunity.currency == currency, closed >= lo, closed < hi,
    ).group_by(key, won_period))).all()
    out: dict[tuple[str, str], dict] = {}
    for k, p, weighted, best, committed, count in open_rows:
        out[(k, p)] = {"weighted": money(weighted) / 100, "open": money(best), "commit": money(committed), "won": Decimal(0), "count": count}
    for k, p, won in won_rows:
        row = out.setdefault((k, p), {"weighted": Decimal(0), "open": Decimal(0), "commit": Decimal(0), "won": Decimal(0), "count": 0})
        row["won"] = money(won)
    return out


# --- performance ---------------------------------------------------------------------------------------------------


def _performance_key(group: str):
    """(key expression, joins, source of amounts) for the performance groupings."""
    customer = (crm.Customer, crm.Customer.id == Opportunity.customer_id)
    if group in ("OWNER", "TEAM", "PIPELINE"):
        key, joins = _group_key(group)
        return key, joins
    if group in ("REGION", "INDUSTRY", "SIZE"):
        column = {"REGION": crm.Customer.region, "INDUSTRY": crm.Customer.industry, "SIZE": crm.Customer.size}[group]
        return func.coalesce(column, literal("none")), [customer]
    if group == "SOURCE":
        return func.coalesce(Opportunity.source, literal("none")), []
    if group in PERIODS:
        return PERIODS[group](Opportunity.closed_at), []
    raise ValueError(group)


async def won_stats(session, access, group: str, lo: datetime, hi: datetime, currency: str) -> dict[str, tuple[int, Decimal, float | None]]:
    """key -> (won count, won amount, average days from opened to won)."""
    cycle = crm.days_between(Opportunity.closed_at, Opportunity.opened_at)
    closed = crm.unindexed(Opportunity.closed_at)
    conds = [live(access), crm.unindexed(Opportunity.status) == "won", Opportunity.currency == currency, closed >= lo, closed < hi]
    if group == "PRODUCT":
        per_product = (
            select(OpportunityLine.opportunity_id, OpportunityLine.product_id, func.sum(raw_amount(OpportunityLine.net)).label("net"))
            .where(OpportunityLine.product_id.is_not(None)).group_by(OpportunityLine.opportunity_id, OpportunityLine.product_id).subquery()
        )
        stmt = (select(cast(per_product.c.product_id, String), func.count(distinct(Opportunity.id)), func.sum(per_product.c.net), func.avg(cycle))
                .join(per_product, per_product.c.opportunity_id == Opportunity.id).where(*conds).group_by(per_product.c.product_id))
    else:
        key, joins = _performance_key(group)
        stmt = _joined(select(key, func.count(distinct(Opportunity.id)), func.sum(raw_amount()), func.avg(cycle)), joins).where(*conds).group_by(key)
    return {k: (n, money(total), float(avg) if avg is not None else None) for k, n, total, avg in (await session.execute(stmt)).all()}


async def grouped_performance(session, access, group: str, now: tuple, previous: tuple, year: tuple, currency: str) -> dict:
    """One scan for OWNER/TEAM/PIPELINE/REGION/INDUSTRY/SIZE/SOURCE: key -> (won count, won amount, cycle days,
    closed count, previous period's won amount, last year's won amount), for keys with deals closed in `now`."""
    key, joins = _performance_key(group)
    amount, status, closed = raw_amount(), crm.unindexed(Opportunity.status), crm.unindexed(Opportunity.closed_at)
    won = status == "won"

    def inside(window):
        return and_(closed >= window[0], closed < window[1])

    won_now = and_(won, inside(now))
    stmt = _joined(select(
        key,
        func.sum(case((won_now, 1), else_=0)),
        func.sum(case((won_now, amount), else_=0)),
        func.avg(case((won_now, crm.days_between(Opportunity.closed_at, Opportunity.opened_at)))),
        func.sum(case((inside(now), 1), else_=0)),
        func.sum(case((and_(won, inside(previous)), amount), else_=0)),
        func.sum(case((and_(won, inside(year)), amount), else_=0)),
    ), joins).where(
        live(access), status.in_(("won", "lost")), Opportunity.currency == currency,
        or_(inside(now), inside(previous), inside(year)),
    ).group_by(key)
    return {k: (int(n or 0), money(total), float(cycle) if cycle is not None else None, int(closed or 0), money(prev), money(last))
            for k, n, total, cycle, closed, prev, last in (await session.execute(stmt)).all() if closed}


async def closed_counts(session, access, group: str, lo: datetime, hi: datetime, currency: str) -> dict[str, int]:
    """key -> opportunities won or lost in the window (the win rate's denominator)."""
    closed = crm.unindexed(Opportunity.closed_at)
    conds = [live(access), crm.unindexed(Opportunity.status).in_(("won", "lost")), Opportunity.currency == currency, closed >= lo, closed < hi]
    if group == "PRODUCT":
        stmt = (select(cast(OpportunityLine.product_id, String), func.count(distinct(Opportunity.id)))
                .join(OpportunityLine, OpportunityLine.opportunity_id == Opportunity.id)
                .where(*conds, OpportunityLine.product_id.is_not(None)).group_by(OpportunityLine.product_id))
    else:
        key, joins = _performance_key(group)
        stmt = _joined(select(key, func.count(distinct(Opportunity.id))), joins).where(*conds).group_by(key)
    return dict((await session.execute(stmt)).all())


def shift_period(key: str, group: str, back: int) -> str:
    """'2026-03' one month back is '2026-02'; '2026-Q1' one quarter back is '2025-Q4'. `back` is in periods."""
    if group == "MONTH":
        year, month = int(key[:4]), int(key[5:7])
        index = year * 12 + month - 1 - back
        return f"{index // 12}-{index % 12 + 1:02d}"
    year, quarter = int(key[:4]), int(key[6:])
    index = year * 4 + quarter - 1 - back
    return f"{index // 4}-Q{index % 4 + 1}"


async def labels(session, group: str, keys) -> dict[str, str]:
    ids = [int(k) for k in keys if k and k.isdigit()]
    model = {"OWNER": crm.User, "TEAM": crm.Team, "PRODUCT": Product}.get(group)
    if group == "PIPELINE":
        from crm.plugins.sales.models import Pipeline as model
    if model is None or not ids:
        return {}
    rows = (await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all()
    return {str(i): name for i, name in rows}


# --- targets -------------------------------------------------------------------------------------------------------


async def attainment(session, access, start: date, end: date, group: str, currency: str):
    """(target, actual) for every target of `group` (users or teams) whose period overlaps [start, end]."""
    column = SalesTarget.user_id if group == "OWNER" else SalesTarget.team_id
    targets = (await session.scalars(select(SalesTarget).where(
        SalesTarget.deleted_at.is_(None), column.is_not(None), SalesTarget.period_start <= end, SalesTarget.period_end >= start,
    ).order_by(SalesTarget.period_start, SalesTarget.id))).all()
    if not targets:
        return []
    ids = [target.id for target in targets]
    if group == "OWNER":
        owner_match = Opportunity.owner_id == SalesTarget.user_id
        activity_match = crm.Activity.owner_id == SalesTarget.user_id
    else:  # the team's members, joined below
        owner_match = Opportunity.owner_id == crm.TeamMember.user_id
        activity_match = crm.Activity.owner_id == crm.TeamMember.user_id
    closed_day = func.date(Opportunity.closed_at)
    won = select(SalesTarget.id, func.sum(raw_amount()), func.count(Opportunity.id)).select_from(SalesTarget)
    if group == "TEAM":
        won = won.join(crm.TeamMember, crm.TeamMember.team_id == SalesTarget.team_id)
    won = (won.join(Opportunity, and_(owner_match, Opportunity.status == "won", Opportunity.currency == currency, live(access),
                                      closed_day >= SalesTarget.period_start, closed_day <= SalesTarget.period_end))
           .where(SalesTarget.id.in_(ids)).group_by(SalesTarget.id))
    revenue = {tid: (money(total), count) for tid, total, count in (await session.execute(won)).all()}
    occurred_day = func.date(crm.Activity.occurred_at)
    acts = select(SalesTarget.id, func.count(crm.Activity.id)).select_from(SalesTarget)
    if group == "TEAM":
        acts = acts.join(crm.TeamMember, crm.TeamMember.team_id == SalesTarget.team_id)
    acts = (acts.join(crm.Activity, and_(activity_match, crm.Activity.deleted_at.is_(None), crm.Activity.kind != "task",
                                         access.filter_or_none(crm.Activity, "activity"),
                                         occurred_day >= SalesTarget.period_start, occurred_day <= SalesTarget.period_end))
            .where(SalesTarget.id.in_(ids)).group_by(SalesTarget.id))
    activities = dict((await session.execute(acts)).all())
    out = []
    for target in targets:
        amount, count = revenue.get(target.id, (Decimal(0), 0))
        actual = {"revenue": amount, "won_deals": Decimal(count), "activities": Decimal(activities.get(target.id, 0))}[target.metric]
        out.append((target, actual))
    return out
