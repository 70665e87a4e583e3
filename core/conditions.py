"""Conditions that admins write on rules (assignment rules, approval chains and steps), one meaning everywhere.

`{field: [values]}` holds when the record's field, as lower-case text, is one of the values; `{field: {"min": x,
"max": y}}` holds when it is a number within the bounds (either may be missing). Every condition must hold. A value
that is a record's global id (a queue, a pool) means that record's number, which is what the record's field holds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from crm.api.global_ids import from_global


def _plain(value: Any) -> str:
    text = str(value).strip()
    found = from_global(text)
    return found[1] if found else text.lower()


def value_of(record: Any, field: str) -> Any:
    return record.get(field) if isinstance(record, dict) else getattr(record, field, None)


def holds(conditions: dict | None, record: Any) -> bool:
    for field, wanted in (conditions or {}).items():
        value = value_of(record, field)
        if value is None:
            return False
        if isinstance(wanted, dict):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                return False
            if wanted.get("min") is not None and number < Decimal(str(wanted["min"])):
                return False
            if wanted.get("max") is not None and number > Decimal(str(wanted["max"])):
                return False
        elif str(value).strip().lower() not in {_plain(v) for v in wanted}:
            return False
    return True
