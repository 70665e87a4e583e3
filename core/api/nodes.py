"""Relay's Node: `node(id:)` and `nodes(ids:)` fetch any record again by its global id, as the record's own query does.

A module makes a type refetchable by naming, in its `GraphQLContribution.nodes`, the root query field that reads one
record of it by id (`{"Customer": "customer"}`). `node` decodes the global id, and answers with that field's resolver:
the same permission check, scope and soft-delete rule, and the same batch loader, so `nodes` with fifty ids of one
type is one query. An id of a type that is not a Node, an id that is not global, a record that does not exist and
one the caller may not read all answer null, alike.
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable

import strawberry
from graphql import GraphQLError

from crm.api.access import authenticated
from crm.api.errors import bad_input
from crm.api.global_ids import from_global

MAX_NODES = 100


@strawberry.interface(description="A record with a global id: `node(id:)` fetches it again.")
class Node:
    id: strawberry.ID = strawberry.field(description="The record's global id: opaque, unique across every type.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        # Resolvers answer with the records themselves (ORM rows), not instances of the strawberry class, so the
        # isinstance check strawberry would make for a type with an interface cannot hold. A field's declared type is
        # trusted, as for every other type; `node` tells the type of what it found with the Node interface's resolve_type.
        return True


async def fetch_node(info: strawberry.Info, raw: str):
    found = from_global(raw)
    field_name = info.schema.node_fields.get(found[0]) if found else None
    if field_name is None:
        return None
    field = info.schema._schema.query_type.fields[field_name]
    try:
        record = field.resolve(None, info._raw_info, id=found[1])
        return await record if isawaitable(record) else record
    except GraphQLError as exc:  # no read grant on that kind of record: as unknown as a missing one
        if (exc.extensions or {}).get("code") == "FORBIDDEN":
            return None
        raise


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any record by its global id; null when there is none the caller may read.")
    @authenticated
    async def node(self, info: strawberry.Info, id: strawberry.ID) -> Node | None:
        return await fetch_node(info, id)

    @strawberry.field(description=f"Records by their global ids, in the order asked, null for each one there is none "
                                  f"of the caller may read; at most {MAX_NODES}. Ids of one type are read together.")
    @authenticated
    async def nodes(self, info: strawberry.Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise bad_input("ids", f"at most {MAX_NODES} ids")
        return list(await asyncio.gather(*(fetch_node(info, raw) for raw in ids)))
