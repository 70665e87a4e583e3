"""Customer value in SQL: RFM scores and segments, and churn risk, over every module's value sources.

Events come from `crm_register_value_sources` (activities from the core, won deals from sales, ...), unioned in
one query; money is converted into the report's currency at each event's day (crm.Conversion), and an event whose
amount has no rate still counts for recency and frequency but not for monetary value (it is listed as unconverted).
Recency and frequency are scored 1 to 5 by quintile among the customers that had any event in the window, and segments come from that R x F grid (the usual RFM segment map); monetary value is reported per
segment. Customers without any event in the window are `inactive`. Everything is aggregated by the database: the
server only receives one row per segment, or one row per flagged customer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, select, type_coerce, union_all

from crm.customers.models import Customer
from crm.models import Money
from crm.money.conversion import money_raw
from crm.sqlfuncs import utc_date

SEGMENTS = {
    "champions": "Bought or engaged recently and often, and are worth the most.",
    "loyal": "Engage often; recency is fine.",
    "new": "First events recently; not yet frequent.",
    "promising": "Recent, with room to grow.",
    "at_risk": "Used to engage often, but not lately.",
    "hibernating": "Rare and not recent.",
    "inactive": "No event at all in the window.",
}


def _columns(stmt):
    cols = stmt.selected_columns
    return cols, "currency" in cols.keys()


def events(runtime, access, conv):
    """Every value source the caller may read, as one (customer_id, occurred_at, amount) subquery with amounts in
    ten-thousandths of the report's currency (NULL when no rate converts one); None if there are no sources."""
    selects = []
    for source in runtime.value_sources:
        stmt = source.select(access)
        cols, has_currency = _columns(stmt)
        if not has_currency:  # no money, or money in the reporting currency: nothing to convert
            selects.append(stmt.with_only_columns(cols.customer_id, cols.occurred_at, money_raw(cols.amount).label("amount")))
            continue
        src = stmt.subquery()
        fx = conv.at(src.c.currency, utc_date(src.c.occurred_at))
        selects.append(fx.join(select(src.c.customer_id, src.c.occurred_at, fx.amount(money_raw(src.c.amount)).label("amount"))))
    if not selects:
        return None
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("events")


