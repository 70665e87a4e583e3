"""Scalars. Money and other decimals travel as strings ("1000.00"), never as floats.

Every scalar refuses values the database could not store faithfully, at the edge, as a typed input error: decimals
beyond what `crm.Money` holds, dates outside sane years. Nothing out of range reaches SQL, where it would fail with
a driver's message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import dateutil.parser
import strawberry

TWO_PLACES = Decimal("0.01")
MAX_DECIMAL = Decimal(10) ** 14  # crm.Money keeps ten-thousandths in a 64-bit integer: about 9.2e14
MAX_DECIMAL_PLACES = 10
YEARS = (1900, 2999)


def serialize_decimal(value: Decimal) -> str:
    value = Decimal(value)
    quantized = value.quantize(TWO_PLACES)
    return str(quantized) if quantized == value else format(value.normalize(), "f")


def parse_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError("send decimals as strings, e.g. \"1000.00\"")
    if isinstance(value, str) and len(value) > 40:
        raise ValueError("a decimal number has at most 40 characters")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal number")
    if abs(result) >= MAX_DECIMAL:
        raise ValueError(f"{value!r} is out of range: decimals must lie between -{MAX_DECIMAL:.0e} and {MAX_DECIMAL:.0e}")
    if -result.as_tuple().exponent > MAX_DECIMAL_PLACES:
        raise ValueError(f"{value!r} has more than {MAX_DECIMAL_PLACES} decimal places")
    return result + 0 if result == 0 else result  # -0.00 is 0


def _in_years(value, what: str):
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(f"{what} {value.isoformat()} is out of range: years {YEARS[0]} to {YEARS[1]}")
    return value


def parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("send a date and time as an ISO 8601 string, e.g. \"2026-03-01T09:30:00Z\"")
    try:
        parsed = dateutil.parser.isoparse(value)
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None:  # a time without an offset is UTC, as every time the API gives out (never the server's zone)
        parsed = parsed.replace(tzinfo=dt.UTC)
    return _in_years(parsed, "the time")


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str) or len(value) > 10:
        raise ValueError("send a date as an ISO 8601 string, e.g. \"2026-03-01\"")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date") from None
    return _in_years(parsed, "the date")


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description="An exact decimal number as a string, e.g. \"1000.00\". Money is always a Decimal.",
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)
DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="A date with time, ISO 8601 (e.g. \"2026-03-01T09:30:00Z\"); without an offset it is UTC; years 1900 to 2999.",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_datetime,
)
DateScalar = strawberry.scalar(
    name="Date",
    description="A calendar date, ISO 8601 (e.g. \"2026-03-01\"); years 1900 to 2999.",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_date,
)

SCALAR_MAP = {Decimal: DecimalScalar, dt.datetime: DateTimeScalar, dt.date: DateScalar}
