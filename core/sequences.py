"""Gap-free record numbers from patterns (`C-{YYYY}-{seq:05}` gives C-2026-00001): contracts, tickets, quotes, orders.

`await crm.next_number(session, "contract", "C-{YYYY}-{seq:05}")` takes the next number in the caller's write
transaction. One statement (an upsert returning the new value) increments the counter row, which stays locked until
the transaction ends: concurrent creators take turns, and a transaction that rolls back gives its number back, so
numbers have no gaps and no repeats on both databases. A pattern with a date token numbers each period from 1
(`{YYYY}`: every year; `{YYYY}{MM}`: every month); without one the count never restarts.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import upsert
from crm.models import Model, utcnow

TOKEN = re.compile(r"\{(YYYY|YY|MM|DD|seq(?::0?(\d+))?)\}")


class NumberSequence(Model):
    """The last number given per sequence and period ("" when the pattern has no date token)."""

    __tablename__ = "core_sequence"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


def check_pattern(pattern: str) -> None:
    """ValueError unless `pattern` has exactly one `{seq}` and no other braces than its tokens."""
    tokens = [m.group(1) for m in TOKEN.finditer(pattern)]
    if sum(t.startswith("seq") for t in tokens) != 1:
        raise ValueError(f"a number pattern needs exactly one {{seq}} (or {{seq:05}}): {pattern!r}")
    if "{" in TOKEN.sub("", pattern) or "}" in TOKEN.sub("", pattern):
        raise ValueError(f"unknown token in number pattern {pattern!r}: use {{YYYY}}, {{YY}}, {{MM}}, {{DD}}, {{seq}}")


def _dates(day: date) -> dict[str, str]:
    return {"YYYY": f"{day.year:04d}", "YY": f"{day.year % 100:02d}", "MM": f"{day.month:02d}", "DD": f"{day.day:02d}"}


def _period(pattern: str, day: date) -> str:
    dates = _dates(day)
    return "-".join(dates[m.group(1)] for m in TOKEN.finditer(pattern) if not m.group(1).startswith("seq"))


def render(pattern: str, value: int, day: date) -> str:
    dates = _dates(day)

    def token(m: re.Match) -> str:
        if m.group(1).startswith("seq"):
            return f"{value:0{int(m.group(2) or 0)}d}" if m.group(2) else str(value)
        return dates[m.group(1)]

    return TOKEN.sub(token, pattern)


async def next_number(session, name: str, pattern: str = "{seq}", *, day: date | None = None) -> str:
    """The next number of sequence `name`, formatted by `pattern`, taken inside the session's transaction."""
    check_pattern(pattern)
    day = day or utcnow().date()
    period = _period(pattern, day)
    table = NumberSequence.__table__
    stmt = upsert(session, table).values(name=name, period=period, value=1)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.name, table.c.period], set_={"value": table.c.value + 1})
    value = await session.scalar(stmt.returning(table.c.value))
    return render(pattern, value, day)
