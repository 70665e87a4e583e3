"""`crm inventory check`: every level recomputed from the ledger, and any difference reported.

Levels are kept equal to the ledger's sums by each movement's transaction; this proves it (after a restore from a
backup, a hand edit in the database, a bug). It reads the ledger once, grouped in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

import crm
from crm.plugins.inventory.models import StockLevel, StockMovement


@dataclass(order=True)
class Difference:
    product_id: int
    warehouse_id: int
    on_hand: Decimal  # the level's
    reserved: Decimal
    ledger_on_hand: Decimal
    ledger_reserved: Decimal


async def differences(session) -> list[Difference]:
    m, lv = StockMovement, StockLevel
    sums = (select(m.product_id, m.warehouse_id, func.sum(crm.money_raw(m.on_hand_delta)).label("on_hand"),
                   func.sum(crm.money_raw(m.reserved_delta)).label("reserved")).group_by(m.product_id, m.warehouse_id).subquery())
    level_on_hand, level_reserved = func.coalesce(crm.money_raw(lv.on_hand), 0), func.coalesce(crm.money_raw(lv.reserved), 0)
    ledger_side = (select(sums.c.product_id, sums.c.warehouse_id, level_on_hand, level_reserved, sums.c.on_hand, sums.c.reserved)
                   .outerjoin(lv, (lv.product_id == sums.c.product_id) & (lv.warehouse_id == sums.c.warehouse_id))
                   .where((level_on_hand != sums.c.on_hand) | (level_reserved != sums.c.reserved)))
    # Levels that no movement explains at all (a level is made by a movement, so a non-zero one without any is wrong).
    unexplained = (select(lv.product_id, lv.warehouse_id, crm.money_raw(lv.on_hand), crm.money_raw(lv.reserved), 0, 0)
                   .outerjoin(sums, (lv.product_id == sums.c.product_id) & (lv.warehouse_id == sums.c.warehouse_id))
                   .where(sums.c.product_id.is_(None), (lv.on_hand != 0) | (lv.reserved != 0)))
    rows = (await session.execute(ledger_side.union_all(unexplained))).all()
    return sorted(Difference(p, w, *(crm.raw_to_money(v) for v in values)) for p, w, *values in rows)
