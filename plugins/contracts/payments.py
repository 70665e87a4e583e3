"""Payment plans and payments, in exact decimals.

A plan from payment terms (ERPNext's templates are the anchor): each term is a percentage of the contract's value,
paid in `count` equal installments, the first due on a day and the next every `every_months`. Every installment is
rounded down to the currency's smallest unit and the last installment of the plan takes what rounding left, so the
plan adds up to the value exactly (in yen, in cents, in fils alike). A payment goes to the oldest open installments
first; paying more than is owed is refused unless the rest is recorded as a credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

import crm
from crm import Invalid
from crm.plugins.contracts.models import Installment, Payment, PaymentAllocation

METHODS = ("bank_transfer", "card", "cash", "cheque", "direct_debit", "other")


@dataclass
class Term:
    percent: Decimal
    count: int
    first_due: date
    every_months: int = 1
    label: str | None = None


def plan(value: Decimal, currency: str, terms: list[Term]) -> list[tuple[date, Decimal, str | None]]:
    """(due date, amount, label) of every installment, adding up to `value` exactly."""
    if sum(t.percent for t in terms) != 100:
        raise Invalid.one("terms", "INVALID", f"the terms' percentages add up to {sum(t.percent for t in terms)}, not 100")
    unit = Decimal(1).scaleb(-crm.minor_units(currency))
    out = []
    for i, term in enumerate(terms):
        if term.count < 1 or term.count > 360 or term.percent <= 0 or term.every_months < 0:
            raise Invalid.one(f"terms.{i}", "INVALID", "a term is a positive percentage, 1 to 360 installments, every 0 or more months")
        each = (value * term.percent / 100 / term.count).quantize(unit, ROUND_DOWN)
        for n in range(term.count):
            label = term.label or (f"{term.percent.normalize():f} %" + (f", {n + 1} of {term.count}" if term.count > 1 else ""))
            out.append((term.first_due + relativedelta(months=term.every_months * n), each, label))
    if out:
        due, amount, label = out[-1]
        out[-1] = (due, amount + value - sum(a for _, a, _ in out), label)  # the last takes what rounding left
    return out


async def apply_payment(session, contract, amount: Decimal, received_on: date, method: str, reference: str | None,
                        as_credit: bool, actor_id: int | None) -> Payment:
    """Record `amount` against the contract's oldest open installments (the contract row is locked by the caller)."""
    unit = Decimal(1).scaleb(-crm.minor_units(contract.currency))
    if amount <= 0 or amount != amount.quantize(unit):
        raise Invalid.one("amount", "INVALID", f"a payment is more than zero, in whole {contract.currency} units of {unit}")
    if method not in METHODS:
        raise Invalid.one("method", "INVALID", f"method is one of {', '.join(METHODS)}")
    if received_on > crm.utcnow().date():
        raise Invalid.one("receivedOn", "INVALID", "a payment cannot be received in the future")
    open_ones = (await session.scalars(select(Installment).where(Installment.contract_id == contract.id, Installment.paid < Installment.amount)
                                       .order_by(Installment.due_date, Installment.position))).all()
    owed = sum((i.amount - i.paid for i in open_ones), Decimal(0))
    if amount > owed and not as_credit:
        raise Invalid.one("amount", "INVALID", f"{_plain(amount - owed, contract.currency)} {contract.currency} more than is owed "
                                               f"({_plain(owed, contract.currency)}); "
                                               "record the rest as a credit (asCredit: true) or correct the amount")
    payment = Payment(contract_id=contract.id, amount=amount, credit=max(amount - owed, Decimal(0)), received_on=received_on, method=method,
                      reference=reference, recorded_by=actor_id, recorded_at=crm.utcnow())
    session.add(payment)
    await session.flush()
    left = amount
    for installment in open_ones:
        if left <= 0:
            break
        part = min(left, installment.amount - installment.paid)
        installment.paid += part
        left -= part
        session.add(PaymentAllocation(payment_id=payment.id, installment_id=installment.id, amount=part, received_on=received_on))
    if open_ones and all(i.paid >= i.amount for i in open_ones):
        contract.settled_on = received_on  # the whole plan is paid: order-to-cash ends here
    return payment


def _plain(value: Decimal, currency: str) -> str:
    return f"{crm.round_money(value, currency):f}"
