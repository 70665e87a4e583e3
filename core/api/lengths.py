"""The last word on text length: a flush that would store a string longer than its column is refused as INVALID.

Mutations check the fields people type (`clean_text`), but a bounded column that a mutation forgets (a role's
description, a plugin's new field) must not reach the database: PostgreSQL then refuses it with an error the caller
sees as INTERNAL, while SQLite stores it whole, so the two databases would disagree. One listener before every flush
checks every changed bounded text column of every model, the core's and every plugin's, and refuses with the field
named as the API names it.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from crm.api.errors import Invalid
from crm.audit.listener import camel


@cache
def _bounded(model: type) -> tuple[tuple[str, int], ...]:
    """(attribute, length) of every text column of `model` that has a length."""
    mapper = inspect(model)
    return tuple(
        (attr.key, column.type.length)
        for attr in mapper.column_attrs
        for column in attr.columns[:1]
        if isinstance(column.type, String) and column.type.length
    )


@event.listens_for(Session, "before_flush")
def _refuse_overlong(session: Session, _flush_context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        bounded = _bounded(type(obj))
        if not bounded:
            continue
        state = inspect(obj)
        for key, length in bounded:
            value = state.dict.get(key)
            if isinstance(value, str) and len(value) > length and (obj in session.new or state.attrs[key].history.has_changes()):
                field = camel(key)
                raise Invalid.one(field, "INVALID", f"{field} is longer than {length} characters")
