"""Per-request batch loaders: a list of N opportunities costs the same few statements as a list of one."""

from __future__ import annotations

from sqlalchemy import select

from crm.plugins.sales.models import Opportunity, OpportunityContact, Order, Pipeline, Stage


def grouped(rows, ids, key):
    out = {i: [] for i in ids}
    for row in rows:
        out[key(row)].append(row)
    return [out[i] for i in ids]


def by_id_loader(ctx, model, name: str):
    async def load(ids):
        async with ctx.db.read() as session:
            found = {r.id: r for r in (await session.scalars(select(model).where(model.id.in_(ids)))).all()}
        return [found.get(i) for i in ids]

    return ctx.loader(f"sales.{name}", load)


def stage_loader(ctx):
    return by_id_loader(ctx, Stage, "stage")


def pipeline_loader(ctx):
    return by_id_loader(ctx, Pipeline, "pipeline")


def stages_of_pipeline_loader(ctx):
    async def load(ids):
        async with ctx.db.read() as session:
            rows = (await session.scalars(select(Stage).where(Stage.pipeline_id.in_(ids)).order_by(Stage.position))).all()
        return grouped(rows, ids, lambda s: s.pipeline_id)

    return ctx.loader("sales.pipeline.stages", load)


def children_loader(ctx, model, column: str, name: str, order=None):
    """Rows of `model` whose `column` is in the batch of parent ids (lines, visits, history)."""
    col = getattr(model, column)

    async def load(ids):
        stmt = select(model).where(col.in_(ids)).order_by(*(order or [model.id]))
        async with ctx.db.read() as session:
            rows = (await session.scalars(stmt)).all()
        return grouped(rows, ids, lambda r: getattr(r, column))

    return ctx.loader(f"sales.{name}", load)


def opportunity_contact_ids_loader(ctx):
    async def load(ids):
        async with ctx.db.read() as session:
            rows = (await session.execute(select(OpportunityContact.opportunity_id, OpportunityContact.contact_id)
                                          .where(OpportunityContact.opportunity_id.in_(ids)))).all()
        return [[c for _, c in group] for group in grouped(rows, ids, lambda r: r[0])]

    return ctx.loader("sales.opportunity.contact_ids", load)


def visible_opportunity_loader(ctx):
    async def load(ids):
        stmt = select(Opportunity).where(Opportunity.id.in_(ids), Opportunity.deleted_at.is_(None), ctx.access.filter(Opportunity, "opportunity"))
        async with ctx.db.read() as session:
            found = {o.id: o for o in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader("sales.opportunity.visible", load)


def visible_order_loader(ctx):
    async def load(ids):
        stmt = select(Order).where(Order.id.in_(ids), Order.deleted_at.is_(None), ctx.access.filter(Order, "order"))
        async with ctx.db.read() as session:
            found = {o.id: o for o in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader("sales.order.visible", load)
