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


async def remind_overdue(runtime) -> int:
    """Scheduled: a reminder task for the contract's owner for each installment that fell overdue, once. The installment
    is marked by a conditional UPDATE (`reminded_at IS NULL ... RETURNING`), so of two workers running this at the same
    moment each installment is claimed by one, and the task is made in that same transaction."""
    from crm.plugins.contracts.models import Installment

    today = crm.utcnow().date()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        now = crm.utcnow()
        due = (select(Installment.id).join(Contract, Contract.id == Installment.contract_id)
               .where(Installment.due_date < today, Installment.paid < Installment.amount, Installment.reminded_at.is_(None),
                      Contract.status.in_(("active", "expired", "terminated")), Contract.deleted_at.is_(None)))
        claimed = (await session.execute(update(Installment).where(Installment.id.in_(due), Installment.reminded_at.is_(None))
                                         .values(reminded_at=now).returning(Installment.id, Installment.contract_id, Installment.due_date,
                                                                            Installment.amount, Installment.paid)
                                         .execution_options(synchronize_session=False))).all()
        if not claimed:
            return 0
        contracts = {c.id: c for c in (await session.scalars(select(Contract).where(Contract.id.in_({r.contract_id for r in claimed})))).all()}
        for row in claimed:
            contract = contracts[row.contract_id]
            owed = (row.amount - row.paid).normalize()
            session.add(crm.Activity(customer_id=contract.customer_id, kind="task", owner_id=contract.owner_id, assignee_id=contract.owner_id,
                                     subject=f"Overdue: {owed:f} {contract.currency} of {contract.number}, due {row.due_date}",
                                     occurred_at=now, due_at=now, record_type="contract", record_id=str(contract.id), done=False))
        return len(claimed)
