"""The sales numbers, aggregated by the database: funnel, forecast, performance, target attainment.

Every query is scoped with the caller's opportunity grant in SQL, so a rep's funnel counts only their deals.
Money sums are taken over the stored integers (ten-thousandths) and turned into Decimals here: exact, never floats.

Amounts are converted into the report's currency in the same statement (`crm.Conversion`): a won deal at its close
date, an open deal at its expected close date (today's rate when that is ahead). Counts count every deal; a deal
whose amount has no rate is left out of the money figures and counted under `unconverted` instead.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, or_, select, true

import crm
from crm.plugins.catalogue.models import Product
from crm.plugins.sales.models import Opportunity, OpportunityLine, SalesTarget, Stage, StageVisit

money = crm.raw_to_money


def raw_amount(column=Opportunity.amount):
    return crm.money_raw(column)


def won_day():
    return crm.utc_date(Opportunity.closed_at)


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


def _sums(rows, keys: list[str], sums: list[str]):
    """Per group of `keys` of a `Conversion.rows` subquery: `count` (of rows) and the sum of each column in `sums`."""
    c = rows.c
    return select(*[c[k] for k in keys], func.count().label("count"), *[func.sum(c[n]).label(n) for n in sums]).group_by(*[c[k] for k in keys])


def _joined(stmt, joins):
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt


async def forecast(session, access, period: str, start: date, end: date, group: str, conv, commit: int, where=()):
    """(key, period) -> figures, and what could not be converted."""
    _, joins = _group_key(group)
    # Grouped by the raw id and the period's first day, labelled afterwards: text keys made PostgreSQL format and
    # compare strings for every one of a million rows it sorts (20 % of the report).
    key = {"OWNER": Opportunity.owner_id, "PIPELINE": Opportunity.pipeline_id, "TEAM": crm.TeamMember.team_id}[group]
    lo, hi = window(start, end)
    raw = raw_amount()
    status, closes, closed = (crm.unindexed(c) for c in (Opportunity.status, Opportunity.expected_close_date, Opportunity.closed_at))
    # Two scans, open deals by their expected close (converted at it) and won deals by their close: one scan of both
    # with the period chosen per row was slower on PostgreSQL (1.2 s against 1.0 s at 1M deals; it sorts every row).
    fx = conv.at(Opportunity.currency, Opportunity.expected_close_date)
    deals = fx.rows(_joined(select(
        key.label("key"), crm.period_start(period, Opportunity.expected_close_date).label("period"), Opportunity.currency,
        literal(1).label("open_count"), fx.amount(raw * Opportunity.probability).label("weighted"), fx.amount(raw).label("open"),
        fx.amount(case((Opportunity.probability >= commit, raw), else_=0)).label("commit"), literal(0).label("won"), *fx.flags(raw, "amount"),
    ), joins).where(live(access), status == "open", closes >= start, closes <= end, *where))
    sums = ["open_count", "weighted", "open", "commit", "won", "missing", "missing_amount"]
    rows = (await session.execute(_sums(deals, ["key", "period", "currency"], sums))).all()
    fx = conv.at(Opportunity.currency, won_day())
    deals = fx.rows(_joined(select(
        key.label("key"), crm.period_start(period, Opportunity.closed_at).label("period"), Opportunity.currency, literal(0).label("open_count"),
        literal(0).label("weighted"), literal(0).label("open"), literal(0).label("commit"), fx.amount(raw).label("won"), *fx.flags(raw, "amount"),
    ), joins).where(live(access), status == "won", closed >= lo, closed < hi, *where))
    rows += (await session.execute(_sums(deals, ["key", "period", "currency"], sums))).all()
    out: dict[tuple[str, str], dict] = {}
    unconverted = crm.Unconverted()

    def row(k, p):
        return out.setdefault((k, p), {"weighted": Decimal(0), "open": Decimal(0), "commit": Decimal(0), "won": Decimal(0), "count": 0})

    for r in rows:
        figures = row("none" if r.key is None else str(r.key), crm.period_label(period, r.period))
        figures["count"] += int(r.open_count)
        figures["weighted"] += money(r.weighted) / 100
        figures["open"] += money(r.open)
        figures["commit"] += money(r.commit)
        figures["won"] += money(r.won)
        if r.missing:
            unconverted.add(r.currency, r.missing, r.missing_amount)
    return out, unconverted


# --- performance ---------------------------------------------------------------------------------------------------

PERIOD_GROUPS = ("MONTH", "QUARTER")


@dataclasses.dataclass(frozen=True)
class Dim:
    """One grouping of the performance report: OWNER, PRODUCT, ... or CUSTOM_FIELD with the field's value (`value`)."""

    group: str
    value: Any = None