def unconverted_rows(runtime, access, conv, start: datetime, end: datetime):
    """Money events in [start, end) of readable customers that no rate converts, per currency; None if none can be."""
    selects = []
    for source in runtime.value_sources:
        stmt = source.select(access)
        if _columns(stmt)[1]:
            src = stmt.subquery()
            fx = conv.at(src.c.currency, utc_date(src.c.occurred_at))
            selects.append(fx.join(select(src.c.customer_id, src.c.currency, money_raw(src.c.amount).label("amount")))
                           .where(fx.missing, src.c.occurred_at >= start, src.c.occurred_at < end))
    if not selects:
        return None
    ev = (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("left_out")
    return (select(ev.c.currency, func.count(), func.sum(ev.c.amount))
            .join(Customer, Customer.id == ev.c.customer_id)
            .where(Customer.deleted_at.is_(None), access.filter(Customer, "customer")).group_by(ev.c.currency))


def _per_customer(ev, access, start: datetime, end: datetime):
    return (
        select(
            ev.c.customer_id.label("customer_id"),
            func.max(ev.c.occurred_at).label("last_at"),
            func.count().label("frequency"),
            type_coerce(func.coalesce(func.sum(ev.c.amount), 0), Money()).label("monetary"),
        )
        .join(Customer, Customer.id == ev.c.customer_id)
        .where(Customer.deleted_at.is_(None), access.filter(Customer, "customer"), ev.c.occurred_at >= start, ev.c.occurred_at < end)
        .group_by(ev.c.customer_id)
        .subquery("per_customer")
    )


def _quintile(cume_dist):
    """1 to 5 from a cumulative distribution in (0, 1]."""
    return case(*((cume_dist <= q / 5, q) for q in range(1, 5)), else_=5)


def _segments(per):
    """Each scored customer of `per` (customer_id, last_at, frequency, ...) with its segment: recency and frequency
    scored 1 to 5 by quintile (from the cumulative distribution, so equal values always get equal scores)."""
    scored = select(
        *per.c,
        _quintile(func.cume_dist().over(order_by=per.c.last_at)).label("r"),
        _quintile(func.cume_dist().over(order_by=per.c.frequency)).label("f"),
    ).subquery("scored")
    segment = case(
        (and_(scored.c.r >= 4, scored.c.f >= 4), literal("champions")),
        (and_(scored.c.r >= 3, scored.c.f >= 4), literal("loyal")),
        (and_(scored.c.r >= 4, scored.c.f <= 2), literal("new")),
        (scored.c.r >= 3, literal("promising")),
        (scored.c.f >= 3, literal("at_risk")),
        else_=literal("hibernating"),
    )
    return select(*scored.c, segment.label("segment")).subquery("labelled")


def segment_rows(runtime, access, conv, as_of: datetime, window_days: int):
    """One select: segment, customers, total frequency, total monetary, per segment of scored customers."""
    ev = events(runtime, access, conv)
    if ev is None:
        return None
    labelled = _segments(_per_customer(ev, access, as_of - timedelta(days=window_days), as_of))
    return select(
        labelled.c.segment, func.count().label("customers"), func.sum(labelled.c.frequency).label("events"),
        type_coerce(func.coalesce(func.sum(labelled.c.monetary), 0), Money()).label("monetary"),
    ).group_by(labelled.c.segment)


def _event_times(runtime, access):
    """(customer_id, occurred_at) of every value source, with no money and so no conversion."""
    selects = []
    for source in runtime.value_sources:
        cols = source.select(access).selected_columns
        selects.append(source.select(access).with_only_columns(cols.customer_id, cols.occurred_at))
    if not selects:
        return None
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("events")


def segment_members(runtime, access, as_of: datetime, window_days: int, segment: str):
    """The ids of the customers in `segment` (one of SEGMENTS), scored as `segment_rows` scores them; money plays no
    part in a segment, so nothing is converted. `inactive`: customers without any event in the window."""
    ev = _event_times(runtime, access)
    if ev is None:
        return select(Customer.id) if segment == "inactive" else select(Customer.id).where(literal(False))
    start = as_of - timedelta(days=window_days)
    per = (select(ev.c.customer_id.label("customer_id"), func.max(ev.c.occurred_at).label("last_at"), func.count().label("frequency"))
           .join(Customer, Customer.id == ev.c.customer_id)
           .where(Customer.deleted_at.is_(None), access.filter(Customer, "customer"), ev.c.occurred_at >= start, ev.c.occurred_at < as_of)
           .group_by(ev.c.customer_id).subquery("per_customer"))
    if segment == "inactive":
        return select(Customer.id).where(Customer.id.not_in(select(per.c.customer_id)))
    labelled = _segments(per)
    return select(labelled.c.customer_id).where(labelled.c.segment == segment)


def visible_customers(access):
    return select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None), access.filter(Customer, "customer"))


# churnRisk's defaults, which the customer filter's `churnRisk` uses: recent days, baseline days, events at least, threshold.
CHURN_DEFAULTS = (90, 270, 3, 0.5)


def churn_rows(runtime, access, as_of: datetime, recent_days: int, baseline_days: int, min_events: int, threshold: float,
               members: bool = False):
    """Customers whose events in the last `recent_days` fell below `threshold` times their usual rate, measured over
    the `baseline_days` before; biggest drop first (with `members`, only their ids). Only events count, not money."""
    ev = _event_times(runtime, access)
    if ev is None:
        return None
    split = as_of - timedelta(days=recent_days)
    start = split - timedelta(days=baseline_days)
    recent = func.sum(case((ev.c.occurred_at >= split, 1), else_=0))
    before = func.sum(case((ev.c.occurred_at < split, 1), else_=0))
    periods = baseline_days / recent_days
    expected = before / periods
    per = (
        select(
            ev.c.customer_id.label("customer_id"), recent.label("recent"), before.label("before"),
            func.max(ev.c.occurred_at).label("last_at"),
        )
        .join(Customer, Customer.id == ev.c.customer_id)
        .where(Customer.deleted_at.is_(None), access.filter(Customer, "customer"), ev.c.occurred_at >= start, ev.c.occurred_at < as_of)
        .group_by(ev.c.customer_id)
        .having(and_(before >= min_events, recent < expected * threshold))
        .subquery("churn")
    )
    if members:
        return select(per.c.customer_id)
    drop = 1 - per.c.recent * periods / per.c.before
    return select(Customer, per.c.recent, per.c.before, per.c.last_at, drop.label("drop")).join(per, per.c.customer_id == Customer.id).order_by(
        drop.desc(), Customer.id
    )
