"""SQL functions that read the same on SQLite and PostgreSQL, for analysis queries.

Each is a SQLAlchemy expression compiled per dialect, so a plugin writes `crm.month_key(Opportunity.closed_at)` and
never looks at which database it runs on.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, String, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_key(FunctionElement):  # noqa: N801 - reads like a SQL function
    """'2026-03' for a date or datetime."""

    type = String()
    inherit_cache = True
    name = "month_key"


class quarter_key(FunctionElement):  # noqa: N801
    """'2026-Q1' for a date or datetime."""

    type = String()
    inherit_cache = True
    name = "quarter_key"


class _month_start(FunctionElement):  # noqa: N801
    type = Date()
    inherit_cache = True
    name = "month_start"


class _quarter_start(FunctionElement):  # noqa: N801
    type = Date()
    inherit_cache = True
    name = "quarter_start"


def period_start(period: str, column):
    """The first day of the month or quarter of a date or datetime: `period_start("QUARTER", Deal.closed_at)`. Grouping
    by it is cheaper than by `month_key`/`quarter_key` text (PostgreSQL formats and compares text per row); format
    the few groups afterwards with `period_label`."""
    kinds = {"MONTH": _month_start, "QUARTER": _quarter_start}
    if period not in kinds:
        raise ValueError(f"period is MONTH or QUARTER, not {period!r}")
    return kinds[period](column)


def period_label(period: str, start) -> str:
    """'2026-03' (MONTH) or '2026-Q1' (QUARTER) for a `period_start` value (a date, or ISO text from SQLite)."""
    day = start if isinstance(start, date) else date.fromisoformat(str(start)[:10])
    return f"{day.year}-{day.month:02d}" if period == "MONTH" else f"{day.year}-Q{(day.month + 2) // 3}"


class days_between(FunctionElement):  # noqa: N801
    """Days (fractional) from the second argument to the first: days_between(closed_at, created_at)."""

    type = Float()
    inherit_cache = True
    name = "days_between"


class unindexed(FunctionElement):  # noqa: N801
    """The column itself, in a condition that should not pick an index on SQLite: `unindexed(Deal.opened_at) >= start`.

    SQLite keeps no statistics of values, so it takes any index that matches a range or an equality and then reads
    the rows one by one through it, even when the condition keeps nearly every row. For an analysis over most of a
    large table that is two to three times slower than reading the table (1M deals: 1.6 s against 0.65 s). On SQLite
    this renders SQLite's documented "+column", which keeps the term from choosing an index; other conditions (an
    owner, say) still may. PostgreSQL plans from statistics and gets the column unchanged.
    """

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type  # comparisons bind their values as the column's type


@compiles(unindexed)
def _unindexed(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"


class starts_with(FunctionElement):  # noqa: N801
    """`column` begins with `prefix`, through an ordinary index on both databases. Compare like with like: the
    column holds lower-cased text (`search_name`, normalised emails), so pass a lower-cased prefix.

    PostgreSQL serves `LIKE 'abc%'` from a `text_pattern_ops` index. SQLite's LIKE folds case, so it never uses an
    ordinary index and reads every row (0.55 s for a name prefix at 1M customers); a range from the prefix up to the
    prefix followed by the highest character selects the same rows from the index.
    """

    type = Boolean()
    inherit_cache = True
    name = "starts_with"
    _is_implicitly_boolean = True  # a condition in itself: no "= 1" after it on SQLite

    def __init__(self, column, prefix: str):
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # every value is a bound parameter, so a cached statement never keeps another prefix's bounds
        super().__init__(column, literal(escaped + "%", String()), literal(prefix, String()), literal(prefix + "\U0010ffff", String()))


@compiles(starts_with)
def _starts_with(element, compiler, **kw):
    column, pattern, _low, _high = element.clauses
    return compiler.process(column.like(pattern, escape="\\"), **kw)


@compiles(starts_with, "sqlite")
def _starts_with_sqlite(element, compiler, **kw):
    column, _pattern, low, high = element.clauses
    return f"({compiler.process(and_(column >= low, column < high), **kw)})"


@compiles(_month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(_quarter_start, "sqlite")
def _quarter_start_sqlite(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"date({arg}, 'start of month', '-' || ((CAST(strftime('%m', {arg}) AS INTEGER) - 1) % 3) || ' months')"


@compiles(_month_start, "postgresql")
def _month_start_pg(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(_quarter_start, "postgresql")
def _quarter_start_pg(element, compiler, **kw):
    return f"CAST(date_trunc('quarter', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_key, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_key, "postgresql")
def _month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(quarter_key, "sqlite")
def _quarter_sqlite(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"(strftime('%Y', {arg}) || '-Q' || ((CAST(strftime('%m', {arg}) AS INTEGER) + 2) / 3))"


@compiles(quarter_key, "postgresql")
def _quarter_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-\"Q\"Q')"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw):
    # date_part gives a double; EXTRACT gives a numeric since PostgreSQL 14, and averaging millions of numerics took
    # a third longer (the funnel's time in stage over 2M visits: 0.83 s against 0.56 s).
    later, earlier = list(element.clauses)
    return f"(date_part('epoch', {compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}) / 86400.0)"


class days_after(FunctionElement):  # noqa: N801
    """Whole days from the second date to the first (DATE columns, not timestamps): days_after(Paid.on, Contract.signed_on)."""

    type = Float()
    inherit_cache = True
    name = "days_after"


compiles(days_after, "sqlite")(_days_sqlite)  # julianday() reads dates as it reads timestamps


@compiles(days_after, "postgresql")
def _days_after_pg(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


class utc_date(FunctionElement):  # noqa: N801
    """The UTC calendar day of a timestamp: `utc_date(Deal.closed_at)`. PostgreSQL's own date() would use the
    session's time zone."""

    type = Date()
    inherit_cache = True
    name = "utc_date"


@compiles(utc_date, "sqlite")
def _utc_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"  # stored in UTC already


@compiles(utc_date, "postgresql")
def _utc_date_pg(element, compiler, **kw):
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


class next_day(FunctionElement):  # noqa: N801
    """The day after a date."""

    type = Date()
    inherit_cache = True
    name = "next_day"


@compiles(next_day, "sqlite")
def _next_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+1 day')"


@compiles(next_day, "postgresql")
def _next_day_pg(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} + 1 AS DATE)"


def quantile(key, value, percent: int, *where):
    """A select of (key, the `percent`-th percentile of `value`) per `key`, over the rows `where` selects: linear
    interpolation between the two closest ranks, as PostgreSQL's percentile_cont, by window functions that SQLite has
    too (medians of lead steps, p90 of SLA times). `percent` is a whole number (50: the median)."""
    if not 0 <= percent <= 100:
        raise ValueError("percent is 0 to 100")
    ranked = (select(key.label("key"), value.label("value"),
                     func.row_number().over(partition_by=key, order_by=value).label("rn"),
                     func.count().over(partition_by=key).label("n"))
              .where(value.is_not(None), *where).subquery())
    base = (ranked.c.n - 1) * percent  # integers: the rank below is base // 100 + 1, the part towards the next base % 100
    low, part = base // 100 + 1, base % 100
    weight = case((ranked.c.rn == low, 1 - part / 100.0), else_=part / 100.0)
    return (select(ranked.c.key, func.sum(ranked.c.value * weight))
            .where(or_(ranked.c.rn == low, and_(ranked.c.rn == low + 1, part > 0))).group_by(ranked.c.key))
