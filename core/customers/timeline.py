"""A customer's timeline: the entries of every source, unioned and paginated in SQL, newest first.

A source whose resource the caller may not read contributes nothing; sources filter their own rows by scope.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from crm.api import refs
from sqlalchemy import func, select, tuple_, union_all

from crm.api.access import requires
from crm.api.pagination import Connection, Edge, connection_type, decode_cursor, encode_cursor, page_size
from crm.identity.schema.types import user_loader

COLUMNS = ("id", "occurred_at", "kind", "title", "body", "record_type", "record_id", "actor_id")


@strawberry.type(description="One thing that happened with a customer.")
class TimelineEntry:
    id: str
    occurred_at: datetime
    kind: str = strawberry.field(description="call, email, meeting, note, task, change, or a kind a plugin adds.")
    title: str
    body: str | None
    record_type: str | None = strawberry.field(description="The kind of record the entry is about, e.g. opportunity.")
    record_id: str | None

    @strawberry.field
    @requires("user", "read", or_null=True)
    async def actor(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.actor_id) if self.actor_id else None


TimelineConnection = connection_type("Timeline", TimelineEntry)


async def timeline(ctx, customer_id: int, first: int | None, after: str | None, kinds: list[str] | None):
    first = page_size(first, ctx.settings.max_page_size)
    selects = []
    for source in ctx.runtime.timeline_sources:
        if not ctx.access.can(source.resource, "read"):
            continue
        if kinds and not set(kinds) & set(source.kinds):
            continue
        stmt = source.select(ctx.access, customer_id)
        if kinds:
            stmt = stmt.where(stmt.selected_columns.kind.in_(kinds))
        selects.append(stmt)
    if not selects:
        return Connection([], False, _zero)
    entries = union_all(*selects).subquery()
    stmt = select(*[entries.c[name] for name in COLUMNS])
    key = tuple_(entries.c.occurred_at, entries.c.id)
    if after:
        stamp, entry_id = decode_cursor(after, 2)
        stmt = stmt.where(key < tuple_(stamp, entry_id))
    stmt = stmt.order_by(entries.c.occurred_at.desc(), entries.c.id.desc()).limit(first + 1)
    async with ctx.db.read() as session:
        rows = (await session.execute(stmt)).all() if first else []
    edges = [Edge(node=r, cursor=encode_cursor([_aware(r.occurred_at), r.id])) for r in rows[:first]]

    async def count() -> int:
        async with ctx.db.read() as session:
            return await session.scalar(select(func.count()).select_from(union_all(*selects).subquery())) or 0

    return Connection(edges, len(rows) > first, count)


def _aware(value):
    if isinstance(value, str):  # SQLite hands back text from a UNION of typed columns
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def _zero() -> int:
    return 0
