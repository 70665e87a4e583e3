"""Made-up but plausible exchange rates for the demo and the benchmarks: a business-day random walk per currency."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from crm.money.models import ExchangeRate

# Roughly where these stood against the euro in 2026: units of the currency per euro.
STARTS = {"EUR": {"USD": "1.08", "GBP": "0.85", "JPY": "162", "CHF": "0.94"}}


def walk(rng: random.Random, base: str, start: date, end: date) -> list[tuple[str, date, Decimal]]:
    """(currency, day, rate) for every weekday from `start` to `end`, as a central bank publishes them."""
    starts = STARTS.get(base) or {code: "1" for code in ("EUR", "USD", "GBP", "JPY") if code != base}
    out = []
    for code, first in starts.items():
        value = float(first)
        day = start
        while day <= end:
            if day.weekday() < 5:
                value *= 1 + rng.gauss(0, 0.004)
                out.append((code, day, Decimal(f"{value:.6g}")))
            day += timedelta(days=1)
    return out


async def add_sample_rates(session, rng: random.Random, base: str, days: int, today: date) -> int:
    """A history of `days` days of rates, unless the base currency has rates already."""
    if await session.scalar(select(func.count()).select_from(ExchangeRate).where(ExchangeRate.base == base)):
        return 0
    rows = walk(rng, base, today - timedelta(days=days), today)
    session.add_all(ExchangeRate(base=base, currency=code, valid_from=day, rate=rate) for code, day, rate in rows)
    await session.flush()
    return len(rows)
