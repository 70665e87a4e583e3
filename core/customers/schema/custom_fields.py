"""GraphQL for custom fields: admins define them, every record that carries them shows typed values."""

from __future__ import annotations

from typing import Annotated

import enum
from datetime import date, datetime

import strawberry
from sqlalchemy import select

from crm.api.access import inherited, requires
from crm.api.errors import Invalid, UserError, bad_input
from crm.api.mutations import fetch_for_write, mutation
from crm.customers import custom_fields
from crm.customers.models import CustomFieldDefinition

UNSET = strawberry.UNSET


@strawberry.enum(description="What values a custom field holds.")
class CustomFieldKind(enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"


@strawberry.type(name="CustomFieldDefinition", description="An extra field an admin defined for one kind of record.")
class CustomFieldDefinitionType:
    id: strawberry.ID
    entity: str = strawberry.field(description="The kind of record it is on (customer, or a plugin's kind).")
    key: str = strawberry.field(description="The key its values are stored and filtered by.")
    label: str
    required: bool = strawberry.field(description="Whether a record must have a value.")
    choices: list[str] = strawberry.field(description="The values a CHOICE or MULTI_CHOICE field takes.")
    archived: bool = strawberry.field(description="Archived: no longer offered; its values are kept.")
    version: int
    created_at: datetime

    @strawberry.field(description="What values it holds.")
    @inherited
    def type(self, info: strawberry.Info) -> CustomFieldKind:
        return CustomFieldKind(self.type)


@strawberry.type(description="One custom field's value; exactly the member for the field's type is set.")
class CustomFieldValue:
    key: str = strawberry.field(description="The field's key.")
    label: str
    type: CustomFieldKind = strawberry.field(description="What values the field holds: the one of text, number, date and boolean that is set.")
    text: str | None = strawberry.field(default=None, description="A TEXT or CHOICE value.")
    number: float | None = strawberry.field(default=None, description="A NUMBER value.")
    date: date | None = strawberry.field(default=None, description="A DATE value.")
    boolean: bool | None = strawberry.field(default=None, description="A BOOLEAN value.")
    choices: list[str] | None = strawberry.field(default=None, description="For CHOICE (one item) and MULTI_CHOICE.")


def typed_values(defs: list, values: dict) -> list[CustomFieldValue]:
    """The record's values in definition order; values of archived fields are kept in the row but not shown."""
    out = []
    for d in defs:
        if d.key not in values:
            continue
        value = values[d.key]
        item = CustomFieldValue(key=d.key, label=d.label, type=CustomFieldKind(d.type))
        if d.type == "text":
            item.text = value
        elif d.type == "number":
            item.number = value
        elif d.type == "date":
            item.date = date.fromisoformat(value)
        elif d.type == "boolean":
            item.boolean = value
        else:
            item.choices = value if isinstance(value, list) else [value]
        out.append(item)
    return out


async def resolve_values(info, entity: str, values: dict) -> list[CustomFieldValue]:
    if not values:
        return []
    return typed_values(await custom_fields.definitions_loader(info.context).load(entity), values)


@strawberry.input(description="Keep records whose custom field matches. Values are written as text and read per the field's type.")
class CustomFieldFilter:
    key: str = strawberry.field(description="The custom field's key.")
    equals: str | None = strawberry.field(default=None, description="The value must be this (text, a number, a date, true or false, as the field's kind).")
    any_of: list[str] | None = strawberry.field(default=None, description="CHOICE/TEXT: one of these; MULTI_CHOICE: has any of these.")
    min: str | None = strawberry.field(default=None, description="NUMBER and DATE: at least this.")
    max: str | None = strawberry.field(default=None, description="NUMBER and DATE: at most this.")
    contains: str | None = strawberry.field(default=None, description="TEXT: contains this, ignoring case.")
    is_set: bool | None = strawberry.field(default=None, description="True: the field has a value; false: it has none.")


async def filter_conditions(info, model, entity: str, filters: list[CustomFieldFilter] | None) -> list:
    if not filters:
        return []
    defs = {d.key: d for d in await custom_fields.definitions_loader(info.context).load(entity)}
    conds = []
    for f in filters:
        definition = defs.get(f.key)
        if definition is None:
            raise bad_input("filter.customFields", f"there is no custom field {f.key!r} on {entity}")
        conds.append(custom_fields.filter_condition(model.custom_fields, definition, f, info.context.db.dialect))
    return conds


async def group_key(info, model, entity: str, key: str, argument: str):
    """The SQL value of `entity`'s custom field `key` (on `model.custom_fields`) as a report's group key; a typed
    error on `argument` when there is no such field or it holds several values. Public as
    `crm.custom_field_group_key`."""
    definition = next((d for d in await custom_fields.definitions_loader(info.context).load(entity) if d.key == key), None)
    if definition is None:
        raise bad_input(argument, f"there is no custom field {key!r} on {entity}")
    try:
        return custom_fields.group_value(model.custom_fields, definition)
    except ValueError as exc:
        raise bad_input(argument, str(exc)) from None


@strawberry.input
class DefineCustomFieldInput:
    entity: str = strawberry.field(description="The kind of record: customer, contact, or a plugin's resource that opts in.")
    key: str = strawberry.field(description="Stable machine name: lower case letters, digits and underscores.")
    label: str = strawberry.field(description="Its name for people.")
    type: CustomFieldKind = strawberry.field(description="What values it holds.")
    required: bool = strawberry.field(default=False, description="Whether a record must have a value.")
    choices: list[str] | None = strawberry.field(default=None, description="For CHOICE and MULTI_CHOICE: the values it takes.")


@strawberry.input
class UpdateCustomFieldInput:
    id: strawberry.ID
    version: int
    label: str | None = strawberry.field(default=UNSET, description="Its name for people.")
    required: bool | None = strawberry.field(default=UNSET, description="Whether a record must have a value.")
    choices: list[str] | None = strawberry.field(default=UNSET, description="For CHOICE and MULTI_CHOICE: the values it takes (the list replaces the old one).")
    archived: bool | None = strawberry.field(default=UNSET, description="Archived fields disappear from forms; their values are kept.")


@strawberry.type
class CustomFieldPayload:
    definition: CustomFieldDefinitionType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _choices(kind: str, choices: list[str] | None) -> list[str]:
    cleaned = [c.strip() for c in choices or [] if c and c.strip()]
    if kind in ("choice", "multi_choice"):
        if not cleaned:
            raise Invalid.one("choices", "REQUIRED", "a choice field needs at least one choice")
        if len(set(cleaned)) != len(cleaned):
            raise Invalid.one("choices", "INVALID", "choices must be different from each other")
    elif cleaned:
        raise Invalid.one("choices", "INVALID", "only CHOICE and MULTI_CHOICE fields have choices")
    return cleaned


def _label(label: str | None) -> str:
    label = (label or "").strip()
    if not label or len(label) > 200:
        raise Invalid.one("label", "REQUIRED" if not label else "INVALID", "a label of 1 to 200 characters is required")
    return label


@strawberry.type
class CustomFieldQuery:
    @strawberry.field(description="Custom field definitions, per entity when given.")
    @requires("custom_field", "read")
    async def custom_field_definitions(
        self,
        info: strawberry.Info,
        entity: Annotated[str | None, strawberry.argument(description="The kind of record (customer, or a plugin's, e.g. ticket); all kinds when left out.")] = None,
        include_archived: Annotated[bool, strawberry.argument(description="Archived fields too (their values are kept).")] = False
    ) -> list[CustomFieldDefinitionType]:
        stmt = select(CustomFieldDefinition).order_by(CustomFieldDefinition.entity, CustomFieldDefinition.id)
        if entity:
            stmt = stmt.where(CustomFieldDefinition.entity == entity)
        if not include_archived:
            stmt = stmt.where(CustomFieldDefinition.archived.is_(False))
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt)).all())

    @strawberry.field(description="The kinds of record that can carry custom fields.")
    @requires("custom_field", "read")
    def custom_field_entities(self, info: strawberry.Info) -> list[str]:
        return custom_fields.entities(info.context.runtime)


