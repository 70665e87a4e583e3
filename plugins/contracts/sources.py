"""What contracts add to the customer's timeline (every step of a contract's life: created, submitted, approved,
rejected, signed, paid, terminated, expired) and to the customer's summary (what is overdue)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, cast, func, literal, select

import crm
from crm.plugins.contracts.models import Contract, ContractEvent, Installment

KINDS = ("created", "revised", "submitted", "approved", "rejected", "withdrawn", "signed", "paid", "renewed", "terminated", "expired")


def contract_life(access, customer_ids):
    return select(
        Contract.customer_id.label("customer_id"), (literal("contract_event:") + cast(ContractEvent.id, String)).label("id"),
        ContractEvent.at.label("occurred_at"), (literal("contract_") + ContractEvent.kind).label("kind"),
        (Contract.number + literal(" ") + Contract.title).label("title"), ContractEvent.detail.label("body"),
        literal("contract").label("record_type"), cast(Contract.id, String).label("record_id"), ContractEvent.actor_id.label("actor_id"),
    ).join(Contract, Contract.id == ContractEvent.contract_id).where(
        Contract.customer_id.in_(customer_ids), Contract.deleted_at.is_(None), access.filter_or_none(Contract, "contract"))


def overdue_loader(ctx):
    """Per customer, the overdue part of its signed contracts' installments in the reporting currency (today's rate),
    for a whole list of customers in one query."""
    async def load(ids):
        conv = await crm.Conversion.for_request(ctx)
        fx = conv.at(Contract.currency, literal(crm.utcnow().date()))
        left = crm.money_raw(Installment.amount) - crm.money_raw(Installment.paid)
        rows = fx.rows(select(Contract.customer_id, fx.amount(left).label("overdue"))
                       .select_from(Installment).join(Contract, Contract.id == Installment.contract_id)
                       .where(Contract.customer_id.in_(ids), Contract.deleted_at.is_(None), Contract.status.in_(("active", "expired", "terminated")),
                              Installment.due_date < crm.utcnow().date(), Installment.paid < Installment.amount,
                              ctx.access.filter(Contract, "payment")))
        async with ctx.db.read() as session:
            found = dict((await session.execute(select(rows.c.customer_id, func.sum(rows.c.overdue)).group_by(rows.c.customer_id))).all())
        return [crm.round_money(crm.raw_to_money(found.get(i)), ctx.settings.currency) if found.get(i) else Decimal(0) for i in ids]

    return ctx.loader("contracts.customer.overdue", load)
