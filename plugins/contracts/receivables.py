"""Receivables as of a day, in SQL on both databases, in the reporting currency (every amount at that day's rate).

Per installment of a signed contract (active, expired or terminated) one grouped statement sums what was due by the day,
what payments received by then paid of it (the sum each installment keeps, less what allocations received after the
day added), what is outstanding, overdue and in which ageing bucket (days past due: 1-30, 31-60, 61-90,
over 90; buckets are date ranges, so no date arithmetic runs per row), and what fell due in the 90 days before (the
sales DSO divides by), per group and currency; each currency's sums then convert at the day's rate. One more grouped
statement gives order-to-cash: the days from signing to the day the whole plan was paid (kept on the contract).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Float, cast, func, select

import crm
from crm.plugins.contracts.models import Contract, Installment, PaymentAllocation

SIGNED = ("active", "expired", "terminated")
DSO_DAYS = 90
COLUMNS = ("due", "received", "outstanding", "overdue", "days_0_30", "days_31_60", "days_61_90", "days_over_90", "billed_90")


@dataclasses.dataclass
class Row:
    key: str
    due: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    outstanding: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    days_0_30: Decimal = Decimal(0)
    days_31_60: Decimal = Decimal(0)
    days_61_90: Decimal = Decimal(0)
    days_over_90: Decimal = Decimal(0)
    billed_90: Decimal = Decimal(0)
    cash_days: float = 0.0  # days from the cash clock's start to settlement, summed over `settled` contracts
    settled: int = 0

    @property
    def order_to_cash_days(self) -> float | None:
        return round(self.cash_days / self.settled, 1) if self.settled else None

    @property
    def dso(self) -> float | None:
        """Days sales outstanding: what is owed now over what fell due in the last 90 days, times 90."""
        return round(float(self.outstanding / self.billed_90 * DSO_DAYS), 1) if self.billed_90 else None


def _key(group: str):
    if group == "PERIOD":  # by day (a plain column, cheap to group), summed into months afterwards
        return Installment.due_date
    if group == "OWNER":
        return Contract.owner_id
    if group == "CUSTOMER":
        return Contract.customer_id
    return crm.TeamMember.team_id


def _label(group: str, value) -> str:
    return crm.period_label("MONTH", value) if group == "PERIOD" else str(value)


def _scoped(stmt, access, group: str):
    stmt = stmt.where(Contract.deleted_at.is_(None), Contract.status.in_(SIGNED), access.filter(Contract, "payment"))
    if group == "TEAM":  # an owner in two teams counts in both (docs/api.md)
        stmt = stmt.join(crm.TeamMember, crm.TeamMember.user_id == Contract.owner_id)
    return stmt


async def receivables(ctx, session, as_of: date, group: str) -> tuple[list[Row], crm.Unconverted]:
    raw = crm.money_raw
    amount = raw(Installment.amount)
    received = raw(Installment.paid)  # every payment so far: the installment keeps the sum
    source = select().select_from(Installment)
    if as_of < crm.utcnow().date():  # less what came in after the day (an index range of recent allocations, not all)
        since = (select(PaymentAllocation.installment_id, func.sum(raw(PaymentAllocation.amount)).label("since"))
                 .where(PaymentAllocation.received_on > as_of).group_by(PaymentAllocation.installment_id).subquery())
        received = received - func.coalesce(since.c.since, 0)
        source = source.outerjoin(since, since.c.installment_id == Installment.id)
    left = amount - received
    due = Installment.due_date
    past_due, owed = due < as_of, due <= as_of
    # Each figure a filtered sum over one scan (date ranges, no date arithmetic per row), grouped only by the report's
    # key and currency: a key the planner can count, so it aggregates in a hash table instead of sorting every row.
    # Summed as doubles: a sum of whole numbers is exact in a double below 2^53 (900 billion units of a currency per
    # group, ten-thousandths included), and a double sum runs several times faster than PostgreSQL's numeric one.
    figures = {"due": (amount, owed), "received": (received, None), "outstanding": (left, owed), "overdue": (left, past_due),
               "days_0_30": (left, past_due & (due >= as_of - timedelta(days=30))),
               "days_31_60": (left, (due < as_of - timedelta(days=30)) & (due >= as_of - timedelta(days=60))),
               "days_61_90": (left, (due < as_of - timedelta(days=60)) & (due >= as_of - timedelta(days=90))),
               "days_over_90": (left, due < as_of - timedelta(days=90)),
               "billed_90": (amount, owed & (due > as_of - timedelta(days=DSO_DAYS)))}
    if group == "PERIOD":
        # Grouped by the due day, every figure is a function of the day and the day's two sums: summed in SQL, the
        # figures are made here (3 aggregates per row instead of 10 filtered ones: 0.81 s became 0.59 s at 3.6M installments).
        sums = [func.sum(cast(amount, Float)), func.sum(cast(received, Float)), func.count()]
    else:
        sums = [func.sum(cast(value, Float)) if when is None else func.sum(cast(value, Float)).filter(when) for value, when in figures.values()]
        sums.append(func.count().filter(owed))
    stmt = _scoped(source.add_columns(_key(group).label("key"), Contract.currency, *sums)
                   .join(Contract, Contract.id == Installment.contract_id), ctx.access, group)
    found = (await session.execute(stmt.group_by(_key(group), Contract.currency))).all()
    if group == "PERIOD":
        found = [(day, currency, *_day_figures(day, due_sum, received_sum, count, as_of)) for day, currency, due_sum, received_sum, count in found]
    out: dict[str, Row] = {}
    unconverted = crm.Unconverted()
    rates: dict[str, Decimal | None] = {}
    for key, currency, *values, count in found:
        rate = rates[currency] if currency in rates else rates.setdefault(currency, await crm.exchange_rate(ctx, currency, as_of))
        if rate is None:  # no rate: what was due, in its own currency
            unconverted.add(currency, count, values[0] or 0)
            continue
        row = out.setdefault(_label(group, key), Row(_label(group, key)))
        for name, value in zip(figures, values):
            setattr(row, name, getattr(row, name) + crm.raw_to_money(value) / rate)
    await _order_to_cash(ctx, session, as_of, group, out)
    rounded = [dataclasses.replace(r, **{n: crm.round_money(getattr(r, n), ctx.settings.currency) for n in COLUMNS}) for r in out.values()]
    return sorted(rounded, key=lambda r: r.key), unconverted


def _day_figures(day: date, amount: float, received: float, count: int, as_of: date) -> list:
    """The figures of `COLUMNS` (then the count of installments owed) of the installments due on `day`, from their
    sums: what `receivables` sums with filters per installment, for a whole day at once."""
    owed, late, left = day <= as_of, day < as_of, amount - received
    return [amount if owed else 0, received, left if owed else 0, left if late else 0,
            left if late and day >= as_of - timedelta(days=30) else 0,
            left if as_of - timedelta(days=60) <= day < as_of - timedelta(days=30) else 0,
            left if as_of - timedelta(days=90) <= day < as_of - timedelta(days=60) else 0,
            left if day < as_of - timedelta(days=90) else 0,
            amount if owed and day > as_of - timedelta(days=DSO_DAYS) else 0,
            count if owed else 0]


async def _order_to_cash(ctx, session, as_of: date, group: str, out: dict[str, Row]) -> None:
    """Days from the start of the cash clock (signing, or the order's confirmation with sales: `cash_from`) to the payment
    that settled the whole plan (`settled_on`, kept by each payment), per group, for contracts settled by `as_of`."""
    start = func.coalesce(Contract.cash_from, Contract.signed_on)
    key = Contract.settled_on if group == "PERIOD" else _key(group)
    stmt = (select(key.label("key"), func.sum(crm.days_after(Contract.settled_on, start)), func.count())
            .where(Contract.settled_on <= as_of, start.is_not(None)))
    for key, days, count in (await session.execute(_scoped(stmt, ctx.access, group).group_by(key))).all():
        row = out.setdefault(_label(group, key), Row(_label(group, key)))
        row.cash_days += float(days)
        row.settled += int(count)
