"""IDs on the wire are opaque strings; inside they are integers. A malformed ID is a typed error, never a crash.

The API gives out global ids (`crm.api.global_ids`: the type and the number, base64url-encoded); it accepts them and,
for a deprecation period (docs/api.md), the plain number of earlier releases.
"""

from __future__ import annotations

from crm.api.errors import Invalid
from crm.api.global_ids import from_global


def parse_id(value: str | int | None, field: str = "id") -> int:
    if isinstance(value, str) and (found := from_global(value)) is not None:
        value = found[1]
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Invalid.one(field, "INVALID", f"{value!r} is not a valid ID") from None
    if number <= 0 or number >= 2**63:
        raise Invalid.one(field, "INVALID", f"{value!r} is not a valid ID")
    return number


def try_parse_id(value: str | int | None) -> int | None:
    """For queries: an ID that cannot exist finds nothing."""
    try:
        return parse_id(value)
    except Invalid:
        return None
