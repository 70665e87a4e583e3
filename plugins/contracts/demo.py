"""Demo data for `crm demo`: the reps' customers have contracts in several states (signed ones with monthly plans and
payments, some of them late), so that overdue payments, renewals and the receivables report have something to show.
Approval chains are the admins' to set up (`createApprovalChain`); the demo has none, so drafts are signed directly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

import crm
from crm.plugins.contracts import history, payments
from crm.plugins.contracts.models import Contract, Installment, set_notice

TITLES = ["Support and maintenance", "Licences", "Managed service", "Training programme", "Consulting framework"]


async def load(session, rng, users) -> int:
    customers = (await session.execute(select(crm.Customer.id, crm.Customer.owner_id).where(crm.Customer.deleted_at.is_(None))
                                       .order_by(crm.Customer.id).limit(30))).all()
    today, made = crm.utcnow().date(), 0
    for n, (customer_id, owner_id) in enumerate(customers):
        signed = today - timedelta(days=rng.randrange(20, 420))
        monthly = Decimal(rng.choice((250, 400, 900, 1500, 2400)))
        status = "draft" if n % 6 == 5 else "active"
        contract = Contract(number=await crm.next_number(session, "contract", "C-{YYYY}-{seq:05}", day=signed),
                            title=TITLES[n % len(TITLES)], customer_id=customer_id, value=monthly * 12, currency="EUR" if n % 4 else "USD",
                            start_date=signed, end_date=signed + relativedelta(years=1) - timedelta(days=1), status=status, revision=1,
                            signed_on=signed if status == "active" else None, auto_renew=n % 3 == 0, notice_days=30, owner_id=owner_id,
                            custom_fields={})
        set_notice(contract)
        if contract.end_date < today and not contract.auto_renew and status == "active":
            contract.status = "expired"
        session.add(contract)
        await session.flush()
        history.record(session, contract, "created")
        made += 1
        if status == "draft":
            continue
        history.record(session, contract, "signed")
        session.add_all(Installment(contract_id=contract.id, position=k + 1, due_date=signed + relativedelta(months=k), amount=monthly,
                                    paid=Decimal(0)) for k in range(12))
        await session.flush()
        late = n % 5 == 0  # one customer in five pays its last two due installments late, or not yet
        due = sum(1 for k in range(12) if signed + relativedelta(months=k) < today)
        for k in range(max(due - (2 if late else 0), 0)):
            paid_on = min(signed + relativedelta(months=k) + timedelta(days=rng.choice((0, 2, 5, 12))), today)
            await payments.apply_payment(session, contract, monthly, paid_on, "bank_transfer", None, False, None)
    return made
