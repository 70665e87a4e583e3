"""Composing one strawberry schema from the contributions of the core and every enabled plugin.

strawberry cannot add fields to a type after it is defined, so each module contributes fragments (small strawberry
types with unique names) and the core builds the final types here: `Customer` = the core's CustomerCore + every
fragment registered for "Customer". Inputs are assembled the same way: sales adds its conditions to the core's
`CustomerFilter` with an input fragment whose `conditions(info)` says what its fields mean in SQL. The root Query
and Mutation are merged the same way. strawberry silently lets the first definition of a duplicated field win, so
clashes are detected here and refused.
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.config import StrawberryConfig

from crm.api import descriptions, global_ids
from crm.api import types as assembled
from crm.api.guard import Limits
from crm.api.nodes import NodeQuery
from crm.api.scalars import SCALAR_MAP
from crm.api.schema import CRMSchema
from crm.declarations import GraphQLContribution


class CompositionError(Exception):
    pass


def _field_names(cls: type) -> set[str]:
    definition = cls.__strawberry_definition__
    return {f.python_name for f in definition.fields}


def _is_input(cls: type) -> bool:
    return cls.__strawberry_definition__.is_input


def _merge(name: str, parts: list[tuple[str, type]], description: str | None = None) -> type:
    """A strawberry type `name` with every field of `parts` ((owner, class) pairs); a field defined twice is an error.
    Inputs merge with inputs (a filter that modules add conditions to), object types with object types."""
    seen: dict[str, str] = {}
    for owner, cls in parts:
        if not hasattr(cls, "__strawberry_definition__"):
            raise CompositionError(f"{owner}: {cls.__qualname__} contributed to {name} is not a strawberry type")
        if _is_input(cls) != _is_input(parts[0][1]):
            kind = "an input" if _is_input(parts[0][1]) else "an object type"
            raise CompositionError(f"{owner}: {cls.__qualname__} contributed to {name}, which is {kind}, is not one")
        for field in _field_names(cls):
            if field in seen:
                raise CompositionError(
                    f"field {name}.{field} is defined twice: by {seen[field]} and by {owner}; rename one of them"
                )
            seen[field] = owner
    bases = tuple(cls for _, cls in parts)
    make = strawberry.input if _is_input(parts[0][1]) else strawberry.type
    return make(type(name, bases, {}), name=name, description=description)


def compose(contributions: Iterable[tuple[str, GraphQLContribution]], *, settings, models: Iterable[type] = ()) -> CRMSchema:
    """The schema of `contributions` ((owner, contribution) pairs). `models` are the enabled modules' models: a record
    id's global form names the GraphQL type of the model's name (crm.api.global_ids)."""
    contributions = [("core", GraphQLContribution(query=[NodeQuery])), *contributions]
    owned: dict[str, tuple[str, type]] = {}
    node_fields: dict[str, str] = {}
    extensions: dict[str, list[tuple[str, type]]] = {}
    queries: list[tuple[str, type]] = []
    mutations: list[tuple[str, type]] = []
    for owner, c in contributions:
        for name, cls in c.types.items():
            if name in owned:
                raise CompositionError(f"type {name} is owned by both {owned[name][0]} and {owner}; only one may own it")
            owned[name] = (owner, cls)
        for name, fragments in c.extends.items():
            extensions.setdefault(name, []).extend((owner, f) for f in fragments)
        queries.extend((owner, q) for q in c.query)
        mutations.extend((owner, m) for m in c.mutation)
        for name, field in c.nodes.items():
            node_fields[name] = field

    for name, fragments in extensions.items():
        if name not in owned:
            owners = ", ".join(sorted({o for o, _ in fragments}))
            raise CompositionError(f"{owners} extend type {name}, which no enabled module owns; enable its owner first")

    final: dict[str, type] = {}
    for name, (owner, base) in owned.items():
        parts = [(owner, base), *extensions.get(name, [])]
        description = base.__strawberry_definition__.description
        final[name] = _merge(name, parts, description) if len(parts) > 1 else _renamed(name, base, description)
    assembled.publish(final)

    query = _merge("Query", queries, "What can be read: every field checks the caller's grants and scope.")
    mutation = _merge("Mutation", mutations, "What can be changed: each takes one `input` and answers with a payload whose "
                      "`errors` say why nothing was changed.") if mutations else None
    # The limits are checked before validation, with each fragment measured once (crm.api.guard): validation rules
    # that expand fragments as written would let a small document cost exponential time.
    limits = Limits(
        max_chars=settings.max_query_chars, max_tokens=settings.max_query_tokens, max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases, max_complexity=settings.max_query_complexity, default_page=20,
        max_page=settings.max_page_size,
    )
    schema = CRMSchema(
        query=query,
        mutation=mutation,
        types=list(final.values()),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        limits=limits,
        timeout_seconds=settings.request_timeout_seconds,
        prepared_execution=settings.prepared_execution,
        # Every document is validated with these rules before it runs, prepared or not (crm.api.schema).
        validation_rules=() if settings.introspection_allowed else (NoSchemaIntrospectionCustomRule,),
    )
    descriptions.describe(schema._schema, settings.max_page_size)
    schema.node_fields = _checked_nodes(schema._schema, node_fields)
    type_of_model = {m: m.__name__ for m in models if m.__name__ in schema._schema.type_map}
    resource_types = {}
    for model, name in type_of_model.items():  # the first model a resource names is its record (as the runtime's)
        if getattr(model, "__resource__", ""):
            resource_types.setdefault(model.__resource__, name)
    schema.resource_types = resource_types
    schema.uncovered_ids = global_ids.install(schema._schema, resource_types)
    schema._schema.type_map["Node"].resolve_type = lambda record, _info, _type: type_of_model.get(type(record))
    return schema


def _checked_nodes(schema, node_fields: dict[str, str]) -> dict[str, str]:
    """`node_fields` (type -> root query field), each type implementing Node and its field reading one by `id`."""
    node = schema.type_map["Node"]
    for name, field in node_fields.items():
        kind = schema.type_map.get(name)
        if kind is None or node not in getattr(kind, "interfaces", ()):
            raise CompositionError(f"node {name}: the type must exist and implement crm.Node (class {name}(crm.Node))")
        root = schema.query_type.fields.get(field)
        if root is None or "id" not in root.args:
            raise CompositionError(f"node {name}: the query field {field!r} that reads one by `id` does not exist")
    return node_fields


def _renamed(name: str, base: type, description: str | None) -> type:
    # Owned types are defined as e.g. CustomerCore; the schema always shows the assembled name.
    make = strawberry.input if _is_input(base) else strawberry.type
    return make(type(name, (base,), {}), name=name, description=description)