def _performance_key(dim: Dim, lines=None):
    """(key expression, joins) of one grouping; PRODUCT reads the line model `lines`."""
    group = dim.group
    if group in ("OWNER", "TEAM", "PIPELINE"):
        return _group_key(group)
    if group in ("REGION", "INDUSTRY", "SIZE"):
        column = {"REGION": crm.Customer.region, "INDUSTRY": crm.Customer.industry, "SIZE": crm.Customer.size}[group]
        return func.coalesce(column, literal("none")), [(crm.Customer, crm.Customer.id == Opportunity.customer_id)]
    if group == "SOURCE":
        return func.coalesce(Opportunity.source, literal("none")), []
    if group == "CUSTOM_FIELD":
        return func.coalesce(dim.value, literal("none")), []
    if group in PERIODS:
        return PERIODS[group](Opportunity.closed_at), []
    if group == "PRODUCT":
        return lines.product_id, []
    raise ValueError(group)


def _keyed(dims: list[Dim], *columns):
    """A select of the deals labelled with one key per grouping (key0, key1) and `columns`; the amount to sum; and
    the condition under which a row counts its deal. Grouped by PRODUCT, a row is a line: its amount is the line's
    net, and the deal counts (deals, cycle days) on its first line of that product only, so a deal with several
    products is in each product's group once."""
    products = any(d.group == "PRODUCT" for d in dims)
    keys, joins = [], []
    for dim in dims:
        key, needed = _performance_key(dim, OpportunityLine if products else None)
        keys.append(key.label(f"key{len(keys)}"))
        joins += [j for j in needed if all(j[0] is not seen for seen, _ in joins)]  # REGION x SIZE: one customer join
    stmt = _joined(select(*keys, *columns).select_from(Opportunity), joins)
    if not products:
        return stmt, raw_amount(), true()
    stmt = stmt.join(OpportunityLine, and_(OpportunityLine.opportunity_id == Opportunity.id, OpportunityLine.product_id.is_not(None)))
    return stmt, raw_amount(OpportunityLine.net), OpportunityLine.product_first


def _key_names(dims) -> list[str]:
    return [f"key{i}" for i in range(len(dims))]


def _row_key(r, dims) -> tuple[str, ...]:
    return tuple("none" if r[i] is None else str(r[i]) for i in range(len(dims)))


@dataclasses.dataclass
class ReportFilter:
    """Which deals a report counts (the API's SalesReportFilter, its ids parsed and custom fields made conditions)."""

    product_id: int | None = None
    pipeline_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    source: str | None = None
    campaign: str | None = None
    customer_tags: list[str] = dataclasses.field(default_factory=list)
    region: str | None = None
    industry: str | None = None
    custom_conditions: list = dataclasses.field(default_factory=list)  # on Opportunity.custom_fields
    customer_conditions: list = dataclasses.field(default_factory=list)  # on Customer.custom_fields


