"""A customer's timeline: the entries of every source, unioned and paginated in SQL, newest first.

A source whose resource the caller may not read contributes nothing; sources filter their own rows by scope.
Sources select for a list of customers (`select(access, customer_ids)`), so the timelines of a whole page of
customers are one query.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from crm.api import refs
from sqlalchemy import String, cast, func, literal, select, union_all

from crm.api.access import requires
from crm.api.pagination import (
    Connection,
    Edge,
    SortDirection,
    Window,
    connection_type,
    encode_cursor,
    first_rows_each,
    page_size,
    pages_by_parent,
)
from crm.identity.schema.types import user_loader

COLUMNS = ("customer_id", "id", "occurred_at", "kind", "title", "body", "record_type", "record_id", "actor_id")


def timeline_columns(model: type, resource: str, *, occurred_at: Any, kind: Any, title: Any, body: Any = None,
                     actor_id: Any = None, customer_id: Any = None) -> list:
    """The labelled columns of a `TimelineSource` select whose entries are records of `model`: `select(*columns)`.
    Each entry is about its record (`resource`, the row's id) and its id is `"<resource>:<id>"`. `kind` and `title`
    are columns or plain strings; `actor_id` defaults to the record's owner, `customer_id` to its customer."""
    def value(x, type_=String):
        return literal(x, type_) if x is None or isinstance(x, str) else x

    record_id = cast(model.id, String)
    return [
        (customer_id if customer_id is not None else model.customer_id).label("customer_id"),
        (literal(f"{resource}:") + record_id).label("id"),
        occurred_at.label("occurred_at"),
        value(kind).label("kind"),
        value(title).label("title"),
        value(body).label("body"),
        literal(resource).label("record_type"),
        record_id.label("record_id"),
        (actor_id if actor_id is not None else model.owner_id).label("actor_id"),
    ]


@strawberry.type(description="One thing that happened with a customer.")
class TimelineEntry:
    id: str
    occurred_at: datetime = strawberry.field(description="When it happened.")
    kind: str = strawberry.field(description="call, email, meeting, note, task, change, or a kind a plugin adds.")
    title: str = strawberry.field(description="A one-line summary.")
    body: str | None = strawberry.field(description="More, when there is more.")
    record_type: str | None = strawberry.field(description="The kind of record the entry is about, e.g. opportunity.")
    record_id: str | None

    @strawberry.field(description="Who did it.")
    @requires("user", "read", or_null=True)
    async def actor(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.actor_id) if self.actor_id else None


TimelineConnection = connection_type("Timeline", TimelineEntry)


async def timeline(ctx, customer_id: int, first: int | None, after: str | None, kinds: list[str] | None,
                   last: int | None = None, before: str | None = None):
    """One customer's page. Pages of every customer in a response are read together (one query per distinct set of
    arguments), so a list of 50 customers with their timelines costs the same statements as one."""
    maximum = ctx.settings.max_page_size
    window = Window.of(page_size(first, maximum) if last is None else first, after,
                       None if last is None else page_size(last, maximum, "last"), before, 2)
    kinds = tuple(sorted(set(kinds))) if kinds else ()
    key = f"core.timeline:{window.size}:{window.from_end}:{after}:{before}:{','.join(kinds)}"
    pages = ctx.loader(key, lambda ids: _pages(ctx, ids, window, kinds))
    rows, has_next, has_previous = await pages.load(customer_id)
    edges = [Edge(node=r, cursor=encode_cursor([_aware(r.occurred_at), r.id])) for r in rows]
    counts = ctx.loader(f"core.timeline.count:{','.join(kinds)}", lambda ids: _counts(ctx, ids, kinds))
    return Connection(edges, has_next, lambda: counts.load(customer_id), has_previous=has_previous)


def _entries(ctx, customer_ids, kinds):
    """Every readable source's entries for these customers, as one UNION ALL; None when no source is readable."""
    selects = []
    for source in ctx.runtime.timeline_sources:
        if not ctx.access.can(source.resource, "read"):
            continue
        if kinds and not set(kinds) & set(source.kinds):
            continue
        stmt = source.select(ctx.access, customer_ids)
        if kinds:
            stmt = stmt.where(stmt.selected_columns.kind.in_(kinds))
        selects.append(stmt)
    return union_all(*selects).subquery() if selects else None


async def _pages(ctx, customer_ids, window: Window, kinds) -> list[tuple[list, bool, bool]]:
    entries = _entries(ctx, customer_ids, kinds) if window.size else None
    if entries is None:
        return [window.cut([])] * len(customer_ids)
    order = (entries.c.occurred_at, entries.c.id)  # newest first
    stmt = window.bound(select(*[entries.c[name] for name in COLUMNS]), order, SortDirection.DESC)
    async with ctx.db.read() as session:
        rows = (await session.execute(first_rows_each(stmt, entries.c.customer_id, customer_ids,
                                                      window.sort(order, SortDirection.DESC), window.size))).all()
    return pages_by_parent(rows, "customer_id", customer_ids, window)


async def _counts(ctx, customer_ids, kinds) -> list[int]:
    entries = _entries(ctx, customer_ids, kinds)
    if entries is None:
        return [0] * len(customer_ids)
    async with ctx.db.read() as session:
        found = dict((await session.execute(select(entries.c.customer_id, func.count()).group_by(entries.c.customer_id))).all())
    return [found.get(i, 0) for i in customer_ids]


def _aware(value):
    if isinstance(value, str):  # SQLite hands back text from a UNION of typed columns
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
