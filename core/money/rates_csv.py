"""`crm import exchange-rates FILE.csv`: rates from a file, whole or not at all.

Two layouts load as they are published:
- long: one rate per row, columns `date`, `currency`, `rate` (and optionally `base`, checked against the reporting
  currency), e.g. the ECB's SDMX download with `--map TIME_PERIOD=date --map CURRENCY=currency --map OBS_VALUE=rate
  --map CURRENCY_DENOM=base`;
- wide: a `date` column and one column per currency code, e.g. the ECB's eurofxref-hist.csv
  (`Date,USD,JPY,...`); empty and `N/A` cells are days without a quote and are skipped.
Rates are quoted as units of the currency per one unit of the reporting currency (1 EUR = 1.0823 USD).
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select

from crm.api.errors import UserError
from crm.money.currencies import is_currency
from crm.money.models import ExchangeRate
from crm.money.rates import rate_errors

FIELDS = ("date", "currency", "rate", "base")
NO_QUOTE = {"", "N/A", "NA", "-", "ND"}
BATCH = 5_000


@dataclasses.dataclass
class RateRow:
    line: int
    currency: str
    rate: Decimal
    valid_from: date


@dataclasses.dataclass
class RateReport:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, list[UserError]]] = dataclasses.field(default_factory=list)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def read_rows(path: Path, mapping: dict[str, str], reporting: str, horizon_days: int, report: RateReport) -> list[RateRow]:
    """Every rate of the file, checked; problems go to `report.rejected` by line number (the header is line 1)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:  # utf-8-sig: a byte-order mark from Excel is not a column name
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            report.rejected.append((1, [UserError(field=None, code="INVALID", message="the file is empty")]))
            return []
        names = [mapping.get(h.strip(), h.strip().lower()) for h in header]
        unknown = [m for m in mapping.values() if m not in FIELDS]
        if unknown:
            report.rejected.append((1, [UserError(field=None, code="INVALID", message=f"--map names {unknown[0]!r}; fields are {', '.join(FIELDS)}")]))
            return []
        if "date" not in names:
            report.rejected.append((1, [UserError(field="date", code="REQUIRED", message="no date column; name one with --map COLUMN=date")]))
            return []
        wide = "currency" not in names and "rate" not in names
        quoted = {i: h.strip().upper() for i, h in enumerate(header) if wide and names[i] != "date" and is_currency(h.strip().upper())}
        if not wide and ("currency" not in names or "rate" not in names):
            missing = "currency" if "currency" not in names else "rate"
            report.rejected.append((1, [UserError(field=missing, code="REQUIRED", message=f"no {missing} column; name one with --map COLUMN={missing}")]))
            return []
        if wide and not quoted:
            report.rejected.append((1, [UserError(field="currency", code="REQUIRED",
                                                  message="no currency and rate columns, and no column named by a currency code")]))
            return []
        at = {name: i for i, name in reversed(list(enumerate(names)))}
        out: list[RateRow] = []
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            day_text = cells[at["date"]]
            day = _day(day_text)
            if wide:
                pairs = [(code, cells[i]) for i, code in quoted.items() if cells[i].strip().upper() not in NO_QUOTE]
            else:
                pairs = [(cells[at["currency"]], cells[at["rate"]])]
            problems: list[UserError] = []
            if day is None:
                problems.append(UserError(field="date", code="INVALID", message=f"{day_text!r} is not a date like 2026-03-31"))
            if "base" in at and cells[at["base"]].strip().upper() != reporting:
                problems.append(UserError(field="base", code="INVALID",
                                          message=f"quoted against {cells[at['base']]!r}; the reporting currency is {reporting}"))
            for currency, text in pairs:
                rate = _decimal(text)
                code, errors = rate_errors(currency, rate, day, reporting, horizon_days, fields=("currency", "rate", "date"))
                if rate is None and text.strip():
                    errors = [e for e in errors if e.field != "rate"] + [UserError(field="rate", code="INVALID", message=f"{text!r} is not a number")]
                problems += [e for e in errors if e.field != "date"] if day is None else errors
                if not errors:
                    out.append(RateRow(line, code, rate, day))
            report.rows += 1
            if problems:
                unique = {(e.field, e.code, e.message): e for e in problems}  # a wide row repeats a bad date per currency
                report.rejected.append((line, list(unique.values())))
    return out


async def save_rows(session, reporting: str, rows: list[RateRow], report: RateReport) -> None:
    """Insert new days, change days whose rate differs (restoring withdrawn ones); the audit trail sees every one."""
    latest: dict[tuple[str, date], RateRow] = {}
    for row in rows:
        latest[(row.currency, row.valid_from)] = row  # the file's last word on a day wins
    by_code: dict[str, list[RateRow]] = {}
    for (code, _), row in sorted(latest.items()):
        by_code.setdefault(code, []).append(row)
    for code, wanted in by_code.items():
        existing = {r.valid_from: r for r in (await session.scalars(
            select(ExchangeRate).where(ExchangeRate.base == reporting, ExchangeRate.currency == code))).all()}
        for i, row in enumerate(wanted, start=1):
            found = existing.get(row.valid_from)
            if found is None:
                session.add(ExchangeRate(base=reporting, currency=code, valid_from=row.valid_from, rate=row.rate))
                report.created += 1
            elif found.rate != row.rate or found.deleted_at is not None:
                found.rate, found.deleted_at = row.rate, None
                report.changed += 1
            else:
                report.unchanged += 1
            if i % BATCH == 0:
                await session.flush()
        await session.flush()
