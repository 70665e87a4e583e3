"""Per-request batch loaders for plugins' records: a list of N records costs the same few statements as one.

Each loader is cached on the request context under a name made from the table (and column), so every field of a
response that asks for the same kind of row shares one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select


def grouped(rows: Sequence[Any], ids: Sequence[Any], key: Callable[[Any], Any]) -> list[list[Any]]:
    """`rows` split by `key(row)` into one list per id of `ids`, in the order of `ids` (empty where none)."""
    out: dict[Any, list] = {i: [] for i in ids}
    for row in rows:
        out[key(row)].append(row)
    return [out[i] for i in ids]


def by_id_loader(ctx, model: type):
    """Rows of `model` by id, None where missing. For records without scope (stages, pipelines, catalogues); a
    record with owners is read through `visible_loader`."""

    async def load(ids):
        async with ctx.db.read() as session:
            found = {r.id: r for r in (await session.scalars(select(model).where(model.id.in_(ids)))).all()}
        return [found.get(i) for i in ids]

    return ctx.loader(f"by-id:{model.__tablename__}", load)


def visible_loader(ctx, model: type, resource: str):
    """Records of `model` by id, None for those missing, soft-deleted or outside the caller's scope on `resource`."""

    async def load(ids):
        stmt = select(model).where(model.id.in_(ids), model.deleted_at.is_(None), ctx.access.filter(model, resource))
        async with ctx.db.read() as session:
            found = {r.id: r for r in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader(f"visible:{model.__tablename__}:{resource}", load)


def children_loader(ctx, model: type, column: str, order: Sequence[Any] | None = None):
    """Rows of `model` whose `column` is one of the batch's parent ids (lines of a document, visits of a deal), a list
    per parent in `order` (default: the primary key)."""
    col = getattr(model, column)

    async def load(ids):
        # Default order: the primary key (an association table such as a deal's contacts has no `id`).
        stmt = select(model).where(col.in_(ids)).order_by(*(order or model.__table__.primary_key.columns))
        async with ctx.db.read() as session:
            rows = (await session.scalars(stmt)).all()
        return grouped(rows, ids, lambda r: getattr(r, column))

    return ctx.loader(f"children:{model.__tablename__}.{column}", load)
