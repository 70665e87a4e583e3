"""Receivables as of a day, in SQL on both databases, in the reporting currency (every amount at that day's rate).

Per installment of a signed contract (active, expired or terminated) the statement computes what was due by the day,
what payments received by then paid of it, what is outstanding, overdue and in which ageing bucket (days past due:
1-30, 31-60, 61-90, over 90; buckets are date ranges, so no date arithmetic runs per row), and what fell due in the 90
days before (the sales DSO divides by). One more grouped statement gives order-to-cash: the days from signing to the
payment that settled a contract's whole plan, for contracts settled by the day.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, select

import crm
from crm.plugins.contracts.models import Contract, Installment, Payment, PaymentAllocation

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
    order_to_cash_days: float | None = None
    settled: int = 0

    @property
    def dso(self) -> float | None:
        """Days sales outstanding: what is owed now over what fell due in the last 90 days, times 90."""
        return round(float(self.outstanding / self.billed_90 * DSO_DAYS), 1) if self.billed_90 else None


def _key(group: str):
    if group == "PERIOD":
        return crm.period_start("MONTH", Installment.due_date)
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
    paid = (select(PaymentAllocation.installment_id, func.sum(raw(PaymentAllocation.amount)).label("paid"))
            .join(Payment, Payment.id == PaymentAllocation.payment_id).where(Payment.received_on <= as_of)
            .group_by(PaymentAllocation.installment_id).subquery())
    conv = await crm.Conversion.for_request(ctx)
    fx = conv.at(Contract.currency, literal(as_of))
    amount, received = raw(Installment.amount), func.coalesce(paid.c.paid, 0)
    left = amount - received
    due = Installment.due_date
    bucket = {"days_0_30": and_(due < as_of, due >= as_of - timedelta(days=30)),
              "days_31_60": and_(due < as_of - timedelta(days=30), due >= as_of - timedelta(days=60)),
              "days_61_90": and_(due < as_of - timedelta(days=60), due >= as_of - timedelta(days=90)),
              "days_over_90": due < as_of - timedelta(days=90)}
    values = {"due": case((due <= as_of, amount), else_=0), "received": received,
              "outstanding": case((due <= as_of, left), else_=0), "overdue": case((due < as_of, left), else_=0),
              **{name: case((when, left), else_=0) for name, when in bucket.items()},
              "billed_90": case((and_(due <= as_of, due > as_of - timedelta(days=DSO_DAYS)), amount), else_=0)}
    stmt = select(_key(group).label("key"), Contract.currency, *[fx.amount(v).label(n) for n, v in values.items()], *fx.flags(amount, "amount"))
    stmt = _scoped(stmt.select_from(Installment).join(Contract, Contract.id == Installment.contract_id)
                   .outerjoin(paid, paid.c.installment_id == Installment.id), ctx.access, group)
    rows = fx.rows(stmt)
    summed = select(rows.c.key, rows.c.currency, *[func.sum(rows.c[n]) for n in COLUMNS], func.sum(rows.c.missing),
                    func.sum(rows.c.missing_amount)).group_by(rows.c.key, rows.c.currency)
    out: dict[str, Row] = {}
    unconverted = crm.Unconverted()
    for key, currency, *sums, missing, missing_raw in (await session.execute(summed)).all():
        row = out.setdefault(_label(group, key), Row(_label(group, key)))
        for name, value in zip(COLUMNS, sums):
            setattr(row, name, getattr(row, name) + crm.raw_to_money(value))
        if missing:
            unconverted.add(currency, missing, missing_raw)
    await _order_to_cash(ctx, session, as_of, group, out)
    rounded = [dataclasses.replace(r, **{n: crm.round_money(getattr(r, n), ctx.settings.currency) for n in COLUMNS}) for r in out.values()]
    return sorted(rounded, key=lambda r: r.key), unconverted


async def _order_to_cash(ctx, session, as_of: date, group: str, out: dict[str, Row]) -> None:
    """Average days from signing to the payment that settled the whole plan, per group, for contracts settled by `as_of`."""
    raw = crm.money_raw
    plan = select(Installment.contract_id, func.sum(raw(Installment.amount)).label("plan")).group_by(Installment.contract_id).subquery()
    paid = (select(Payment.contract_id, func.sum(raw(Payment.amount) - raw(Payment.credit)).label("paid"), func.max(Payment.received_on).label("last"))
            .where(Payment.received_on <= as_of).group_by(Payment.contract_id).subquery())
    key = crm.period_start("MONTH", paid.c.last) if group == "PERIOD" else _key(group)
    stmt = (select(key.label("key"), func.avg(crm.days_after(paid.c.last, Contract.signed_on)), func.count())
            .select_from(Contract).join(plan, plan.c.contract_id == Contract.id).join(paid, paid.c.contract_id == Contract.id)
            .where(paid.c.paid >= plan.c.plan, plan.c.plan > 0, Contract.signed_on.is_not(None)))
    for key, days, count in (await session.execute(_scoped(stmt, ctx.access, group).group_by(key))).all():
        row = out.setdefault(_label(group, key), Row(_label(group, key)))
        row.order_to_cash_days, row.settled = round(float(days), 1), int(count)
