"""Setting exchange rates: the checks every way in (the API, the CSV import) applies, and the upsert."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.api.errors import Invalid, UserError
from crm.models import utcnow
from crm.money.currencies import is_currency
from crm.money.models import ExchangeRate

MAX_RATE = Decimal(10) ** 15
MAX_PLACES = 10


def rate_errors(currency: str | None, rate: Decimal | None, valid_from: date | None, reporting: str, horizon_days: int,
                fields: tuple[str, str, str] = ("currency", "rate", "validFrom")) -> tuple[str, list[UserError]]:
    """(the upper-cased code, every problem of one rate) so that a form or a CSV row hears of all of them at once."""
    code = (currency or "").strip().upper()
    errors = []
    if not code:
        errors.append(UserError(field=fields[0], code="REQUIRED", message="a currency is required"))
    elif not is_currency(code):
        errors.append(UserError(field=fields[0], code="INVALID", message=f"{currency!r} is not an ISO 4217 currency code such as USD"))
    elif code == reporting:
        errors.append(UserError(field=fields[0], code="INVALID", message=f"{reporting} is the reporting currency: its rate is always 1"))
    if rate is None:
        errors.append(UserError(field=fields[1], code="REQUIRED", message="a rate is required"))
    elif not rate.is_finite() or rate <= 0:
        errors.append(UserError(field=fields[1], code="INVALID", message="a rate is above 0"))
    elif rate >= MAX_RATE or -rate.normalize().as_tuple().exponent > MAX_PLACES:
        errors.append(UserError(field=fields[1], code="INVALID", message=f"a rate is below 10^15 with at most {MAX_PLACES} decimal places"))
    if valid_from is None:
        errors.append(UserError(field=fields[2], code="REQUIRED", message="the day the rate is valid from is required"))
    elif valid_from > utcnow().date() + timedelta(days=horizon_days):
        errors.append(UserError(field=fields[2], code="INVALID",
                                message=f"a rate may be set at most {horizon_days} days ahead (CRM_EXCHANGE_RATE_HORIZON_DAYS)"))
    return code, errors


async def put_rate(session, base: str, currency: str, rate: Decimal, valid_from: date) -> ExchangeRate:
    """The rate of `currency` from `valid_from` on: a new row, or the day's row changed (and restored if deleted).
    Two writers of the same new day are decided by the unique constraint: the later one changes the first's row."""
    for _ in range(2):
        stmt = select(ExchangeRate).where(ExchangeRate.base == base, ExchangeRate.currency == currency, ExchangeRate.valid_from == valid_from)
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        found = await session.scalar(stmt)
        if found is not None:
            if found.rate != rate or found.deleted_at is not None:
                found.rate, found.deleted_at, found.updated_at = rate, None, utcnow()
            return found
        row = ExchangeRate(base=base, currency=currency, valid_from=valid_from, rate=rate)
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue  # someone else inserted that day meanwhile: change theirs
        return row
    raise Invalid.one("validFrom", "CONFLICT", "the rate of that day is being changed by someone else; try again")
