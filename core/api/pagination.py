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


@strawberry.enum(description="Ascending or descending.")
class SortDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type(description="Where a page sits (Relay's PageInfo).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when records follow this page. Reading forwards (`first`) "
                                           "it is exact; reading backwards (`last`) it is true when `before` was given.")
    end_cursor: str | None = strawberry.field(description="The last edge's cursor: pass it as `after` for the next page.")
    has_previous_page: bool = strawberry.field(default=False, description="True when records come before this page. "
                                               "Reading backwards (`last`) it is exact; reading forwards it is true when "
                                               "`after` was given.")
    start_cursor: str | None = strawberry.field(default=None, description="The first edge's cursor: pass it as `before` "
                                                "(with `last`) for the page before.")


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


def decode_cursor(cursor: str, size: int, field: str = "after") -> list[Any]:
    def typed(v):
        if isinstance(v, dict) and len(v) == 1:
            (k, x), = v.items()
            return {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}[k](x)
        return v

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = [typed(v) for v in json.loads(base64.urlsafe_b64decode(padded))]
    except Exception:
        raise Invalid.one(field, "INVALID", f"this cursor is not one we gave out; start again without `{field}`") from None
    if not isinstance(values, list) or len(values) != size:
        raise Invalid.one(field, "INVALID", f"this cursor belongs to another ordering; start again without `{field}`")
    return values


@dataclass(frozen=True)
class Window:
    """Which part of an ordered list one page is: at most `size` rows after `after` and before `before` (cursor
    values), counted from the start (`first`) or, with `from_end`, from the end (`last`). Reading from the end is the
    same keyset query in the opposite order, turned round afterwards, so a page before costs what a page after does."""

    size: int
    after: list | None = None
    before: list | None = None
    from_end: bool = False

    @classmethod
    def of(cls, first: int | None, after: str | None, last: int | None, before: str | None, keys: int) -> Window:
        """The window of a connection's arguments, the sizes already checked (`page_size`); `keys` sort columns."""
        if first is not None and last is not None:
            raise Invalid.one("last", "INVALID", "give `first` or `last`, not both")
        return cls(
            size=last if last is not None else (first if first is not None else DEFAULT_PAGE_SIZE),
            after=decode_cursor(after, keys, "after") if after else None,
            before=decode_cursor(before, keys, "before") if before else None,
            from_end=last is not None,
        )

    def bound(self, stmt: Select, order: Sequence[Any], direction: SortDirection) -> Select:
        """`stmt` limited to the rows between the cursors."""
        key = tuple_(*order)
        ascending = direction is SortDirection.ASC
        if self.after is not None:
            stmt = stmt.where(key > tuple_(*self.after) if ascending else key < tuple_(*self.after))
        if self.before is not None:
            stmt = stmt.where(key < tuple_(*self.before) if ascending else key > tuple_(*self.before))
        return stmt

    def sort(self, order: Sequence[Any], direction: SortDirection) -> list:
        """The order to read rows in: the list's own, or the opposite when counting from the end."""
        ascending = (direction is SortDirection.ASC) != self.from_end
        return [c.asc() if ascending else c.desc() for c in order]

    def cut(self, rows: Sequence[Any]) -> tuple[list, bool, bool]:
        """(page in the list's order, has_next, has_previous) from the `size + 1` rows read in `sort` order. Only the
        side read towards is known for sure; the other is true when a cursor on that side was given (Relay allows it)."""
        page, more = list(rows[: self.size]), len(rows) > self.size
        if self.from_end:
            return page[::-1], self.before is not None, more
        return page, more, self.after is not None


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


def page_size(first: int | None, maximum: int, field: str = "first") -> int:
    """A page size asked for (`first` or `last`), checked: 20 (or `maximum`, when smaller) when left out."""
    if first is None:
        return min(DEFAULT_PAGE_SIZE, maximum)
    if first < 0 or first > maximum:
        raise Invalid.one(field, "INVALID", f"`{field}` must be between 0 and {maximum}")
    return first


