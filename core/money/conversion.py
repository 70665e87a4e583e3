"""Amounts of any currency in one currency, at each row's date: in SQL for reports, in Python for single records.

Which date converts is the caller's choice, documented where it is made: sales converts a won deal at its close
date, an open deal at its expected close date, an order at its confirmation. A date after today converts at today's
rate (no one knows tomorrow's), and a row with no rate on or before its date is *unconverted*: reports list such
rows under `unconverted` and leave them out of their totals, never silently.

In SQL the rates become a small table with one row per currency and day (a recursive CTE over the rate table: a few
thousand rows for years of rates), and each row's amount is converted before it is summed (`conv.at(currency, day)`).
SQLite joins that table by (currency, day); it materialises and indexes it by itself. PostgreSQL reads it first, one
array of factors per currency (`Conversion.for_request`), and gets the arrays back as parameters of the report: a
row's factor is `CASE currency WHEN 'USD' THEN $usd[day - $first + 1] ...`. What that replaced, measured on the
forecast's won half at 1M deals (docs/benchmarks.md): joining the per-day CTE (PostgreSQL cannot size a recursive CTE
and sorted every deal, or hashed badly: 0.8-2.3 s); grouping by day first and converting the groups (groups are
nearly as many as deals per owner and day); the arrays joined by currency (a sort carried 8 KB with every row, and a
CTE keeps the query out of parallel workers). Now the won half takes 0.54 s, the same sums unconverted 0.36 s.
A factor is a double on both databases and each converted amount is rounded to a whole ten-thousandth (the Money
precision) before it is summed, so sums are exact integers and the two databases agree. Group by the row's
currency, not by whether it converts, so that the planner knows how few groups there are.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, Float, String, and_, case, cast, func, literal, select, type_coerce, union_all
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.sql.elements import Grouping

from crm.models import utcnow
from crm.money.currencies import round_money
from crm.money.models import ExchangeRate
from crm.sqlfuncs import next_day

UNIT = Decimal(10_000)


def money_raw(column):
    """A Money column as what is stored (whole ten-thousandths), for exact sums: `func.sum(crm.money_raw(Deal.amount))`."""
    return type_coerce(column, BigInteger)


def raw_to_money(raw) -> Decimal:
    """A sum of stored Money (ten-thousandths; an int, a Decimal or, from SQLite, a float) as an exact Decimal."""
    if not raw:
        return Decimal(0)
    whole = Decimal(raw).to_integral_value(ROUND_HALF_EVEN)  # a float from SQLite holds an integer exactly below 2**53
    return (whole / UNIT).quantize(Decimal("0.0001")).normalize()


def _subscriptable(array):
    """An array parameter in parentheses, so that PostgreSQL accepts a subscript after its cast: ($1::FLOAT[])[i]."""
    return type_coerce(Grouping(array), ARRAY(Float))


class Conversion:
    """Converts amounts into `target` (the reporting currency unless given) in SQL, at each row's date. Another
    currency than the reporting one is reached through the reporting currency, at the same date. Build it with
    `Conversion.for_request(ctx, target)` so that it uses the database's fastest form.

        fx = conv.at(Deal.currency, crm.utc_date(Deal.closed_at))     # the rate of each row's day (today's if later)
        raw = crm.money_raw(Deal.amount)
        deals = fx.rows(select(Deal.owner_id, Deal.currency, fx.amount(raw).label("won"), *fx.flags(raw, "won")).where(...))
        stmt = select(deals.c.owner_id, deals.c.currency, func.sum(deals.c.won), func.count(),
                      func.sum(deals.c.missing), func.sum(deals.c.missing_won)).group_by(deals.c.owner_id, deals.c.currency)
        # per owner and currency: the converted sum (rows without a rate are NULL, which SUM skips), how many had
        # no rate and what they amount to in that currency

    A few rows (one customer's deals) may use `fx.join(stmt)` and aggregate directly. Built without `for_request`
    (or on SQLite) it joins the per-day table on either database.
    """

    def __init__(self, reporting: str, target: str | None = None, today: date | None = None, *, dialect: str = "sqlite"):
        self.reporting = reporting
        self.target = target or reporting
        self.today = today or utcnow().date()
        self.dialect = dialect
        self.factors = self._factors()
        self.arrays: dict[str, tuple[date, list[float]]] | None = None  # PostgreSQL: loaded by `for_request`

    @classmethod
    async def for_request(cls, ctx, target: str | None = None) -> Conversion:
        """Into `target` (default: the reporting currency), in the form that suits the request's database: on
        PostgreSQL the factors are read first (one small query) and sent with the report as array parameters."""
        conv = cls(ctx.settings.currency, target, dialect=ctx.db.dialect)
        if conv.dialect == "postgresql":
            async with ctx.db.read() as session:
                rows = (await session.execute(select(conv._factor_arrays()))).all()
            conv.arrays = {currency: (first, list(factors)) for currency, first, factors in rows}
        return conv

    def _days(self):
        """(currency, day, rate) for every day from a currency's first rate to today."""
        r = ExchangeRate
        following = func.lead(r.valid_from).over(partition_by=r.currency, order_by=r.valid_from)
        spans = select(
            r.currency.label("currency"), r.valid_from.label("day"),
            func.coalesce(following, literal(self.today + timedelta(days=1), Date)).label("until"),
            cast(r.rate, Float).label("rate"),  # exact decimal text on SQLite, numeric on PostgreSQL
        ).where(r.base == self.reporting, r.deleted_at.is_(None), r.valid_from <= self.today).subquery("fx_spans")
        days = select(spans.c.currency, spans.c.day, spans.c.until, spans.c.rate).cte("fx_days", recursive=True)
        step = days.alias("fx_step")
        return days.union_all(
            select(step.c.currency, next_day(step.c.day), step.c.until, step.c.rate).where(next_day(step.c.day) < step.c.until))

    def _factors(self):
        """(currency, day, factor): an amount in `currency` on `day` times `factor` is the amount in the target. The days
        of each currency are consecutive, from its first rate (and the target's) to today."""
        days = self._days()
        if self.target == self.reporting:
            return select(days.c.currency, days.c.day, (literal(1.0, Float) / days.c.rate).label("factor")).cte("fx")
        row, target = days.alias("fx_row"), days.alias("fx_target")
        through = (select(row.c.currency, row.c.day, (target.c.rate / row.c.rate).label("factor"))
                   .join(target, and_(target.c.day == row.c.day, target.c.currency == self.target))
                   .where(row.c.currency != self.target))
        reporting = select(literal(self.reporting, String(3)).label("currency"), target.c.day, target.c.rate.label("factor")).where(
            target.c.currency == self.target)
        return union_all(through, reporting).cte("fx")

    def _factor_arrays(self):
        """PostgreSQL: (currency, first_day, factors) with `factors[day - first_day + 1]` the factor of `day`."""
        f = self.factors
        return select(f.c.currency, func.min(f.c.day).label("first_day"),
                      func.array_agg(aggregate_order_by(f.c.factor, f.c.day)).label("factors")).group_by(f.c.currency).subquery()

    def on_day(self, day):
        """The day a row converts at: its own; today when that is later or unknown."""
        today = literal(self.today, Date)
        return func.coalesce(case((day > today, today), else_=day), today)

    def at(self, currency, day) -> Rated:
        """The rate of each row of a select: its `currency` at `day` (today's when later or unknown)."""
        on = self.on_day(day)
        if self.arrays is not None:  # no join: the statement stays parallel-safe (a CTE would keep it in one process)
            branches = [(currency == code, _subscriptable(literal(factors, ARRAY(Float)))[on - literal(first, Date) + 1])
                        for code, (first, factors) in sorted(self.arrays.items())]
            factor = case(*branches, else_=literal(None, Float)) if branches else literal(None, Float)
            return Rated(self.target, currency, factor, None, None)
        days = self.factors.alias()
        return Rated(self.target, currency, days.c.factor, days, and_(days.c.currency == currency, days.c.day == on))


@dataclasses.dataclass(frozen=True)
class Rated:
    """A currency column with its rate at each row's day (`Conversion.at`). Add the rate with `join(stmt)`."""

    target: str
    currency: Any
    factor: Any
    rates: Any
    on: Any

    def join(self, stmt):
        """`stmt` with each row's rate (an outer join: a row without one stays, and counts as unconverted)."""
        return stmt if self.rates is None else stmt.outerjoin(self.rates, self.on)

    def amount(self, raw):
        """`raw` ten-thousandths of the row's currency in ten-thousandths of the target, rounded; NULL without a rate."""
        return case((self.currency == self.target, raw), else_=cast(func.round(raw * self.factor), BigInteger))

    @functools.cached_property
    def missing(self):
        """True for a row that has no rate to convert it."""
        return and_(self.currency != self.target, self.factor.is_(None))

    def flags(self, raw, name: str) -> list:
        """Per-row columns for `rows`: `missing` (1 when no rate converts the row, else 0) and `missing_<name>` (its
        `raw` amount in its own currency when missing, else 0). Sum them outside to list what was left out."""
        return [case((self.missing, 1), else_=0).label("missing"), case((self.missing, raw), else_=0).label(f"missing_{name}")]

    def rows(self, stmt):
        """`stmt` (a select of per-row columns: keys, `amount(...)`s, `flags(...)`) with the rate joined, as a subquery
        to group and sum outside."""
        return self.join(stmt).subquery()


@dataclasses.dataclass
class Unconverted:
    """What a report left out for want of a rate, per currency: a count and the amount in that currency."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    raws: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, currency: str, count: int, raw) -> None:
        self.counts[currency] = self.counts.get(currency, 0) + int(count or 0)
        self.raws[currency] = self.raws.get(currency, 0) + int(Decimal(raw or 0).to_integral_value(ROUND_HALF_EVEN))

    def items(self) -> list[tuple[str, int, Decimal]]:
        return [(c, self.counts[c], raw_to_money(self.raws[c])) for c in sorted(self.counts) if self.counts[c]]


class RateBook:
    """The reporting currency's rates, loaded once per request (the table is small), to convert single amounts."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.reporting = ctx.settings.currency
        self.today = utcnow().date()

    def _loader(self):
        reporting, today, ctx = self.reporting, self.today, self.ctx

        async def load(currencies):
            r = ExchangeRate
            stmt = (select(r.currency, r.valid_from, r.rate)
                    .where(r.base == reporting, r.currency.in_(currencies), r.deleted_at.is_(None), r.valid_from <= today)
                    .order_by(r.currency, r.valid_from))
            found: dict[str, tuple[list, list]] = {c: ([], []) for c in currencies}
            async with ctx.db.read() as session:
                for currency, day, rate in (await session.execute(stmt)).all():
                    found[currency][0].append(day)
                    found[currency][1].append(rate)
            return [found[c] for c in currencies]

        return ctx.loader("money.rates", load)

    async def rate(self, currency: str, day: date | None) -> Decimal | None:
        """Units of `currency` per unit of the reporting currency on `day` (today's when later or unknown)."""
        if currency == self.reporting:
            return Decimal(1)
        day = min(day or self.today, self.today)
        days, rates = await self._loader().load(currency)
        at = bisect.bisect_right(days, day)
        return rates[at - 1] if at else None

    async def convert(self, amount: Decimal, currency: str, day: date | None, to: str | None = None) -> Decimal | None:
        """`amount` of `currency` in `to` (the reporting currency unless given) at `day`, rounded to `to`'s
        smallest unit; None when a rate is missing."""
        to = to or self.reporting
        if currency == to:
            return amount
        source, target = await self.rate(currency, day), await self.rate(to, day)
        if source is None or target is None:
            return None
        return round_money(amount / source * target, to)


class SessionRates(RateBook):
    """Rates read in a session that has no request around it (an event listener, a job): one query per rate."""

    def __init__(self, session, reporting: str):
        self.session = session
        self.reporting = reporting
        self.today = utcnow().date()

    async def rate(self, currency: str, day: date | None) -> Decimal | None:
        if currency == self.reporting:
            return Decimal(1)
        r = ExchangeRate
        day = min(day or self.today, self.today)
        return await self.session.scalar(select(r.rate).where(r.base == self.reporting, r.currency == currency, r.deleted_at.is_(None),
                                                              r.valid_from <= day).order_by(r.valid_from.desc()).limit(1))


async def convert_in(session, amount: Decimal | None, currency: str, day: date | None = None, to: str | None = None) -> Decimal | None:
    """`crm.convert_amount` for code with a transaction but no request (a `crm_on_*` listener, a job): `amount` in the
    reporting currency (or `to`) at `day`, read in `session`, whose `info["runtime"]` names the reporting currency
    (crm.mutation's sessions carry it; a job sets it). None without a rate."""
    runtime = session.info.get("runtime")
    if runtime is None:
        raise RuntimeError("crm.convert_in needs a session whose info carries the runtime (set session.info['runtime'] in a job)")
    if amount is None:
        return None
    return await SessionRates(session, runtime.settings.currency).convert(amount, currency, day, to)


async def convert_amount(ctx, amount: Decimal | None, currency: str, day: date | None, to: str | None = None) -> Decimal | None:
    """One amount in the reporting currency (or `to`), at `day`: for fields such as `amountInReportingCurrency`.
    Rates are read once per request however many records ask."""
    if amount is None:
        return None
    return await RateBook(ctx).convert(amount, currency, day, to)  # the rates themselves are cached in the request's loader


async def exchange_rate(ctx, currency: str, day: date | None) -> Decimal | None:
    """Units of `currency` per unit of the reporting currency on `day` (1 for the reporting currency; None without a
    rate): to convert many sums of one currency at one day, divide each by it. Public as `crm.exchange_rate`."""
    return await RateBook(ctx).rate(currency, day)

