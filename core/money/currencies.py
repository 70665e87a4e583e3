"""ISO 4217 currencies: which codes money may be entered in, and how many decimals each one has.

The codes come from pycountry (the ISO 4217 list of Debian's iso-codes), the decimals from babel (CLDR's currency
data, which follows how amounts are written in practice: JPY and HUF without decimals, KWD with three).
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_EVEN, Decimal

from crm.api.errors import Invalid

# ISO 4217 also codes things that no business invoices in: precious metals, bond-market units, the IMF's drawing
# right, the Arab accounting dinar, and the codes reserved for tests and for "no currency".
NOT_MONEY = frozenset({"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XAD", "XTS", "XXX"})


@functools.cache
def _table() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.currencies if c.alpha_3 not in NOT_MONEY}


def codes() -> frozenset[str]:
    return frozenset(_table())


def name(code: str) -> str:
    return _table()[code]


def is_currency(code: str | None) -> bool:
    return bool(code) and code in _table()


@functools.cache
def minor_units(code: str) -> int:
    """Decimals of an amount in `code`: 2 for EUR, 0 for JPY, 3 for KWD."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(code)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-even to the currency's smallest unit (cents, yen, fils)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), ROUND_HALF_EVEN)


def currency_code(value: str | None, default: str | None = None, field: str = "currency") -> str:
    """A validated ISO 4217 code, upper-cased; `default` when none is given. Refuses with INVALID on `field`."""
    code = (value or default or "").strip().upper()
    if not code:
        raise Invalid.one(field, "REQUIRED", "a currency is required")
    if code not in _table():
        raise Invalid.one(field, "INVALID", f"{(value or default)!r} is not an ISO 4217 currency code such as EUR, USD or JPY")
    return code