def deal_conditions(filter: ReportFilter) -> list:
    """SQL conditions on deals for a report's filter: the customer's conditions as one semi-join."""
    conds = list(filter.custom_conditions)
    if filter.product_id is not None:
        conds.append(select(OpportunityLine.opportunity_id).where(OpportunityLine.opportunity_id == Opportunity.id,
                                                                  OpportunityLine.product_id == filter.product_id).exists())
    for column, value in ((Opportunity.pipeline_id, filter.pipeline_id), (Opportunity.owner_id, filter.owner_id)):
        if value is not None:
            conds.append(column == value)
    if filter.team_id is not None:
        conds.append(Opportunity.owner_id.in_(team_members(filter.team_id)))
    for column, value in ((Opportunity.source, filter.source), (Opportunity.campaign, filter.campaign)):
        if value:
            conds.append(func.lower(column) == value.lower())
    customers = list(filter.customer_conditions)
    if filter.customer_tags:
        customers.append(crm.Customer.id.in_(select(crm.CustomerTag.customer_id).where(crm.CustomerTag.tag.in_(filter.customer_tags))))
    for column, value in ((crm.Customer.region, filter.region), (crm.Customer.industry, filter.industry)):
        if value:
            customers.append(func.lower(column) == value.lower())
    if customers:
        conds.append(Opportunity.customer_id.in_(select(crm.Customer.id).where(*customers)))
    return conds


@dataclasses.dataclass
class Won:
    """A group's won deals: every one counted, the amount of those that could be converted."""

    count: int = 0
    converted: int = 0
    amount: Decimal = Decimal(0)
    cycle_days: float = 0.0  # summed over `count`

    def add(self, count, missing, amount, cycle_days) -> None:
        """`count` deals, `missing` of them without a rate, `amount` the converted rest."""
        self.count += int(count or 0)
        self.cycle_days += float(cycle_days or 0)
        self.converted += int(count or 0) - int(missing or 0)
        self.amount += money(amount)

    @property
    def avg_cycle_days(self) -> float | None:
        return self.cycle_days / self.count if self.count else None


def _cycle():
    return crm.days_between(Opportunity.closed_at, Opportunity.opened_at)


async def unconverted_won(session, access, lo: datetime, hi: datetime, conv, where=()) -> crm.Unconverted:
    """The deals won in [lo, hi) that have no rate, per currency."""
    closed = crm.unindexed(Opportunity.closed_at)
    fx = conv.at(Opportunity.currency, won_day())
    stmt = fx.join(select(Opportunity.currency, func.count().label("count"), func.sum(raw_amount()).label("raw_won"))).where(
        live(access), crm.unindexed(Opportunity.status) == "won", closed >= lo, closed < hi, fx.missing, *where).group_by(Opportunity.currency)
    found = crm.Unconverted()
    for r in (await session.execute(stmt)).all():
        found.add(r.currency, r.count, r.raw_won)
    return found


async def grouped_performance(session, access, dims: list[Dim], now: tuple, comparisons: list[tuple], conv, where=()):
    """One scan of the deals closed in `now` or in any of the `comparisons` windows: keys -> (won in `now`, closed
    count in `now`, [won amount in each comparison window]); and the deals won in `now` that could not be converted
    (per deal and product when grouped by PRODUCT: count those once with `unconverted_won`)."""
    raw_status, closed = crm.unindexed(Opportunity.status), crm.unindexed(Opportunity.closed_at)
    won = raw_status == "won"

    def inside(window):
        return and_(closed >= window[0], closed < window[1])

    won_now = and_(won, inside(now))
    fx = conv.at(Opportunity.currency, won_day())
    stmt, raw, once = _keyed(dims, Opportunity.currency)
    counted = and_(won_now, once)
    won_raw = case((won_now, raw), else_=0)
    compared = [fx.amount(case((and_(won, inside(w)), raw), else_=0)).label(f"compared{i}") for i, w in enumerate(comparisons)]
    deals = fx.rows(stmt.add_columns(
        case((counted, 1), else_=0).label("won_count"),
        fx.amount(won_raw).label("won"),
        case((counted, _cycle()), else_=0).label("cycle"),
        case((and_(inside(now), once), 1), else_=0).label("closed"),
        *compared,
        case((and_(counted, fx.missing), 1), else_=0).label("missing"), case((fx.missing, won_raw), else_=0).label("missing_won"),
    ).where(live(access), raw_status.in_(("won", "lost")), or_(inside(now), *(inside(w) for w in comparisons)), *where))
    names = _key_names(dims)
    sums = ["won_count", "won", "cycle", "closed", *(c.name for c in compared), "missing", "missing_won"]
    out: dict[tuple, tuple] = {}
    unconverted = crm.Unconverted()
    for r in (await session.execute(_sums(deals, [*names, "currency"], sums))).all():
        figures = out.setdefault(_row_key(r, dims), (Won(), [0], [Decimal(0)] * len(comparisons)))
        figures[0].add(r.won_count, r.missing, r.won, r.cycle)
        figures[1][0] += int(r.closed or 0)
        for i, c in enumerate(compared):  # deals of comparison windows without a rate are left out of these figures
            figures[2][i] += money(r._mapping[c.name])
        if r.missing:
            unconverted.add(r.currency, r.missing, r.missing_won)
    return {k: (v[0], v[1][0], v[2]) for k, v in out.items()}, unconverted


