"""Sales analysis through GraphQL. The numbers come from crm.plugins.sales.analysis: aggregated by the database."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated

import strawberry

import crm
from crm import bad_input, requires, try_parse_id
from crm.plugins.sales import analysis
from crm.plugins.sales.models import Opportunity
from crm.plugins.sales.schema.enums import TargetMetric
from crm.plugins.sales.schema import types as t


@strawberry.enum(description="The length of the periods of a report.")
class Period(enum.Enum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"


@strawberry.enum(description="What each row of the forecast is for.")
class ForecastGroup(enum.Enum):
    OWNER = "OWNER"
    TEAM = "TEAM"
    PIPELINE = "PIPELINE"


@strawberry.enum(description="What each row of the sales performance report is for.")
class PerformanceGroup(enum.Enum):
    OWNER = "OWNER"
    TEAM = "TEAM"
    PRODUCT = "PRODUCT"
    REGION = "REGION"
    INDUSTRY = "INDUSTRY"
    SIZE = "SIZE"
    SOURCE = "SOURCE"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    CUSTOM_FIELD = strawberry.enum_value("CUSTOM_FIELD", description="An opportunity custom field's value: name it in `groupByField` / `thenByField`.")


@strawberry.input(description="Which deals a sales report counts; every condition given must match.")
class SalesReportFilter:
    product_id: strawberry.ID | None = strawberry.field(default=None, description="Deals with a line of this product.")
    pipeline_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = strawberry.field(default=None, description="Deals owned by this team's members.")
    source: str | None = strawberry.field(default=None, description="Lead source, ignoring case.")
    campaign: str | None = strawberry.field(default=None, description="Campaign, ignoring case.")
    customer_tags: list[str] | None = strawberry.field(default=None, description="Deals of customers with any of these tags.")
    region: str | None = strawberry.field(default=None, description="The customer's region, ignoring case.")
    industry: str | None = strawberry.field(default=None, description="The customer's industry, ignoring case.")
    custom_fields: list[crm.CustomFieldFilter] | None = strawberry.field(default=None, description="The deal's custom fields.")
    customer_custom_fields: list[crm.CustomFieldFilter] | None = strawberry.field(default=None, description="The customer's custom fields.")


def _filter_id(raw, field: str) -> int | None:
    if raw is None:
        return None
    parsed = try_parse_id(raw)
    if parsed is None:
        raise bad_input(field, f"{raw!r} is not an id")
    return parsed


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


async def deal_filter(info, f: SalesReportFilter | None) -> list:
    """SQL conditions on deals for a report's filter (none without one)."""
    if f is None:
        return []
    return analysis.deal_conditions(analysis.ReportFilter(
        product_id=_filter_id(f.product_id, "filter.productId"), pipeline_id=_filter_id(f.pipeline_id, "filter.pipelineId"),
        owner_id=_filter_id(f.owner_id, "filter.ownerId"), team_id=_filter_id(f.team_id, "filter.teamId"),
        source=_text(f.source), campaign=_text(f.campaign), region=_text(f.region), industry=_text(f.industry),
        customer_tags=[t.strip().lower() for t in f.customer_tags or [] if t.strip()],
        custom_conditions=await crm.custom_field_conditions(info, Opportunity, "opportunity", f.custom_fields),
        customer_conditions=await crm.custom_field_conditions(info, crm.Customer, "customer", f.customer_custom_fields),
    ))


async def _dimension(info, group: PerformanceGroup, field: str | None, argument: str) -> analysis.Dim:
    if group != PerformanceGroup.CUSTOM_FIELD:
        if field is not None:
            raise bad_input(argument, f"{argument} names a custom field only when grouping by CUSTOM_FIELD")
        return analysis.Dim(group.value)
    if not field:
        raise bad_input(argument, f"grouping by CUSTOM_FIELD needs {argument}: the key of an opportunity custom field")
    return analysis.Dim(group.value, await crm.custom_field_group_key(info, Opportunity, "opportunity", field, argument))


