"""Scalars. Money and other decimals travel as strings ("1000.00"), never as floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import strawberry

TWO_PLACES = Decimal("0.01")


def serialize_decimal(value: Decimal) -> str:
    value = Decimal(value)
    quantized = value.quantize(TWO_PLACES)
    return str(quantized) if quantized == value else format(value.normalize(), "f")


def parse_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError("send decimals as strings, e.g. \"1000.00\"")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal number")
    return result


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description="An exact decimal number as a string, e.g. \"1000.00\". Money is always a Decimal.",
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

SCALAR_MAP = {Decimal: DecimalScalar}
