"""Global ids: every id the API gives out names its type (Relay's Node), so a client cache can keep any object by its
id alone and `node(id:)` can fetch it again.

A global id is base64url("Customer:42") without padding: opaque to clients, cheap to make and to read. Inside the
server ids stay integers: `crm.parse_id` accepts a global id or, for a deprecation period, the plain number
(docs/api.md). Ids are made global where the response is written, not by each resolver: once the schema is composed,
`install` wraps the resolver of every ID field whose type it can tell:

- `id` on an object type is an id of that type (`Customer.id`); on a type that carries a `resource` (a duplicate that
  may be a lead or a customer), of that resource's type;
- a reference `<type>Id` / `<type>Ids` names its type (`customerId`, `productId`); `ownerId`, `actorId`, `userIds`
  and the like are users; any other reference says what it refers to on its field:
  `strawberry.field(metadata={"refers_to": "LeadPool"})`;
- `recordId` next to `recordType` or `resource` is an id of that resource's type.

tests/test_global_ids.py fails when an ID in the schema is covered by none of these rules.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from inspect import isawaitable
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, default_field_resolver, get_named_type

USERS = {"ownerId", "actorId", "submittedById", "uploadedById", "assigneeId", "createdById", "managerId", "staffId", "userIds",
         "memberIds", "approverIds", "ownerIds"}
_GLOBAL = re.compile(r"^([A-Z][A-Za-z0-9]*):(\d{1,19})$")


def global_id(type_name: str, local: Any) -> str:
    """The global id of record `local` (an int, or its digits) of GraphQL type `type_name`."""
    return base64.urlsafe_b64encode(f"{type_name}:{local}".encode()).decode().rstrip("=")


def from_global(value: str) -> tuple[str, str] | None:
    """(type name, local id digits) of a global id; None when `value` is not one (a plain number is not)."""
    if not isinstance(value, str) or not value or value.isdigit() or len(value) > 64:
        return None
    try:
        decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    match = _GLOBAL.match(decoded)
    return (match.group(1), match.group(2)) if match else None


def _encoded(value: Any, type_name: str | None) -> Any:
    if type_name is None or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_encoded(v, type_name) for v in value]
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return global_id(type_name, value)
    return value  # already global, or not a record's number (an audit entry about a plugin names it)


class GlobalIdField:
    """What `install` put on one field: which type its ids are of, for a given source object."""

    def __init__(self, type_of: Callable[[Any], str | None], inner: Callable):
        self.type_of = type_of
        self.inner = inner

    def __call__(self, source, info, **args):
        value = self.inner(source, info, **args)
        if isawaitable(value):
            return self._later(value, source)
        return _encoded(value, self.type_of(source))

    async def _later(self, value, source):
        return _encoded(await value, self.type_of(source))

    def encode(self, source, value):
        return _encoded(value, self.type_of(source))


def _resource_of(source: Any) -> str | None:
    return getattr(source, "record_type", None) or getattr(source, "resource", None)


def rule_for(schema: GraphQLSchema, owner: GraphQLObjectType, name: str, field: GraphQLField,
             resource_types: Mapping[str, str]) -> Callable[[Any], str | None] | None:
    """How to tell the type of the ids in `owner.name`; None when no rule covers it."""
    def of_resource(source):
        return resource_types.get(_resource_of(source))

    strawberry_field = (field.extensions or {}).get("strawberry-definition")
    declared = (getattr(strawberry_field, "metadata", None) or {}).get("refers_to")
    if declared:
        return lambda _source: declared
    if name == "id":
        return of_resource if "resource" in owner.fields or "recordType" in owner.fields else (lambda _s, t=owner.name: t)
    if name == "recordId":
        return of_resource if ("recordType" in owner.fields or "resource" in owner.fields) else None
    named = type_by_name(schema, name)
    return (lambda _source: named) if named else None


def type_by_name(schema: GraphQLSchema, name: str) -> str | None:
    """The type a reference names by the convention: users by role (`ownerId`), else `<type>Id` / `<type>Ids`."""
    if name in USERS:
        return "User"
    for suffix in ("Ids", "Id"):
        if name.endswith(suffix):
            candidate = name[: -len(suffix)][:1].upper() + name[: -len(suffix)][1:]
            if isinstance(schema.type_map.get(candidate), GraphQLObjectType):
                return candidate
    return None


def id_fields(schema: GraphQLSchema):
    """(type, name, field) of every field that gives out record ids: ID fields, and `recordId` strings."""
    roots = {t.name for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t}
    for type_name, kind in schema.type_map.items():
        if type_name.startswith("__") or type_name in roots or not isinstance(kind, GraphQLObjectType):
            continue
        for name, field in kind.fields.items():
            if get_named_type(field.type).name == "ID" or name == "recordId":
                yield kind, name, field


def install(schema: GraphQLSchema, resource_types: Mapping[str, str]) -> list[str]:
    """Make every record id the schema gives out global; the fields no rule covers (`Type.field`), left as they are."""
    uncovered = []
    for owner, name, field in id_fields(schema):
        type_of = rule_for(schema, owner, name, field, resource_types)
        if type_of is None:
            uncovered.append(f"{owner.name}.{name}")
            continue
        if not isinstance(field.resolve, GlobalIdField):
            field.resolve = GlobalIdField(type_of, field.resolve or default_field_resolver)
    return uncovered


def reference_type(schema: GraphQLSchema, type_name: str | None, field_name: str) -> str | None:
    """The type of the records an ID field `field_name` of `type_name` refers to (`Lead.poolId`: LeadPool); None when it
    is no reference (or `recordId`, whose type depends on the record). For values kept outside the field, such as the
    old and new values of an audited change."""
    if field_name in ("id", "recordId"):
        return None
    owner = schema.type_map.get(type_name or "")
    field = getattr(owner, "fields", {}).get(field_name)
    if field is None:  # a column the type shows as an object (`customer { id }`): the name tells
        return type_by_name(schema, field_name)
    if get_named_type(field.type).name != "ID":
        return None
    rule = rule_for(schema, owner, field_name, field, {})
    return rule(None) if rule else None


def report_key(type_name: str | None, key: Any) -> Any:
    """A report row's key as the API gives it out: when the rows are grouped by records of `type_name` (owners are
    Users, queues Queues) a key that is a record's number becomes that record's global id, so clients match it with
    the records they hold; any other key (a month, a priority, "none", 0 for "no queue") stays as it is."""
    if type_name and (isinstance(key, int) or (isinstance(key, str) and key.isdigit())) and int(key) > 0:
        return global_id(type_name, key)
    return key
