"""Relay-style connections with keyset (cursor) pagination.

A page is one SELECT of `first + 1` rows ordered by (sort column, id), starting after the cursor's values, so a
page deep in a large table costs the same as the first. `totalCount` is a second query, run only when asked for.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from crm.api.access import inherited
from crm.api.errors import Invalid

DEFAULT_PAGE_SIZE = 20


@strawberry.enum
class SortDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type(description="Where a page sits (Relay's PageInfo).")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="The last edge's cursor: pass it as `after` for the next page.")
    has_previous_page: bool = strawberry.field(default=False, description="True when the page starts after a cursor "
                                               "(`after` was given): records come before it.")
    start_cursor: str | None = strawberry.field(default=None, description="The first edge's cursor.")


def encode_cursor(values: Sequence[Any]) -> str:
    def plain(v):
        if isinstance(v, datetime):
            return {"t": v.isoformat()}
        if isinstance(v, date):
            return {"d": v.isoformat()}
        if isinstance(v, Decimal):
            return {"n": str(v)}
        return v

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    def typed(v):
        if isinstance(v, dict) and len(v) == 1:
            (k, x), = v.items()
            return {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}[k](x)
        return v

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = [typed(v) for v in json.loads(base64.urlsafe_b64decode(padded))]
    except Exception:
        raise Invalid.one("after", "INVALID", "this cursor is not one we gave out; start again without `after`") from None
    if not isinstance(values, list) or len(values) != size:
        raise Invalid.one("after", "INVALID", "this cursor belongs to another ordering; start again without `after`")
    return values


@dataclass
class Edge:
    node: Any
    cursor: str


class Connection:
    """What a connection resolver returns; the strawberry types made by `connection_type` read it."""

    def __init__(self, edges: list[Edge], has_next: bool, count: Callable[[], Awaitable[int]], has_previous: bool = False):
        self.edges = edges
        self.page_info = PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None,
                                  has_previous_page=has_previous, start_cursor=edges[0].cursor if edges else None)
        self._count = count

    async def count(self) -> int:
        return await self._count()


def page_size(first: int | None, maximum: int) -> int:
    if first is None:
        return min(DEFAULT_PAGE_SIZE, maximum)
    if first < 0 or first > maximum:
        raise Invalid.one("first", "INVALID", f"`first` must be between 0 and {maximum}")
    return first


async def paginate(
    session_factory: Callable[[], Any],
    stmt: Select,
    *,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int,
    after: str | None,
    row_values: Callable[[Any], Sequence[Any]],
    select_also: Sequence[Any] = (),
) -> Connection:
    """Run one keyset page of `stmt` (a select of ORM entities). `order` are the sort columns, ending with a unique
    one (the id); `row_values(node)` gives a node's values for them, to build its cursor. A value computed per row
    (the order of a list by last contact) is selected with the page only, as `select_also`: `row_values` then gets
    the row (the entity, then those values)."""
    page = stmt.add_columns(*select_also) if select_also else stmt
    if after:
        values = decode_cursor(after, len(order))
        key = tuple_(*order)
        page = page.where(key > tuple_(*values) if direction is SortDirection.ASC else key < tuple_(*values))
    page = page.order_by(*[c.asc() if direction is SortDirection.ASC else c.desc() for c in order]).limit(first + 1)
    async with session_factory() as session:
        result = (await session.execute(page)) if select_also else (await session.scalars(page))
        rows = list(result.all()) if first else []
    edges = [Edge(node=row[0] if select_also else row, cursor=encode_cursor(row_values(row))) for row in rows[:first]]

    async def count() -> int:
        async with session_factory() as session:
            return await _count(session, stmt)

    return Connection(edges, len(rows) > first, count, has_previous=bool(after))


async def paginate_each(
    info,
    stmt: Select,
    *,
    parent: Any,
    parent_id: Any,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int,
    after: str | None,
    row_values: Callable[[Any], Sequence[Any]],
) -> Connection:
    """`paginate` for a connection under every object of a list, such as each customer's opportunities in a page of
    customers: the pages of all objects that ask for this field are read in one query (rows numbered per parent
    with row_number()) and their counts in one grouped query, so the list costs the same statements for 10 objects
    as for 50. `stmt` selects the rows of every parent: leave the parent condition out; `parent` is the column that
    names the parent (`Opportunity.customer_id`) and `parent_id` this object's value of it."""
    ctx = info.context
    start = decode_cursor(after, len(order)) if after else None
    # One field of the query (its response path without list positions): every parent asks with the same arguments.
    field = ".".join(str(step) for step in info.path.as_list() if not isinstance(step, int))
    pages = ctx.loader(f"page-each:{field}", lambda ids: _pages_each(ctx.db.read, stmt, parent, ids, order, direction, first, start))
    rows, has_next = await pages.load(parent_id)
    edges = [Edge(node=row, cursor=encode_cursor(row_values(row))) for row in rows]
    counts = ctx.loader(f"count-each:{field}", lambda ids: _counts_each(ctx.db.read, stmt, parent, ids))
    return Connection(edges, has_next, lambda: counts.load(parent_id), has_previous=bool(after))