@strawberry.type
class CustomFieldMutation:
    @strawberry.mutation(description="Add a custom field. It is usable at once: no migration, no restart.")
    @requires("custom_field", "write")
    async def define_custom_field(self, info: strawberry.Info, input: DefineCustomFieldInput) -> CustomFieldPayload:
        async def work(session):
            if input.entity not in custom_fields.entities(info.context.runtime):
                raise Invalid.one("entity", "INVALID", f"records of {input.entity!r} cannot carry custom fields; one of: "
                                  + ", ".join(custom_fields.entities(info.context.runtime)))
            key = input.key.strip()
            if not custom_fields.KEY.match(key):
                raise Invalid.one("key", "INVALID", "a key starts with a letter and has only lower case letters, digits and _")
            taken = await session.scalar(select(CustomFieldDefinition.id).where(CustomFieldDefinition.entity == input.entity, CustomFieldDefinition.key == key))
            if taken:
                raise Invalid.one("key", "DUPLICATE", f"{input.entity} already has a field {key!r} (archived fields keep their key)")
            definition = CustomFieldDefinition(
                entity=input.entity, key=key, label=_label(input.label), type=input.type.value, required=input.required,
                choices=_choices(input.type.value, input.choices),
            )
            session.add(definition)
            await session.flush()
            return CustomFieldPayload(definition=definition)

        return await mutation(info, CustomFieldPayload, work)

    @strawberry.mutation(description="Change a custom field's label, choices, required flag, or archive it. The type and key never change.")
    @requires("custom_field", "write")
    async def update_custom_field(self, info: strawberry.Info, input: UpdateCustomFieldInput) -> CustomFieldPayload:
        async def work(session):
            definition = await fetch_for_write(session, info, CustomFieldDefinition, input.id, resource="custom_field", version=input.version)
            if input.label is not UNSET:
                definition.label = _label(input.label)
            if input.required is not UNSET and input.required is not None:
                definition.required = input.required
            if input.choices is not UNSET:
                definition.choices = _choices(definition.type, input.choices)
            if input.archived is not UNSET and input.archived is not None:
                definition.archived = input.archived
            return CustomFieldPayload(definition=definition)

        return await mutation(info, CustomFieldPayload, work)


async def clean_values(session, entity: str, given, current: dict | None = None) -> dict:
    """`given` custom field values ({key: value}, as an input's `customFields`) checked against `entity`'s definitions
    and merged into `current`; UNKNOWN_FIELD or INVALID on `customFields.<key>` otherwise. Public as
    `crm.clean_custom_fields`, for plugin records with a `custom_fields` JSON column."""
    return custom_fields.clean(await custom_fields.definitions(session, entity), given, current)


clean_custom_fields = clean_values
custom_field_values = resolve_values
custom_field_conditions = filter_conditions
custom_field_group_key = group_key