def shift_period(key: str, group: str, back: int) -> str:
    """'2026-03' one month back is '2026-02'; '2026-Q1' one quarter back is '2025-Q4'. `back` is in periods."""
    if group == "MONTH":
        year, month = int(key[:4]), int(key[5:7])
        index = year * 12 + month - 1 - back
        return f"{index // 12}-{index % 12 + 1:02d}"
    year, quarter = int(key[:4]), int(key[6:])
    index = year * 4 + quarter - 1 - back
    return f"{index // 4}-Q{index % 4 + 1}"


KEY_TYPES = {"OWNER": "User", "TEAM": "Team", "PRODUCT": "Product", "PIPELINE": "Pipeline"}  # groupings by record


def public_key(group: str, key):
    """A row's key as the API gives it: a record's global id when grouped by records, else the value (a month)."""
    return crm.report_key(KEY_TYPES.get(group), key)


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


async def attainment(session, start: date, end: date, group: str, conv):
    """(target, actual, unconverted) for every target of `group` (users or teams) whose period overlaps [start, end],
    counted over each target's own owner or team whoever asks (the caller must be allowed to read targets)."""
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
    closed_day = won_day()
    fx = conv.at(Opportunity.currency, closed_day)
    won = select(SalesTarget.id.label("target"), Opportunity.currency, fx.amount(raw_amount()).label("won"),
                 *fx.flags(raw_amount(), "won")).select_from(SalesTarget)
    if group == "TEAM":
        won = won.join(crm.TeamMember, crm.TeamMember.team_id == SalesTarget.team_id)
    # A target's actual is over the target's own people, for everyone who may read the target (a rep sees the same
    # team figure as the manager): targets are shared goals, and these are aggregates, not records.
    deals = fx.rows(won.join(Opportunity, and_(owner_match, Opportunity.status == "won", Opportunity.deleted_at.is_(None),
                                               closed_day >= SalesTarget.period_start, closed_day <= SalesTarget.period_end))
                    .where(SalesTarget.id.in_(ids)))
    revenue: dict[int, list] = {}
    for tid, currency, count, total, missing, missing_raw in (await session.execute(
            _sums(deals, ["target", "currency"], ["won", "missing", "missing_won"]))).all():
        figures = revenue.setdefault(tid, [Decimal(0), 0, crm.Unconverted()])
        figures[1] += count
        figures[0] += money(total)
        if missing:
            figures[2].add(currency, missing, missing_raw)
    occurred_day = func.date(crm.Activity.occurred_at)
    acts = select(SalesTarget.id, func.count(crm.Activity.id)).select_from(SalesTarget)
    if group == "TEAM":
        acts = acts.join(crm.TeamMember, crm.TeamMember.team_id == SalesTarget.team_id)
    acts = (acts.join(crm.Activity, and_(activity_match, crm.Activity.deleted_at.is_(None), crm.Activity.kind != "task",
                                         occurred_day >= SalesTarget.period_start, occurred_day <= SalesTarget.period_end))
            .where(SalesTarget.id.in_(ids)).group_by(SalesTarget.id))
    activities = dict((await session.execute(acts)).all())
    out = []
    for target in targets:
        amount, count, unconverted = revenue.get(target.id, (Decimal(0), 0, crm.Unconverted()))
        actual = {"revenue": amount, "won_deals": Decimal(count), "activities": Decimal(activities.get(target.id, 0))}[target.metric]
        out.append((target, actual, unconverted if target.metric == "revenue" else crm.Unconverted()))
    return out
