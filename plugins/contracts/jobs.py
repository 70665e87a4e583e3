"""Scheduled: active contracts past their end date expire. Set-based and acting once: an expired contract no longer
matches, so a second run (or a second worker) finds nothing."""

from __future__ import annotations

from sqlalchemy import insert, literal, select, update

import crm
from crm.plugins.contracts.models import Contract, ContractEvent


async def expire(runtime) -> int:
    today = crm.utcnow().date()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        stmt = select(Contract.id).where(Contract.status == "active", Contract.end_date < today, Contract.deleted_at.is_(None))
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list((await session.scalars(stmt)).all())
        if not ids:
            return 0
        now = crm.utcnow()
        await session.execute(insert(ContractEvent).from_select(
            ["contract_id", "at", "kind", "revision", "detail"],
            select(Contract.id, literal(now, crm.UTCDateTime()), literal("expired"), Contract.revision, literal("its end date passed"))
            .where(Contract.id.in_(ids))))
        await crm.audit_select(session, "update", "contract", select(
            Contract.id, Contract.customer_id, crm.audit_changes(session, ("status", Contract.status, literal("expired")))).where(Contract.id.in_(ids)))
        await session.execute(update(Contract).where(Contract.id.in_(ids)).values(status="expired", updated_at=now, version=Contract.version + 1)
                              .execution_options(synchronize_session=False))
        return len(ids)