async def list_page(
    info,
    stmt: Select,
    *,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int | None,
    after: str | None,
    parent: Any = None,
    parent_id: Any = None,
    row_values: Callable[[Any], Sequence[Any]] | None = None,
) -> Connection:
    """The one way to answer a list field: `first` checked against the page-size limit, one keyset page of `stmt`
    in `order` (sort columns ending with a unique one, read back from each row by attribute name unless
    `row_values` is given). With `parent`/`parent_id` it is the list under one object of a list (a customer's
    deals), read for every object of the response at once (`paginate_each`)."""
    ctx = info.context
    page = dict(order=order, direction=direction, first=page_size(first, ctx.settings.max_page_size), after=after,
                row_values=row_values or (lambda row: [getattr(row, column.key) for column in order]))
    if parent is not None:
        return await paginate_each(info, stmt, parent=parent, parent_id=parent_id, **page)
    return await paginate(ctx.db.read, stmt, **page)


def first_rows_each(stmt: Select, parent: Any, ids: Sequence[Any], sort: Sequence[Any], first: int) -> Select:
    """One statement for the first `first + 1` rows of each parent in `ids` (stmt's rows, in `sort` order): for one
    parent the plain ordered LIMIT, which an index serves in order; for several, rows numbered per parent with
    row_number() and cut at `first + 1`. Selects what `stmt` selects (an entity, or columns)."""
    if len(ids) == 1:
        return stmt.where(parent == ids[0]).order_by(*sort).limit(first + 1)
    rank = func.row_number().over(partition_by=parent, order_by=sort).label("page_rank")
    numbered = stmt.where(parent.in_(ids)).add_columns(rank).subquery()
    described = stmt.column_descriptions
    whole = len(described) == 1 and described[0]["entity"] is not None and described[0]["expr"] is described[0]["entity"]
    selected = [aliased(described[0]["entity"], numbered)] if whole else [numbered.c[c.key] for c in stmt.selected_columns]
    return select(*selected).where(numbered.c.page_rank <= first + 1).order_by(numbered.c[parent.key], numbered.c.page_rank)


def pages_by_parent(rows, parent_key: str, ids: Sequence[Any], first: int) -> list[tuple[list, bool]]:
    """(page, has_next) per parent, from the rows of `first_rows_each`."""
    found: dict[Any, list] = {}
    for row in rows:
        found.setdefault(getattr(row, parent_key), []).append(row)
    return [(found.get(i, [])[:first], len(found.get(i, [])) > first) for i in ids]


async def _pages_each(session_factory, stmt: Select, parent, ids, order, direction: SortDirection, first: int, start):
    if not first:
        return [([], False)] * len(ids)
    sort = [c.asc() if direction is SortDirection.ASC else c.desc() for c in order]
    if start is not None:
        key = tuple_(*order)
        stmt = stmt.where(key > tuple_(*start) if direction is SortDirection.ASC else key < tuple_(*start))
    async with session_factory() as session:
        rows = (await session.scalars(first_rows_each(stmt, parent, ids, sort, first))).all()
    return pages_by_parent(rows, parent.key, ids, first)


async def _counts_each(session_factory, stmt: Select, parent, ids) -> list[int]:
    rows = stmt.where(parent.in_(ids)).order_by(None).subquery()
    async with session_factory() as session:
        found = dict((await session.execute(select(rows.c[parent.key], func.count()).group_by(rows.c[parent.key]))).all())
    return [found.get(i, 0) for i in ids]


async def _count(session: AsyncSession, stmt: Select) -> int:
    return (await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))) or 0


_connection_types: dict[str, type] = {}


def connection_type(name: str, node: Any) -> type:
    """`{name}Connection` with `{name}Edge` for node type `node` (a type or a lazy reference)."""
    if name in _connection_types:
        return _connection_types[name]
    edge = strawberry.type(type(f"{name}Edge", (), {"__annotations__": {"node": node, "cursor": str}}), name=f"{name}Edge")

    @strawberry.field(description="How many records match, across all pages.")
    @inherited
    async def total_count(self, info: strawberry.Info) -> int:
        return await self.count()

    conn = strawberry.type(
        type(
            f"{name}Connection",
            (),
            {"__annotations__": {"edges": list[edge], "page_info": PageInfo}, "total_count": total_count},
        ),
        name=f"{name}Connection",
    )
    _connection_types[name] = conn
    return conn
