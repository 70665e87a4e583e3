"""Scheduled: active contracts past their end date expire (auto-renewing ones roll over instead: renewals.py). Set-based and acting once: an expired contract no longer
matches, so a second run (or a second worker) finds nothing."""

from __future__ import annotations

from sqlalchemy import insert, literal, select, update

import crm
from crm.plugins.contracts.models import Contract, ContractEvent


async def expire(runtime) -> int:
    today = crm.utcnow().date()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        stmt = select(Contract.id).where(Contract.status == "active", Contract.end_date < today, Contract.auto_renew.is_(False),
                                         Contract.deleted_at.is_(None))
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


REMINDER_BATCH = 5000


async def remind_overdue(runtime) -> int:
    """Scheduled: a reminder task for the contract's owner for each installment that fell overdue, once. Batches of
    installments are claimed by a conditional UPDATE (`reminded_at IS NULL`; on PostgreSQL the rows picked with
    `SKIP LOCKED`, in two lanes at once: `crm.run_batches`), so of two workers running this at the same moment each
    installment is claimed by one, and its task is written (with its audit entry) in that same transaction."""
    return await crm.run_batches(runtime, _remind_batch, size=REMINDER_BATCH)


async def _remind_batch(session, lane: dict) -> tuple[int, int]:
    from crm.plugins.contracts.models import Installment

    today, now = crm.utcnow().date(), crm.utcnow()
    after = lane.get("after", 0)  # each lane reads forward by id: each part of the table once, however long the backlog
    pick = (select(Installment.id).join(Contract, Contract.id == Installment.contract_id)
            .where(Installment.id > after, Installment.due_date < today, Installment.paid < Installment.amount, Installment.reminded_at.is_(None),
                   Contract.status.in_(("active", "expired", "terminated")), Contract.deleted_at.is_(None))
            .order_by(Installment.id).limit(REMINDER_BATCH))
    if session.bind.dialect.name == "postgresql":
        pick = pick.with_for_update(of=Installment, skip_locked=True)
    claimed = (await session.execute(update(Installment).where(Installment.id.in_(pick.scalar_subquery()), Installment.reminded_at.is_(None))
                                     .values(reminded_at=now).returning(Installment.id, Installment.contract_id, Installment.due_date,
                                                                        Installment.amount, Installment.paid)
                                     .execution_options(synchronize_session=False))).all()
    if claimed:
        contracts = {c.id: c for c in (await session.execute(select(Contract.id, Contract.customer_id, Contract.owner_id, Contract.number,
                                                                    Contract.currency).where(Contract.id.in_({r.contract_id for r in claimed})))).all()}
        tasks = []
        for row in claimed:
            c = contracts[row.contract_id]
            owed = crm.round_money(row.amount - row.paid, c.currency)
            tasks.append({"customer_id": c.customer_id, "subject": f"Overdue: {owed:f} {c.currency} of {c.number}, due {row.due_date}",
                          "record_type": "contract", "record_id": c.id, "due_at": now, "assignee_id": c.owner_id})
        await crm.add_tasks(session, tasks)
        lane["after"] = max(r.id for r in claimed)
    return len(claimed), len(claimed)