@strawberry.enum(description="Whose targets a report lists: users' or teams'.")
class TargetGroup(enum.Enum):
    OWNER = "OWNER"
    TEAM = "TEAM"


@strawberry.type(description="One stage of the sales funnel: the deals that reached it and how many went on.")
class FunnelStage:
    stage: t.Stage = strawberry.field(description="The stage.")
    reached: int = strawberry.field(description="Opportunities opened in the period that were ever in this stage or a later one.")
    conversion_rate: float | None = strawberry.field(description="Part of `reached` that reached the next stage; null for the last.")
    avg_days_in_stage: float | None = strawberry.field(description="Average days spent in this stage by those who left it.")
    drop_off: int | None = strawberry.field(description="How many reached this stage but not the next.")


@strawberry.type(description="The sales funnel: deals that reached each stage and the conversion from stage to stage.")
class SalesFunnel:
    stages: list[FunnelStage] = strawberry.field(description="Each stage, with the deals that reached it.")
    opportunities: int = strawberry.field(description="Deals in the period.")
    won: int = strawberry.field(description="Of those, won.")
    lost: int = strawberry.field(description="Of those, lost.")
    open: int = strawberry.field(description="Of those, still open.")


@strawberry.type(description="One group and period of the forecast: weighted, best-case and committed amounts, and what closed.")
class ForecastRow:
    key: str = strawberry.field(description="The group: an owner's, team's or pipeline's global id, or 'all'.")
    label: str
    period: str = strawberry.field(description="The month ('2026-03') or quarter ('2026-Q1').")
    weighted: Decimal = strawberry.field(description="Open amount x probability, summed exactly, rounded to the currency's minor unit.")
    best_case: Decimal = strawberry.field(description="Closed won plus every open amount.")
    committed: Decimal = strawberry.field(description="Closed won plus open amounts at or above the commit probability.")
    closed_won: Decimal = strawberry.field(description="Deals already won in the period.")
    open_count: int = strawberry.field(description="Open deals expected to close in the period.")


@strawberry.type(description="The forecast: deals expected to close, by period and group, in the report's currency.")
class SalesForecast:
    currency: str = strawberry.field(description="The currency of every amount: the reporting currency unless another was asked for.")
    rows: list[ForecastRow] = strawberry.field(description="Counts count every deal; amounts leave out the deals under `unconverted`.")
    unconverted: list[crm.UnconvertedAmount] = strawberry.field(description="Open and won deals of the period whose amount has no "
                                                                 "exchange rate on or before its date: in no amount above.")


@strawberry.type(description="One group (or one cell of a pivot) of the sales performance report.")
class PerformanceRow:
    key: str = strawberry.field(description="The group: an owner's, team's, product's or pipeline's global id, a period, or a custom field's value.")
    label: str
    sub_key: str | None = strawberry.field(description="With `thenBy`: the second grouping's key (this row is one cell of the pivot).")
    sub_label: str | None = strawberry.field(description="With `thenBy`: the second grouping's name for people.")
    won_count: int = strawberry.field(description="Deals won.")
    won_amount: Decimal = strawberry.field(description="What they were worth.")
    share: float = strawberry.field(description="This row's part of all won amount in the period, 0 to 1.")
    win_rate: float | None = strawberry.field(description="Won / (won + lost) among deals closed in the period.")
    avg_deal_size: Decimal | None = strawberry.field(description="wonAmount / wonCount (deals that could be converted).")
    avg_cycle_days: float | None = strawberry.field(description="Average days from opening to winning.")
    previous_period_won_amount: Decimal = strawberry.field(description="The period of equal length just before `from`.")
    last_year_won_amount: Decimal = strawberry.field(description="The same dates a year earlier.")


@strawberry.type(description="Won deals by group: amounts, shares, win rates, deal sizes, cycle times and comparisons.")
class SalesPerformance:
    currency: str = strawberry.field(description="The currency of every amount: the reporting currency unless another was asked for.")
    rows: list[PerformanceRow] = strawberry.field(description="Counts and win rates count every deal; amounts, shares and deal sizes "
                                                   "leave out deals without an exchange rate.")
    unconverted: list[crm.UnconvertedAmount] = strawberry.field(description="Deals won in the period whose amount has no exchange "
                                                                 "rate on or before their close date (comparisons leave such deals out too).")


