"""Customer analysis through GraphQL: RFM segments and churn risk, computed by the database."""

from __future__ import annotations

from typing import Annotated

from datetime import datetime, timedelta
from decimal import Decimal

import strawberry

from crm.api.access import requires
from crm.api.errors import bad_input
from crm.customers import analysis
from crm.customers.schema.types import CustomerRef
from crm.models import utcnow
from crm.money.conversion import Conversion, Unconverted
from crm.money.schema import UnconvertedAmount, currency_argument, unconverted_list


@strawberry.type(description="One RFM segment: its customers, their share and what they brought in the window.")
class CustomerSegment:
    segment: str = strawberry.field(description="The segment's name (champions, at risk, ...).")
    description: str = strawberry.field(description="Who is in it, in words.")
    customers: int = strawberry.field(description="How many customers are in it.")
    share: float = strawberry.field(description="Part of all customers the caller may read, 0 to 1.")
    events: int = strawberry.field(description="Events of these customers in the window (touchpoints, purchases, ...).")
    monetary: Decimal = strawberry.field(description="Money these customers brought in the window, in the report's currency.")


@strawberry.type(description="Customers by RFM segment (recency, frequency, money) over a window.")
class CustomerSegments:
    as_of: datetime = strawberry.field(description="When the window ends.")
    window_days: int = strawberry.field(description="How many days back it looks.")
    total: int = strawberry.field(description="Customers the caller may read.")
    currency: str = strawberry.field(description="The currency of `monetary`.")
    segments: list[CustomerSegment] = strawberry.field(description="The segments.")
    unconverted: list[UnconvertedAmount] = strawberry.field(description="Money events of the window that no exchange rate "
                                                            "converts: they count for recency and frequency, not in `monetary`.")


@strawberry.type(description="A customer whose engagement dropped.")
class ChurnRisk:
    customer: CustomerRef = strawberry.field(description="The customer.")
    recent_events: int = strawberry.field(description="Its events in the recent window.")
    expected_events: float = strawberry.field(description="What the customer's usual rate predicts for the recent period.")
    drop: float = strawberry.field(description="1 means no events at all lately; 0.5 means half the usual.")
    last_event_at: datetime = strawberry.field(description="When its last event was.")


def _window(value: int, name: str, low: int = 1, high: int = 3650) -> int:
    if not low <= value <= high:
        raise bad_input(name, f"{name} must be between {low} and {high}")
    return value


@strawberry.type
class CustomerAnalysisQuery:
    @strawberry.field(description="Customers by RFM segment (recency, frequency, monetary over every module's events).")
    @requires("customer", "read")
    async def customer_segments(self,
                                info: strawberry.Info,
                                as_of: datetime | None = None,
                                window_days: Annotated[int, strawberry.argument(description="How many days back recency, frequency and money are measured.")] = 365,
                                currency: str | None = None) -> CustomerSegments:
        ctx = info.context
        as_of = as_of or utcnow()
        conv = await Conversion.for_request(ctx, currency_argument(info, currency))
        stmt = analysis.segment_rows(ctx.runtime, ctx.access, conv, as_of, _window(window_days, "windowDays"))
        left_out = analysis.unconverted_rows(ctx.runtime, ctx.access, conv, as_of - timedelta(days=window_days), as_of)
        unconverted = Unconverted()
        async with ctx.analysis_session() as session:
            total = await session.scalar(analysis.visible_customers(ctx.access))
            rows = {r.segment: r for r in (await session.execute(stmt)).all()} if stmt is not None else {}
            for code, count, raw in (await session.execute(left_out)).all() if left_out is not None else []:
                unconverted.add(code, count, raw)
        scored = sum(r.customers for r in rows.values())
        segments = []
        for name, description in analysis.SEGMENTS.items():
            row = rows.get(name)
            count = total - scored if name == "inactive" else (row.customers if row else 0)
            segments.append(CustomerSegment(
                segment=name, description=description, customers=count, share=round(count / total, 4) if total else 0.0,
                events=int(row.events) if row else 0, monetary=row.monetary if row else Decimal("0"),
            ))
        return CustomerSegments(as_of=as_of, window_days=window_days, total=total, segments=segments, currency=conv.target,
                                unconverted=unconverted_list(unconverted))

    @strawberry.field(description="Customers whose events fell well below their usual rate, biggest drop first.")
    @requires("customer", "read")
    async def churn_risk(
        self,
        info: strawberry.Info,
        as_of: datetime | None = None,
        recent_days: Annotated[int, strawberry.argument(description="The recent window, in days, whose activity is compared with the baseline.")] = analysis.CHURN_DEFAULTS[0],
        baseline_days: Annotated[int, strawberry.argument(description="The baseline window, in days, before the recent one.")] = analysis.CHURN_DEFAULTS[1],
        min_events: Annotated[int, strawberry.argument(description="Customers with fewer events in the baseline are not judged.")] = analysis.CHURN_DEFAULTS[2],
        threshold: Annotated[float, strawberry.argument(description="How far activity must fall (0 to 1) to count as at risk.")] = analysis.CHURN_DEFAULTS[3],
        first: int = 20,
    ) -> list[ChurnRisk]:
        ctx = info.context
        if not 0 < threshold <= 1:
            raise bad_input("threshold", "threshold must be above 0 and at most 1")
        stmt = analysis.churn_rows(
            ctx.runtime, ctx.access, as_of or utcnow(), _window(recent_days, "recentDays"), _window(baseline_days, "baselineDays"),
            _window(min_events, "minEvents", 1, 100000), threshold,
        )
        if stmt is None:
            return []
        periods = baseline_days / recent_days
        async with ctx.analysis_session() as session:
            rows = (await session.execute(stmt.limit(max(1, min(first, 100))))).all()
        return [
            ChurnRisk(customer=r[0], recent_events=r.recent, expected_events=round(r.before / periods, 2), drop=round(float(r.drop), 4),
                      last_event_at=r.last_at)
            for r in rows
        ]
