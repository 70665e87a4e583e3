"""Amounts of any currency in one currency, at each row's date: in SQL for reports, in Python for single records.

Which date converts is the caller's choice, documented where it is made: sales converts a won deal at its close
date, an open deal at its expected close date, an order at its confirmation. A date after today converts at today's
rate (no one knows tomorrow's), and a row with no rate on or before its date is *unconverted*: reports list such
rows under `unconverted` and leave them out of their totals, never silently.

In SQL the rates become a small table with one row per currency and day (a recursive CTE over the rate table: a few
thousand rows for years of rates) joined by equality. Over most of a large table, group first and convert the
groups (`by_day` and `totals`): rows in the target currency need no rate and collapse into one group per key, the
others into one per key, currency and day, and only those few rows meet the rates. Joining a million deals to the
rates directly made PostgreSQL sort them all (it cannot know how small the CTE is): the forecast's won half took
1.05 s against 0.59 s grouped first. Each converted amount (a row's or a group's) is rounded to a ten-thousandth
(the Money precision) before it is summed, so sums are exact integers and the two databases agree.
"""

from __future__ import annotations

import bisect
import dataclasses
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import BigInteger, Date, String, and_, case, func, literal, literal_column, select, type_coerce, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

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


class _rate_value(FunctionElement):  # noqa: N801
    """A stored rate as a number for arithmetic: numeric on PostgreSQL, a float on SQLite (stored as exact text)."""

    inherit_cache = True
    name = "rate_value"


@compiles(_rate_value)
def _rate_value_default(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(_rate_value, "sqlite")
def _rate_value_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS REAL)"


class Conversion:
    """Converts amounts into `target` (the reporting currency unless given) in SQL, at each row's date. Another
    currency than the reporting one is reached through the reporting currency, at the same date.

    A few rows (one customer's deals):

        stmt = conv.join(select(...), Deal.currency, crm.utc_date(Deal.closed_at))
        total = func.sum(conv.amount(crm.money_raw(Deal.amount), Deal.currency))   # NULL: no rate
        left_out = conv.unconverted(Deal.currency)                                  # group by it as well

    Most of a large table: group by the keys and `conv.by_day(...)` with raw sums, then let `conv.totals` convert:

        day = conv.by_day(Deal.currency, crm.utc_date(Deal.closed_at))
        inner = select(Deal.owner_id.label("owner"), *day, func.sum(raw).label("won"), func.count().label("n"))
                    .where(...).group_by(Deal.owner_id, *conv.grouping(day)).subquery()
        rows = conv.totals(inner, keys=["owner"], money=["won"], counts=["n"])
        # each row: owner, unconverted (a currency code, or None), won (converted), n, raw_won (as summed)
    """

    def __init__(self, reporting: str, target: str | None = None, today: date | None = None):
        self.reporting = reporting
        self.target = target or reporting
        self.today = today or utcnow().date()
        self.factors = self._factors()

    def _days(self):
        """(currency, day, rate) for every day from a currency's first rate to today."""
        r = ExchangeRate
        following = func.lead(r.valid_from).over(partition_by=r.currency, order_by=r.valid_from)
        spans = select(
            r.currency.label("currency"), r.valid_from.label("day"),
            func.coalesce(following, literal(self.today + timedelta(days=1), Date)).label("until"),
            _rate_value(r.rate).label("rate"),
        ).where(r.base == self.reporting, r.deleted_at.is_(None), r.valid_from <= self.today).subquery("fx_spans")
        days = select(spans.c.currency, spans.c.day, spans.c.until, spans.c.rate).cte("fx_days", recursive=True)
        step = days.alias("fx_step")
        return days.union_all(
            select(step.c.currency, next_day(step.c.day), step.c.until, step.c.rate).where(next_day(step.c.day) < step.c.until))

    def _factors(self):
        """(currency, day, factor): an amount in `currency` on `day` times `factor` is the amount in the target."""
        days = self._days()
        if self.target == self.reporting:
            return select(days.c.currency, days.c.day, (literal_column("1.0") / days.c.rate).label("factor")).cte("fx")
        row, target = days.alias("fx_row"), days.alias("fx_target")
        through = (select(row.c.currency, row.c.day, (target.c.rate / row.c.rate).label("factor"))
                   .join(target, and_(target.c.day == row.c.day, target.c.currency == self.target))
                   .where(row.c.currency != self.target))
        reporting = select(literal(self.reporting, String(3)).label("currency"), target.c.day, target.c.rate.label("factor")).where(
            target.c.currency == self.target)
        return union_all(through, reporting).cte("fx")

    def on_day(self, day):
        """The day a row converts at: its own; today when that is later or unknown."""
        today = literal(self.today, Date)
        return func.coalesce(case((day > today, today), else_=day), today)

    def join(self, stmt, currency, day, *, clamp: bool = True):
        """`stmt` with each row's rate joined (an outer join: rows without one stay, and count as unconverted)."""
        on = self.on_day(day) if clamp else day
        return stmt.outerjoin(self.factors, and_(self.factors.c.currency == currency, self.factors.c.day == on))

    def by_day(self, currency, day) -> list:
        """Two labelled columns for an inner select, `currency` and `day`, to group by (`grouping`) before converting:
        the day whose rate applies, or NULL in the target currency, whose rows need no rate and so collapse."""
        return [currency.label("currency"), case((currency == self.target, literal(None, Date)), else_=self.on_day(day)).label("day")]

    @staticmethod
    def grouping(columns: list) -> list:
        """The expressions of `by_day`'s columns, for GROUP BY."""
        return [c.element for c in columns]

    def totals(self, inner, keys=(), money=(), counts=()):
        """Convert the groups of `inner` (a subquery with `keys`, `by_day`'s columns, raw sums named in `money` and
        counts named in `counts`): a select of the keys, `unconverted` (the currency of a part no rate converts, else
        NULL), each money column converted, each count, and `raw_<name>` for each money column as summed."""
        c = inner.c
        left_out = self.unconverted(c.currency)
        columns = [c[k] for k in keys] + [left_out.label("unconverted")]
        columns += [func.sum(self.amount(c[m], c.currency)).label(m) for m in money]
        columns += [func.sum(c[n]).label(n) for n in counts]
        columns += [func.sum(c[m]).label(f"raw_{m}") for m in money]
        return self.join(select(*columns), c.currency, c.day, clamp=False).group_by(*[c[k] for k in keys], left_out)

    def amount(self, raw, currency):
        """`raw` ten-thousandths of `currency` as ten-thousandths of the target, rounded; NULL without a rate."""
        return case((currency == self.target, raw), else_=func.round(raw * self.factors.c.factor))

    def missing(self, currency):
        """True for a row that has no rate to convert it."""
        return and_(currency != self.target, self.factors.c.factor.is_(None))

    def unconverted(self, currency):
        """The row's currency when it cannot be converted, else NULL: group by it to count what was left out."""
        return case((self.missing(currency), currency), else_=literal(None, String(3)))


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


async def convert_amount(ctx, amount: Decimal | None, currency: str, day: date | None, to: str | None = None) -> Decimal | None:
    """One amount in the reporting currency (or `to`), at `day`: for fields such as `amountInReportingCurrency`.
    Rates are read once per request however many records ask."""
    if amount is None:
        return None
    return await RateBook(ctx).convert(amount, currency, day, to)  # the rates themselves are cached in the request's loader