@strawberry.type(description="One target of a user or team, with what was achieved in its period and the pace towards it.")
class AttainmentRow:
    key: str = strawberry.field(description="The user's or team's global id.")
    label: str
    metric: TargetMetric = strawberry.field(description="revenue or deals.")
    period_start: date = strawberry.field(description="The first day of the target's period.")
    period_end: date = strawberry.field(description="The last day of the target's period.")
    target: Decimal = strawberry.field(description="In the report's currency (targets are set in the reporting currency).")
    actual: Decimal = strawberry.field(description="What was achieved in the period so far.")
    attainment: float | None = strawberry.field(description="actual / target; 1 means the target was met.")
    elapsed: float = strawberry.field(description="Part of the target's period gone by today, 0 to 1.")
    projected: Decimal | None = strawberry.field(description="Where `actual` ends at the period's end at today's run rate "
                                                 "(actual / elapsed); the actual once the period is over; null before it starts.")
    projected_attainment: float | None = strawberry.field(description="projected / target: will the target be made?")
    unconverted: list[crm.UnconvertedAmount] = strawberry.field(description="Revenue targets: won deals without an exchange rate, left out of `actual`.")


@strawberry.type(description="Targets with what was achieved, in the report's currency.")
class TargetAttainment:
    currency: str
    rows: list[AttainmentRow] = strawberry.field(description="One row per target.")


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise bad_input("to", "`to` is before `from`")
    if (end - start).days > 3660:
        raise bad_input("to", "a period is at most ten years")


async def _conversion(info, currency: str | None):
    return await crm.Conversion.for_request(info.context, crm.currency_argument(info, currency))


