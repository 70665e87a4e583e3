"""Custom fields: definitions live in a table, values in each record's `custom_fields` JSON column.

Defining a field is a row, not a migration, so it takes effect at once in every worker. Any model with a
`custom_fields` JSON column (customers, contacts, and plugin records that declare one) can carry them; its
resource name is the field's `entity`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, literal, literal_column, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from crm.api.errors import Invalid, UserError, bad_input
from crm.customers.models import CustomFieldDefinition

TYPES = ("text", "number", "date", "boolean", "choice", "multi_choice")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TEXT_LIMIT = 2000


def entities(runtime) -> list[str]:
    """Resources whose records can carry custom fields."""
    return sorted(name for name, model in runtime.models_by_resource.items() if hasattr(model, "custom_fields"))


def definitions_loader(ctx):
    """Live (not archived) definitions per entity, read once per request."""

    async def load(names):
        async with ctx.db.read() as session:
            rows = (await session.scalars(
                select(CustomFieldDefinition).where(CustomFieldDefinition.entity.in_(names), CustomFieldDefinition.archived.is_(False))
                .order_by(CustomFieldDefinition.id)
            )).all()
        return [[d for d in rows if d.entity == name] for name in names]

    return ctx.loader("core.custom_fields", load)


async def definitions(session, entity: str) -> list[CustomFieldDefinition]:
    stmt = select(CustomFieldDefinition).where(CustomFieldDefinition.entity == entity, CustomFieldDefinition.archived.is_(False))
    return list((await session.scalars(stmt)).all())


def _coerce(definition: CustomFieldDefinition, value: Any, field: str) -> Any:
    """The stored form of one value, or an Invalid naming the field."""
    kind = definition.type

    def bad(message: str) -> Invalid:
        return Invalid.one(field, "INVALID", f"{definition.label}: {message}")

    if kind == "text":
        if not isinstance(value, str):
            raise bad("expected text")
        if len(value) > TEXT_LIMIT:
            raise bad(f"at most {TEXT_LIMIT} characters")
        return value
    if kind == "number":
        if isinstance(value, bool):
            raise bad("expected a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise bad("expected a number") from None
        if not number.is_finite():
            raise bad("expected a finite number")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        try:
            return date.fromisoformat(value).isoformat()
        except (ValueError, TypeError):
            raise bad("expected a date like 2026-12-31") from None
    if kind == "boolean":
        if not isinstance(value, bool):
            raise bad("expected true or false")
        return value
    if kind == "choice":
        if value not in definition.choices:
            raise bad(f"must be one of {', '.join(definition.choices)}")
        return value
    if kind == "multi_choice":
        values = value if isinstance(value, list) else None
        if values is None or any(v not in definition.choices for v in values):
            raise bad(f"expected a list of {', '.join(definition.choices)}")
        return sorted(set(values), key=definition.choices.index)
    raise bad(f"unknown type {kind}")


def clean(defs: list[CustomFieldDefinition], given: Any, current: dict | None) -> dict:
    """Merge `given` ({key: value}, null removes) into `current`, validating every value against the definitions.

    On create (`current is None`) every required field must be set; on update a required field cannot be cleared,
    but records written before it became required may still be changed without it.
    """
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise Invalid.one("customFields", "INVALID", 'customFields must be an object, e.g. {"segment": "gold"}')
    by_key = {d.key: d for d in defs}
    out = dict(current or {})
    errors: list[UserError] = []
    for key, value in given.items():
        field = f"customFields.{key}"
        definition = by_key.get(key)
        if definition is None:
            errors.append(UserError(field=field, code="UNKNOWN_FIELD", message=f"there is no custom field {key!r}"))
            continue
        if value is None or value == [] or value == "":
            if definition.required:
                errors.append(UserError(field=field, code="REQUIRED", message=f"{definition.label} is required"))
            out.pop(key, None)
            continue
        try:
            out[key] = _coerce(definition, value, field)
        except Invalid as exc:
            errors.extend(exc.errors)
    if current is None:
        for d in defs:
            if d.required and d.key not in out and not any(e.field == f"customFields.{d.key}" for e in errors):
                errors.append(UserError(field=f"customFields.{d.key}", code="REQUIRED", message=f"{d.label} is required"))
    if errors:
        raise Invalid(*errors)
    return out


def filter_condition(column, definition: CustomFieldDefinition, f, dialect: str):
    """SQL for one custom-field filter on a JSON column. Values arrive as strings and are read per the field's type."""
    key = definition.key
    element = column[key]
    conds = []
    if f.is_set is not None:
        present = element.as_string().is_not(None) if definition.type != "multi_choice" else element.is_not(None)
        conds.append(present if f.is_set else ~present)
    if definition.type == "multi_choice":
        wanted = list(f.any_of or []) + ([f.equals] if f.equals is not None else [])
        if wanted:
            conds.append(or_(*(_array_contains(column, key, v, dialect) for v in wanted)))
        return and_(*conds)
    if definition.type == "number":
        number = element.as_float()
        for op, raw in (("eq", f.equals), ("ge", f.min), ("le", f.max)):
            if raw is None:
                continue
            try:
                value = float(Decimal(raw))
            except InvalidOperation:
                raise bad_input(f"filter.customFields.{key}", f"{definition.label}: {raw!r} is not a number") from None
            conds.append({"eq": number == value, "ge": number >= value, "le": number <= value}[op])
        return and_(*conds)
    if definition.type == "boolean":
        if f.equals is not None:
            conds.append(element.as_boolean().is_(f.equals.lower() == "true"))
        return and_(*conds)
    text = element.as_string()
    if f.equals is not None:
        conds.append(text == f.equals)
    if f.any_of:
        conds.append(text.in_(f.any_of))
    if f.min is not None:
        conds.append(text >= f.min)  # dates are ISO strings: text order is date order
    if f.max is not None:
        conds.append(text <= f.max)
    if f.contains is not None:
        conds.append(func.lower(text).contains(f.contains.lower(), autoescape=True))
    return and_(*conds)


def group_value(column, definition: CustomFieldDefinition):
    """One custom field's value as text, for grouping a report by it (both databases write it the same way); None
    where a record has no value. Fields holding several values (MULTI_CHOICE) cannot be one group key."""
    element = column[definition.key]
    if definition.type == "multi_choice":
        raise ValueError(f"{definition.label} holds several values; a report groups by one value per record")
    if definition.type == "boolean":  # SQLite reads JSON true as 1, PostgreSQL as 'true'
        flag = element.as_boolean()
        return case((flag.is_(True), literal("true")), (flag.is_(False), literal("false")), else_=None)
    if definition.type == "number":
        return cast(element.as_float(), String)
    return element.as_string()


def _array_contains(column, key: str, value: str, dialect: str):
    if dialect == "postgresql":
        return type_coerce(column, JSONB)[key].contains([value])  # jsonb @>, served by a GIN index where one exists
    each = func.json_each(column, f"$.{key}").table_valued("value")
    return exists(select(literal_column("1")).select_from(each).where(each.c.value == value))
