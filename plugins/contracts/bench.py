"""Contracts at scale for `crm bench generate`: three customers in ten have a signed one-year contract with a
12-installment monthly plan; installments due before today were mostly paid (on time or up to three weeks late), the
rest are overdue, of which those more than a day late were reminded already (the reminder job meets a day's worth)."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from crm.plugins.contracts.models import Contract, ContractEvent, Installment, Payment, PaymentAllocation

UNIT = 10_000  # Money columns take whole ten-thousandths
SHARE = 0.3
CONTRACT_COLUMNS = ("id", "number", "title", "customer_id", "value", "currency", "start_date", "end_date", "terms", "status", "revision",
                    "signed_on", "auto_renew", "notice_days", "notice_on", "renewal_noticed_for", "terminated_on", "termination_reason",
                    "settled_on", "cash_from", "custom_fields", "created_at", "updated_at", "owner_id", "deleted_at", "version")
INSTALLMENT_COLUMNS = ("id", "contract_id", "position", "label", "due_date", "amount", "paid", "reminded_at")
PAYMENT_COLUMNS = ("id", "contract_id", "amount", "credit", "received_on", "method", "reference", "recorded_by", "recorded_at")
TABLES = (Contract.__table__, Installment.__table__, Payment.__table__, PaymentAllocation.__table__, ContractEvent.__table__)


def generate(ctx, first: int, count: int):
    rng, now = ctx.rng, ctx.now
    today = now.date()
    chosen = [first + n for n in range(count) if rng.random() < SHARE]
    owners = ctx.choose_owners(len(chosen))
    contract_id = ctx.take_ids("contracts_contract", len(chosen))
    installment_id = ctx.take_ids("contracts_installment", len(chosen) * 12)
    payment_id = ctx.take_ids("contracts_payment", len(chosen) * 12)
    event_id = ctx.take_ids("contracts_event", len(chosen) * 2)
    contracts, installments, payments, allocations, events = [], [], [], [], []
    for customer_id, owner in zip(chosen, owners):
        signed = today - timedelta(days=rng.randrange(730))
        end = signed + relativedelta(years=1) - timedelta(days=1)
        monthly = rng.randrange(100, 5000) * UNIT
        currency = "EUR" if rng.random() < 0.8 else "USD"
        at = now - timedelta(days=(today - signed).days)
        events += [(event_id, contract_id, at, "created", owner, 1, None), (event_id + 1, contract_id, at, "signed", owner, 1, None)]
        event_id += 2
        paid_all, last = True, None
        for n in range(12):
            due = signed + relativedelta(months=n)
            paid, reminded = 0, None
            if due < today:
                if rng.random() < 0.92:
                    received = min(due + timedelta(days=rng.choice((0, 0, 0, 3, 7, 21))), today)
                    paid = monthly
                    payments.append((payment_id, contract_id, monthly, 0, received, "bank_transfer", None, owner, at))
                    allocations.append((payment_id, installment_id, monthly, received))
                    payment_id += 1
                    last = max(last or received, received)
                elif due < today - timedelta(days=1):
                    reminded = now - timedelta(days=(today - due).days - 1)
            paid_all = paid_all and paid == monthly
            installments.append((installment_id, contract_id, n + 1, None, due, monthly, paid, reminded))
            installment_id += 1
        contracts.append((contract_id, f"C-BENCH-{contract_id:07d}", f"Service contract {customer_id}", customer_id, monthly * 12, currency,
                          signed, end, None, "active" if end >= today else "expired", 1, signed, False, 30, end - timedelta(days=30),
                          None, None, None, last if paid_all else None, None, "{}", at, at, owner, None, 1))
        contract_id += 1
    yield Contract.__table__, CONTRACT_COLUMNS, contracts
    yield ContractEvent.__table__, ("id", "contract_id", "at", "kind", "actor_id", "revision", "detail"), events
    yield Installment.__table__, INSTALLMENT_COLUMNS, installments
    yield Payment.__table__, PAYMENT_COLUMNS, payments
    yield PaymentAllocation.__table__, ("payment_id", "installment_id", "amount", "received_on"), allocations