def _pace(target, actual: Decimal, conv) -> tuple[float, Decimal | None]:
    """(part of the period gone by today, the actual projected to the period's end at today's run rate)."""
    days = (target.period_end - target.period_start).days + 1
    gone = min(max((conv.today - target.period_start).days + 1, 0), days)
    if not gone:
        return 0.0, None
    projected = actual * days / gone
    if target.metric == "revenue":
        projected = crm.round_money(projected, conv.target)
    else:
        projected = projected.quantize(Decimal("0.01"))
    return round(gone / days, 4), projected


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@strawberry.type
class SalesAnalysisQuery:
    @strawberry.field(description="Where deals stall: per stage, how many got that far, conversion to the next, time spent.")
    @requires("opportunity", "read")
    async def sales_funnel(self, info: strawberry.Info, pipeline_id: strawberry.ID, from_: Annotated[date, strawberry.argument(name="from")],
                           to: date, owner_id: strawberry.ID | None = None,
                           team_id: strawberry.ID | None = None) -> SalesFunnel:
        _check_dates(from_, to)
        ctx = info.context
        async with ctx.analysis_session() as session:
            stages, totals = await analysis.funnel(session, ctx.access, try_parse_id(pipeline_id) or 0, from_, to,
                                                   try_parse_id(owner_id) if owner_id else None, try_parse_id(team_id) if team_id else None)
        return SalesFunnel(
            stages=[FunnelStage(stage=s.stage, reached=s.reached, conversion_rate=s.conversion_rate,
                                avg_days_in_stage=s.avg_days_in_stage, drop_off=s.drop_off) for s in stages],
            opportunities=sum(totals.values()), won=totals.get("won", 0), lost=totals.get("lost", 0), open=totals.get("open", 0),
        )

    @strawberry.field(description="Expected revenue per period: open deals by expected close date, won deals by close date.")
    @requires("opportunity", "read")
    async def sales_forecast(self,
                             info: strawberry.Info,
                             period: Annotated[Period, strawberry.argument(description="Months or quarters.")],
                             from_: Annotated[date, strawberry.argument(name="from")],
                             to: date, group_by: ForecastGroup = ForecastGroup.OWNER,
                             currency: str | None = None,
                             commit_probability: Annotated[int, strawberry.argument(description="A deal at least this likely (percent) counts as committed.")] = 70,
                             filter: SalesReportFilter | None = None) -> SalesForecast:
        _check_dates(from_, to)
        if not 0 <= commit_probability <= 100:
            raise bad_input("commitProbability", "commitProbability is 0 to 100")
        ctx = info.context
        where = await deal_filter(info, filter)
        conv = await _conversion(info, currency)
        async with ctx.analysis_session() as session:
            rows, unconverted = await analysis.forecast(session, ctx.access, period.value, from_, to, group_by.value, conv,
                                                        commit_probability, where)
            names = await analysis.labels(session, group_by.value, {k for k, _ in rows})
        return SalesForecast(currency=conv.target, unconverted=crm.unconverted_list(unconverted), rows=[
            ForecastRow(key=analysis.public_key(group_by.value, k), label=names.get(k, k), period=p, weighted=crm.round_money(v["weighted"], conv.target),
                        best_case=v["won"] + v["open"],
                        committed=v["won"] + v["commit"], closed_won=v["won"], open_count=v["count"])
            for (k, p), v in sorted(rows.items(), key=lambda item: (item[0][1], item[0][0]))
        ])

    @strawberry.field(description="Who and what wins: won deals per group with win rate, deal size, cycle length and comparisons; "
                      "with `thenBy`, per pair of groups (owner x quarter, product x region: one row per cell), over the deals `filter` keeps.")
    @requires("opportunity", "read")
    async def sales_performance(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                                group_by: PerformanceGroup = PerformanceGroup.OWNER, currency: str | None = None,
                                then_by: Annotated[PerformanceGroup | None, strawberry.argument(description="A second grouping: each row is then one cell of the pivot of the two.")] = None,
                                group_by_field: Annotated[str | None, strawberry.argument(description="With groupBy CUSTOM_FIELD: the custom field's key.")] = None,
                                then_by_field: Annotated[str | None, strawberry.argument(description="With thenBy CUSTOM_FIELD: the custom field's key.")] = None,
                                filter: SalesReportFilter | None = None) -> SalesPerformance:
        _check_dates(from_, to)
        ctx = info.context
        dims = [await _dimension(info, group_by, group_by_field, "groupByField")]
        if then_by is not None:
            if then_by == group_by and group_by_field == then_by_field:
                raise bad_input("thenBy", "thenBy must differ from groupBy")
            dims.append(await _dimension(info, then_by, then_by_field, "thenByField"))
        elif then_by_field is not None:
            raise bad_input("thenByField", "thenByField goes with thenBy: CUSTOM_FIELD")
        where = await deal_filter(info, filter)
        groups = [d.group for d in dims]
        period = next((i for i, g in enumerate(groups) if g in analysis.PERIOD_GROUPS), None)
        conv = await _conversion(info, currency)
        length = to - from_ + timedelta(days=1)
        now = analysis.window(from_, to)
        previous_window = analysis.window(from_ - length, from_ - timedelta(days=1))
        year = analysis.window(_year_back(from_), _year_back(to))
        async with ctx.analysis_session() as session:
            if period is None:  # the period before and the same dates a year back, in the same scan
                found, unconverted = await analysis.grouped_performance(session, ctx.access, dims, now, [previous_window, year], conv, where)
                previous = {k: v[2][0] for k, v in found.items()}
                last_year = {k: v[2][1] for k, v in found.items()}
            else:  # each period against the one before and the same one a year back: what was won since a year (and a quarter) ago
                found, unconverted = await analysis.grouped_performance(
                    session, ctx.access, dims, now, [(year[0] - timedelta(days=92), now[1])], conv, where)
                group = groups[period]

                def back(key: tuple, periods: int) -> Decimal:
                    shifted = (*key[:period], analysis.shift_period(key[period], group, periods), *key[period + 1:])
                    return found[shifted][2][0] if shifted in found else Decimal(0)

                previous = {k: back(k, 1) for k in found}
                last_year = {k: back(k, 12 if group == "MONTH" else 4) for k in found}
            found = {k: v for k, v in found.items() if v[1]}  # the groups with deals closed in the period
            if "PRODUCT" in groups:  # a deal with several products is in several rows: count it once
                unconverted = await analysis.unconverted_won(session, ctx.access, *now, conv, where)
            names = [await analysis.labels(session, g, {k[i] for k in found}) for i, g in enumerate(groups)]
        won = {k: v[0] for k, v in found.items()}
        closed = {k: v[1] for k, v in found.items()}
        keys = set(found)
        total = sum((v.amount for v in won.values()), Decimal(0))
        rows = []
        for key in keys:
            stats = won.get(key, analysis.Won())
            cycle = stats.avg_cycle_days
            sub = key[1] if len(key) > 1 else None
            rows.append(PerformanceRow(
                key=analysis.public_key(groups[0], key[0]), label=names[0].get(key[0], key[0]),
                sub_key=analysis.public_key(groups[1], sub) if sub is not None else None,
                sub_label=names[1].get(sub, sub) if sub is not None else None,
                won_count=stats.count, won_amount=stats.amount,
                share=round(float(stats.amount / total), 4) if total else 0.0,
                win_rate=round(stats.count / closed[key], 4) if closed.get(key) else None,
                avg_deal_size=(stats.amount / stats.converted).quantize(Decimal("0.01")) if stats.converted else None,
                avg_cycle_days=round(cycle, 2) if cycle is not None else None,
                previous_period_won_amount=previous.get(key, Decimal(0)), last_year_won_amount=last_year.get(key, Decimal(0)),
            ))
        if groups[0] in analysis.PERIOD_GROUPS:
            rows.sort(key=lambda r: (r.key, -r.won_amount, r.sub_key or ""))
        else:
            rows.sort(key=lambda r: (-r.won_amount, r.key, r.sub_key or ""))
        return SalesPerformance(currency=conv.target, rows=rows, unconverted=crm.unconverted_list(unconverted))

    @strawberry.field(description="Targets of users or teams whose period overlaps [from, to], with what was achieved in each target's "
                      "period by its own user or team: the same figures for everyone who may read targets.")
    @requires("sales_target", "read")
    async def target_attainment(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                                group_by: TargetGroup = TargetGroup.OWNER, currency: str | None = None) -> TargetAttainment:
        _check_dates(from_, to)
        ctx = info.context
        conv = await _conversion(info, currency)
        async with ctx.analysis_session() as session:
            found = await analysis.attainment(session, from_, to, group_by.value, conv)
            keys = {str(target.user_id if group_by == TargetGroup.OWNER else target.team_id) for target, _, _ in found}
            names = await analysis.labels(session, group_by.value, keys)
        rows = []
        for target, actual, unconverted in found:
            key = str(target.user_id if group_by == TargetGroup.OWNER else target.team_id)
            goal = target.value
            if target.metric == "revenue" and conv.target != conv.reporting:  # a target is set in the reporting currency
                day = min(target.period_end, conv.today)
                goal = await crm.convert_amount(ctx, target.value, conv.reporting, day, to=conv.target)
                if goal is None:
                    raise bad_input("currency", f"no exchange rate for {conv.target} on or before {day}: targets cannot be shown in it")
            elapsed, projected = _pace(target, actual, conv)
            rows.append(AttainmentRow(key=analysis.public_key(group_by.value, key), label=names.get(key, key), metric=target.metric, period_start=target.period_start,
                                      period_end=target.period_end, target=goal, actual=actual,
                                      attainment=round(float(actual / goal), 4) if goal else None, elapsed=elapsed, projected=projected,
                                      projected_attainment=round(float(projected / goal), 4) if goal and projected is not None else None,
                                      unconverted=crm.unconverted_list(unconverted)))
        return TargetAttainment(currency=conv.target, rows=rows)
