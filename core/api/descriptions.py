"""Descriptions by convention: what a name means everywhere in the API is said once, here, and given to every type,
field and argument of that name that says nothing of its own, in the schema clients read (docs/api.md).

A module describes what is particular to it; an `id`, a `version`, a connection's `edges`, an input of a mutation or
a reference such as `ownerId` mean the same in every module and are described here, so that they are described
alike and never left bare. A description a module gives always wins.
"""

from __future__ import annotations

import re

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, get_named_type

from crm.api.global_ids import reference_type, type_by_name


def describe(schema: GraphQLSchema, max_page: int) -> None:
    _types(schema)
    _fields(schema)
    _arguments(schema, max_page)


def _arguments(schema: GraphQLSchema, max_page: int) -> None:
    said = {
        "input": "The mutation's input: each field is described on its input type.",
        "first": f"How many records: at most {max_page}; 20 when left out.",
        "after": "The `endCursor` of the page before, to read the next one.",
        "last": f"How many records from the end of the list (or before `before`): at most {max_page}. Not with `first`.",
        "before": "The `startCursor` of the page after, to read the one before it (with `last`).",
        "filter": "Only the records that match every condition given (see the filter type).",
        "orderBy": "The order of the list; ties are broken by id, so pages never overlap.",
        "id": "The record's id, as the API gave it; one outside the caller's scope is not found.",
        "ids": "Records' ids, as the API gave them.",
        "search": "Text the records' names (or numbers) contain or start with, as described on the field; at most 300 characters.",
        "from": "The first day of the period (inclusive).",
        "to": "The last day of the period (inclusive).",
        "asOf": "The day the figures are as of; today when left out.",
        "currency": "The ISO 4217 code to show amounts in; the reporting currency (CRM_CURRENCY) when left out.",
        "groupBy": "What each row of the answer is for (see the enum's values).",
        "deleted": "True: only deleted records (to restore them); false (the default): only records that are not.",
        "includeDeleted": "Deleted records too (soft-deleted: restorable).",
        "recordType": "The kind of record, by resource name (e.g. opportunity).",
        "recordId": "The record's id, as the API gave it.",
        "resource": "The kind of record, by resource name (e.g. customer, opportunity).",
    }
    for type_ in schema.type_map.values():
        for field in getattr(type_, "fields", {}).values():
            for name, argument in getattr(field, "args", {}).items():
                if argument.description:
                    continue
                if name in said:
                    argument.description = said[name]
                elif (kind := type_by_name(schema, name)) and get_named_type(argument.type).name == "ID":
                    argument.description = f"Only those of this {_words(name)} ({kind}), by id."


def _types(schema: GraphQLSchema) -> None:
    inputs = {}  # input type -> the mutations that take it
    for name, field in (schema.mutation_type.fields.items() if schema.mutation_type else ()):
        if "input" in field.args:
            inputs.setdefault(get_named_type(field.args["input"].type).name, []).append(name)
    payloads = {}
    for name, field in (schema.mutation_type.fields.items() if schema.mutation_type else ()):
        payloads.setdefault(get_named_type(field.type).name, []).append(name)
    for name, kind in schema.type_map.items():
        if name.startswith("__") or kind.description:
            continue
        if name.endswith("Connection") and isinstance(kind, GraphQLObjectType):
            kind.description = f"A page of {name[:-10]} records (Relay's connection): `edges`, `pageInfo`, `totalCount`."
        elif name.endswith("Edge") and isinstance(kind, GraphQLObjectType):
            kind.description = f"One {name[:-4]} of a page, with its cursor."
        elif name in payloads:
            kind.description = f"What {_list(payloads[name])} answer{'s' if len(payloads[name]) == 1 else ''}: the record as it is now " \
                               "(null when refused) and `errors` (empty when it was done)."
        elif name in inputs:
            kind.description = f"The input of {_list(inputs[name])}."
        elif name.endswith("Filter") and isinstance(kind, GraphQLInputObjectType):
            kind.description = f"Conditions on {name[:-6]} records: a record is listed when every condition given holds."
        elif name.endswith("Order") and isinstance(kind, GraphQLInputObjectType):
            kind.description = f"How {name[:-5]} records are ordered: a field and a direction; ties go by id."


