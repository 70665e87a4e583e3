"""Renewals, scheduled: at a contract's notice date its owner gets a renewal task (and, with sales, a renewal deal
through the contracts_sales bridge); at its end date an auto-renewing contract rolls over into a new term, its next
revision. Each contract is claimed by a conditional UPDATE, so however many workers run the job, a term's notice is
given once and a term rolls over once."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select, update

import crm
from crm.plugins.contracts import history
from crm.plugins.contracts.models import Contract, set_notice


async def give_notices(runtime) -> int:
    today = crm.utcnow().date()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        session.info["runtime"] = runtime
        due = (select(Contract).where(Contract.status == "active", Contract.notice_on <= today, Contract.end_date >= today,
                                      Contract.deleted_at.is_(None),
                                      or_(Contract.renewal_noticed_for.is_(None), Contract.renewal_noticed_for != Contract.end_date)))
        given = 0
        for contract in (await session.scalars(due)).all():
            claimed = await session.scalar(update(Contract).where(
                Contract.id == contract.id, or_(Contract.renewal_noticed_for.is_(None), Contract.renewal_noticed_for != Contract.end_date))
                .values(renewal_noticed_for=Contract.end_date).returning(Contract.id).execution_options(synchronize_session=False))
            if claimed is None:
                continue  # another worker gave it
            what = "renews by itself" if contract.auto_renew else "ends"
            session.add(crm.Activity(customer_id=contract.customer_id, kind="task", owner_id=contract.owner_id, assignee_id=contract.owner_id,
                                     subject=f"Renewal: {contract.number} {what} on {contract.end_date}", occurred_at=crm.utcnow(),
                                     due_at=crm.utcnow(), record_type="contract", record_id=str(contract.id), done=False))
            await crm.publish(session, "crm_on_contract_renewal_due", contract=contract)
            given += 1
        return given


async def roll_over(runtime) -> int:
    """Auto-renewing contracts whose end date passed: a new term of the same length from the next day, the next revision."""
    today = crm.utcnow().date()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        stmt = select(Contract).where(Contract.status == "active", Contract.auto_renew.is_(True), Contract.end_date < today,
                                      Contract.deleted_at.is_(None))
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        renewed = 0
        for contract in (await session.scalars(stmt)).all():
            start = contract.start_date or contract.signed_on or contract.end_date
            length = relativedelta(contract.end_date + timedelta(days=1), start)
            if length == relativedelta():
                length = relativedelta(years=1)
            old_end = contract.end_date
            while contract.end_date < today:  # a job that was off for a while catches up term by term
                contract.start_date = contract.end_date + timedelta(days=1)
                contract.end_date = contract.start_date + length - timedelta(days=1)
            contract.revision += 1
            set_notice(contract)
            contract.updated_at = crm.utcnow()
            history.record(session, contract, "renewed", f"the term after {old_end}: {contract.start_date} to {contract.end_date}")
            renewed += 1
        return renewed


async def run(runtime) -> None:
    await roll_over(runtime)
    await give_notices(runtime)


