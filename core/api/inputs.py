"""Inputs shared by many mutations, and the rules every mutation applies to what it is given.

Partial updates: a field left out of an update input keeps its value (`UNSET`), `null` clears it. Test with
`given(value)`.
"""

from __future__ import annotations

import strawberry

from crm.api.errors import Invalid

UNSET = strawberry.UNSET
DEFAULT_TEXT_LIMIT = 300


@strawberry.input(description="Names one record.")
class IdInput:
    id: strawberry.ID


def given(value) -> bool:
    """Whether an update input's field was sent at all (`null` counts as sent: it clears)."""
    return value is not UNSET


def clean_text(value: str | None, field: str, *, limit: int = DEFAULT_TEXT_LIMIT, required: bool = False) -> str | None:
    """`value` stripped; None when empty (REQUIRED when `required`), INVALID when longer than `limit` characters."""
    value = value.strip() if isinstance(value, str) else value
    if not value:
        if required:
            raise Invalid.one(field, "REQUIRED", f"{field} must not be empty")
        return None
    if len(value) > limit:
        raise Invalid.one(field, "INVALID", f"{field} is longer than {limit} characters")
    return value


MAX_SEARCH = 300  # characters: no name, address or number is longer, and a longer term only costs the database


def search_term(value: str | None, field: str = "search") -> str | None:
    """A list's search argument, stripped; None when empty. Longer than MAX_SEARCH: BAD_USER_INPUT on `field`."""
    if value is None:
        return None
    if len(value) > MAX_SEARCH:
        from crm.api.errors import bad_input

        raise bad_input(field, f"a search of at most {MAX_SEARCH} characters")
    return value.strip() or None