async def paginate(
    session_factory: Callable[[], Any],
    stmt: Select,
    *,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int | None,
    after: str | None,
    row_values: Callable[[Any], Sequence[Any]],
    select_also: Sequence[Any] = (),
    last: int | None = None,
    before: str | None = None,
) -> Connection:
    """Run one keyset page of `stmt` (a select of ORM entities). `order` are the sort columns, ending with a unique
    one (the id); `row_values(node)` gives a node's values for them, to build its cursor. A value computed per row
    (the order of a list by last contact) is selected with the page only, as `select_also`: `row_values` then gets
    the row (the entity, then those values). `first`/`after` read forwards, `last`/`before` backwards; the sizes are
    checked by the caller (`page_size`, or use `list_page`, which does)."""
    window = Window.of(first, after, last, before, len(order))
    page = stmt.add_columns(*select_also) if select_also else stmt
    page = window.bound(page, order, direction).order_by(*window.sort(order, direction)).limit(window.size + 1)
    rows = []
    if window.size:  # `first: 0` asks for the count alone: no page is read
        async with session_factory() as session:
            result = (await session.execute(page)) if select_also else (await session.scalars(page))
            rows = list(result.all())
    rows, has_next, has_previous = window.cut(rows)
    edges = [Edge(node=row[0] if select_also else row, cursor=encode_cursor(row_values(row))) for row in rows]

    async def count() -> int:
        async with session_factory() as session:
            return await _count(session, stmt)

    return Connection(edges, has_next, count, has_previous=has_previous)


async def paginate_each(
    info,
    stmt: Select,
    *,
    parent: Any,
    parent_id: Any,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int | None,
    after: str | None,
    row_values: Callable[[Any], Sequence[Any]],
    last: int | None = None,
    before: str | None = None,
) -> Connection:
    """`paginate` for a connection under every object of a list, such as each customer's opportunities in a page of
    customers: the pages of all objects that ask for this field are read in one query (rows numbered per parent
    with row_number()) and their counts in one grouped query, so the list costs the same statements for 10 objects
    as for 50. `stmt` selects the rows of every parent: leave the parent condition out; `parent` is the column that
    names the parent (`Opportunity.customer_id`) and `parent_id` this object's value of it."""
    ctx = info.context
    window = Window.of(first, after, last, before, len(order))
    # One field of the query (its response path without list positions): every parent asks with the same arguments.
    field = ".".join(str(step) for step in info.path.as_list() if not isinstance(step, int))
    pages = ctx.loader(f"page-each:{field}", lambda ids: _pages_each(ctx.db.read, stmt, parent, ids, order, direction, window))
    rows, has_next, has_previous = await pages.load(parent_id)
    edges = [Edge(node=row, cursor=encode_cursor(row_values(row))) for row in rows]
    counts = ctx.loader(f"count-each:{field}", lambda ids: _counts_each(ctx.db.read, stmt, parent, ids))
    return Connection(edges, has_next, lambda: counts.load(parent_id), has_previous=has_previous)


async def list_page(
    info,
    stmt: Select,
    *,
    order: Sequence[Any],
    direction: SortDirection = SortDirection.ASC,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    parent: Any = None,
    parent_id: Any = None,
    row_values: Callable[[Any], Sequence[Any]] | None = None,
    select_also: Sequence[Any] = (),
) -> Connection:
    """The one way to answer a list field: `first` (or `last`) checked against the page-size limit, one keyset page
    of `stmt` in `order` (sort columns ending with a unique one, read back from each row by attribute name unless
    `row_values` is given), after `after` and before `before`. With `parent`/`parent_id` it is the list under one
    object of a list (a customer's deals), read for every object of the response at once (`paginate_each`). A value
    computed per row to sort by is `select_also` (see `paginate`)."""
    maximum = info.context.settings.max_page_size
    page = dict(order=order, direction=direction, after=after, before=before,
                first=page_size(first, maximum) if last is None else first,
                last=None if last is None else page_size(last, maximum, "last"),
                row_values=row_values or (lambda row: [getattr(row, column.key) for column in order]))
    if parent is not None:
        return await paginate_each(info, stmt, parent=parent, parent_id=parent_id, **page)
    return await paginate(info.context.db.read, stmt, select_also=select_also, **page)


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


def pages_by_parent(rows, parent_key: str, ids: Sequence[Any], window: Window) -> list[tuple[list, bool, bool]]:
    """(page, has_next, has_previous) per parent, from the rows of `first_rows_each` read in `window.sort` order."""
    found: dict[Any, list] = {}
    for row in rows:
        found.setdefault(getattr(row, parent_key), []).append(row)
    return [window.cut(found.get(i, [])) for i in ids]


async def _pages_each(session_factory, stmt: Select, parent, ids, order, direction: SortDirection, window: Window):
    if not window.size:
        return [window.cut([])] * len(ids)
    stmt = window.bound(stmt, order, direction)
    async with session_factory() as session:
        rows = (await session.scalars(first_rows_each(stmt, parent, ids, window.sort(order, direction), window.size))).all()
    return pages_by_parent(rows, parent.key, ids, window)


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
