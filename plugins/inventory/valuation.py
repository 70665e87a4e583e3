"""Stock on hand at the end of a day, valued at cost, in SQL on both databases.

On hand at a past day is today's levels less what moved since (an index range of the ledger, not a scan of a
year of it). Cost layers are the movements that brought stock in at a cost (receipts, positive adjustments),
newest first per product (`ix_inventory_movement_layers`, read without the table):

- FIFO: goods leave oldest first, so what is on hand is the newest layers: each layer counts for the part of it
  that the newer layers do not cover (a running sum over the layers, one window per product).
- AVERAGE: every unit on hand at the weighted average cost of all layers up to that day.

Valuation is company-wide per product: a transfer moves goods between warehouses without changing their cost.
Quantities and costs are stored as whole ten-thousandths, so their products are exact integers (ten-thousandths
squared) summed per product; the reporting currency's rounding applies once, to each product's value.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, case, func, literal, select, true, type_coerce

import crm
from crm.plugins.inventory.models import StockLevel, StockMovement

SQUARED = Decimal(10_000) ** 2


def _raw(column):
    return type_coerce(column, BigInteger)


async def valuation(session, end: datetime, method: str, currency: str) -> list[tuple[int, Decimal, Decimal]]:
    """(product id, quantity, value) of every product with stock on hand at `end` (exclusive), by product id."""
    m = StockMovement
    now = select(StockLevel.product_id, func.sum(_raw(StockLevel.on_hand)).label("q")).group_by(StockLevel.product_id).subquery()
    since = select(m.product_id, func.sum(_raw(m.on_hand_delta)).label("d")).where(m.at >= end).group_by(m.product_id).subquery()
    on_hand = (select(now.c.product_id, (now.c.q - func.coalesce(since.c.d, 0)).label("q"))
               .outerjoin(since, since.c.product_id == now.c.product_id).subquery())
    costed = (m.unit_cost.is_not(None), m.at < end)
    if method == "fifo" and session.bind.dialect.name == "postgresql":
        return await _fifo_newest_layers(session, on_hand, end, currency)
    if method == "fifo":
        newer = func.sum(_raw(m.on_hand_delta)).over(partition_by=m.product_id, order_by=(m.at.desc(), m.id.desc()))
        layers = select(m.product_id, _raw(m.on_hand_delta).label("d"), _raw(m.unit_cost).label("c"), newer.label("cum")).where(*costed).subquery()
        left = on_hand.c.q - (layers.c.cum - layers.c.d)  # on hand not covered by the newer layers
        take = case((left >= layers.c.d, layers.c.d), (left > 0, left), else_=literal(0))
        stmt = (select(on_hand.c.product_id, on_hand.c.q, func.sum(take * layers.c.c))
                .join(layers, layers.c.product_id == on_hand.c.product_id).where(on_hand.c.q > 0).group_by(on_hand.c.product_id, on_hand.c.q))
        rows = (await session.execute(stmt.order_by(on_hand.c.product_id))).all()
        return [(pid, crm.raw_to_money(q), crm.round_money(Decimal(int(v or 0)) / SQUARED, currency)) for pid, q, v in rows]
    layers = (select(m.product_id, func.sum(_raw(m.on_hand_delta) * _raw(m.unit_cost)).label("dc"), func.sum(_raw(m.on_hand_delta)).label("d"))
              .where(*costed).group_by(m.product_id).subquery())
    stmt = (select(on_hand.c.product_id, on_hand.c.q, layers.c.dc, layers.c.d)
            .join(layers, layers.c.product_id == on_hand.c.product_id).where(on_hand.c.q > 0))
    out = []
    for pid, q, dc, d in (await session.execute(stmt.order_by(on_hand.c.product_id))).all():
        quantity = crm.raw_to_money(q)
        average = Decimal(int(dc)) / Decimal(int(d)) / Decimal(10_000)  # per unit, from ten-thousandths squared over ten-thousandths
        out.append((pid, quantity, crm.round_money(quantity * average, currency)))
    return out


# Per product, the newest layers read first: what is on hand is covered by the newest few, so a LATERAL read of the
# first NEWEST layers of each product (an index range, newest first) replaces a running sum over every layer of a
# year. Products those do not cover are valued again with four times as many layers, and so on, then with all of them.
NEWEST = 32


async def _fifo_newest_layers(session, on_hand, end: datetime, currency: str) -> list[tuple[int, Decimal, Decimal]]:
    m = StockMovement

    def valued(only: list[int] | None, limit: int | None):
        o = select(on_hand.c.product_id, on_hand.c.q).where(on_hand.c.q > 0)
        o = (o.where(on_hand.c.product_id.in_(only)) if only is not None else o).subquery("o")
        newest = (select(_raw(m.on_hand_delta).label("d"), _raw(m.unit_cost).label("c"), m.at, m.id)
                  .where(m.product_id == o.c.product_id, m.unit_cost.is_not(None), m.at < end)
                  .order_by(m.at.desc(), m.id.desc()).limit(limit).correlate(o).subquery("newest"))
        w = select(newest.c.d, newest.c.c, func.sum(newest.c.d).over(order_by=(newest.c.at.desc(), newest.c.id.desc())).label("cum")).subquery("w")
        left = o.c.q - (w.c.cum - w.c.d)
        take = case((left >= w.c.d, w.c.d), (left > 0, left), else_=literal(0))
        v = select(func.sum(take * w.c.c).label("value"), func.max(w.c.cum).label("covered")).lateral("v")
        return select(o.c.product_id, o.c.q, v.c.value, v.c.covered).select_from(o).join(v, true())

    rows: dict = {}
    only, limit = None, NEWEST
    while only is None or only:  # more layers, four times as many each round, only for products not covered yet
        found = {pid: (q, v, covered) for pid, q, v, covered in (await session.execute(valued(only, limit))).all()}
        rows.update(found)
        if limit is None:
            break
        only = [pid for pid, (q, _, covered) in found.items() if (covered or 0) < q]
        limit = limit * 4 if limit * 4 <= 1024 else None
    return [(pid, crm.raw_to_money(q), crm.round_money(Decimal(int(v or 0)) / SQUARED, currency)) for pid, (q, v, _) in sorted(rows.items())]