def _fields(schema: GraphQLSchema) -> None:
    # A reference's name means the same in inputs as in outputs (`poolId`: a LeadPool), where its type is known.
    named = {name: kind for owner in schema.type_map.values() if isinstance(owner, GraphQLObjectType)
             for name in owner.fields if (kind := reference_type(schema, owner.name, name))}
    for type_name, kind in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType, GraphQLInterfaceType)):
            continue
        is_input = isinstance(kind, GraphQLInputObjectType)
        for name, field in kind.fields.items():
            if not field.description:
                field.description = _field(schema, type_name, name, field, is_input, named)
            if not field.description and type_name.endswith("Payload") and isinstance(get_named_type(field.type), GraphQLObjectType):
                field.description = "The record as it is now; null when the mutation was refused."
    # An input's field means what the same field of the record it makes or changes means (CreateLeadInput.source is
    # Lead.source), unless the input says more.
    for type_name, kind in schema.type_map.items():
        if not isinstance(kind, GraphQLInputObjectType):
            continue
        record = schema.type_map.get(re.sub(VERBS, "", type_name.removesuffix("Input")))
        for name, field in kind.fields.items():
            same = getattr(record, "fields", {}).get(name)
            if not field.description and same is not None and same.description:
                field.description = same.description


VERBS = r"^(Create|Update|Save|Set|Define|Book|Reschedule|Log|Add|Record|Import|Submit)(?=[A-Z])"


OUTPUT = {
    "id": "Its global id: opaque, unique across every type.",
    "version": "Goes up by one with every change. Send it back with an update: the update is refused (CONFLICT) when the "
               "record changed since.",
    "createdAt": "When it was created.",
    "updatedAt": "When it last changed.",
    "deletedAt": "When it was deleted (kept, and restorable); null while it is not.",
    "edges": "The records of this page, each with its cursor.",
    "pageInfo": "Where this page sits, and the cursors to read on from it.",
    "node": "The record.",
    "cursor": "This record's place in the list: pass it as `after` (or `before`) to read on from it.",
    "errors": "Why nothing was changed; empty when the mutation was done.",
    "customFields": "The values of the custom fields admins defined for this kind of record.",
    "position": "Its place in its list, from 1; lists show it in this order.",
    "active": "False when it is switched off: kept, and shown, but not used for new work.",
    "currency": "The ISO 4217 code of its amounts.",
    "resource": "The kind of record, by resource name (e.g. customer); grants and `recordType` use the same names.",
    "recordType": "The kind of record it is about, by resource name (e.g. opportunity).",
    "recordId": "The global id of the record it is about (of the kind `recordType` or `resource` names).",
    "label": "A name for people to read.",
}
INPUT = {
    "id": "The record, by the id the API gave it.",
    "version": "The version you read: the change is refused (CONFLICT) when the record changed since.",
    "customFields": "Values of custom fields, by key; a key no admin defined is refused (UNKNOWN_FIELD).",
    "position": "Its place in its list, from 1.",
    "active": "False switches it off: kept, but not used for new work.",
    "currency": "An ISO 4217 code; the reporting currency (CRM_CURRENCY) when left out.",
    "recordType": "The kind of record, by resource name (e.g. opportunity).",
    "recordId": "The record's id, as the API gave it.",
}


def _field(schema: GraphQLSchema, type_name: str, name: str, field, is_input: bool, named: dict) -> str | None:
    said = (INPUT if is_input else OUTPUT).get(name)
    if said and (name != "version" or get_named_type(field.type).name == "Int"):  # a plugin's version is text
        return said
    kind = (type_by_name(schema, name) or named.get(name)) if is_input else reference_type(schema, type_name, name)
    if get_named_type(field.type).name == "ID" and kind:
        many = name.endswith("Ids")
        what = _words(name)
        if is_input:
            return f"The {what} ({kind}{'s' if many else ''}), by id."
        return f"The global id{'s' if many else ''} of its {what} ({kind}{'s' if many else ''})."
    return None


def _words(name: str) -> str:
    """`submittedById` -> "submitted by"; `userIds` -> "users"."""
    stem = re.sub(r"Ids?$", "", name)
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", stem).lower()
    return words + "s" if name.endswith("Ids") else words


def _list(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
