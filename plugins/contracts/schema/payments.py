"""Payment plans, payments received and overdue installments."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Optional

import strawberry
from sqlalchemy import delete, func, select

import crm
from crm import Invalid, clean_text, fetch_for_write, mutation, requires, try_parse_id, utcnow
from crm.plugins.contracts import history, payments
from crm.plugins.contracts.models import Contract, Installment, Payment
from crm.plugins.contracts.schema import types as t


@strawberry.enum(description="How a payment was made.")
class PaymentMethod(enum.Enum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CASH = "cash"
    CHEQUE = "cheque"
    DIRECT_DEBIT = "direct_debit"
    OTHER = "other"


@strawberry.input(description="A part of the value: `percent` of it in `count` equal installments, the first due on `firstDue`, "
                                "the next every `everyMonths` months (30 % on signing, then 70 % in 7 monthly installments).")
class PaymentTermInput:
    percent: Decimal = strawberry.field(description="The part of the contract's value this term is, in percent, split into `count` equal installments.")
    first_due: date = strawberry.field(description="When the first installment is due.")
    count: int = strawberry.field(default=1, description="How many installments.")
    every_months: int = strawberry.field(default=1, description="Months between them.")
    label: str | None = strawberry.field(default=None, description="A name for its installments (deposit, monthly fee, ...).")


@strawberry.input(description="One installment of a payment plan: when it is due and how much.")
class InstallmentInput:
    due_date: date
    amount: Decimal
    label: str | None = None


@strawberry.input(description="A contract's payment plan, from terms or by hand (`installments`, which must add up to its value). "
                                "It replaces the plan there was, while no payment has been recorded.")
class SetPaymentPlanInput:
    contract_id: strawberry.ID
    version: int
    terms: list[PaymentTermInput] | None = strawberry.field(default=None, description="Installments made from terms (a percent of the value, every n months); or give `installments`.")
    installments: list[InstallmentInput] | None = strawberry.field(default=None, description="The installments, one by one; or give `terms`.")


@strawberry.input
class RecordPaymentInput:
    contract_id: strawberry.ID
    amount: Decimal
    received_on: date
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: str | None = None
    as_credit: bool = strawberry.field(default=False, description="Keep what exceeds the amount owed as a credit, instead of refusing.")


@strawberry.input
class OverduePaymentFilter:
    customer_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    min_days_overdue: int | None = strawberry.field(default=None, description="Only installments overdue by at least this many days.")


@strawberry.type(description="An installment past due and not fully paid.")
class OverdueInstallment:
    installment: t.InstallmentType = strawberry.field(description="The installment.")
    days_overdue: int = strawberry.field(description="Days since it fell due.")
    outstanding: Decimal = strawberry.field(description="What is still to be paid.")

    @strawberry.field(description="Its contract.")
    @requires("contract", "read")
    async def contract(self, info: strawberry.Info) -> Optional[t.ContractRef]:  # noqa: UP007 - lazy
        return await crm.visible_loader(info.context, Contract, "contract").load(self.installment.contract_id)


OverdueConnection = crm.connection_type("OverdueInstallment", OverdueInstallment)


@strawberry.type
class PaymentQuery:
    @strawberry.field(description="Installments past due and unpaid, of contracts whose payments the caller may read, longest overdue first.")
    @requires("payment", "read")
    async def overdue_payments(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                               last: int | None = None, before: str | None = None,
                               filter: OverduePaymentFilter | None = None) -> OverdueConnection:
        today = utcnow().date()
        f = filter or OverduePaymentFilter()
        stmt = (select(Installment).join(Contract, Contract.id == Installment.contract_id)
                .where(Installment.due_date < today, Installment.paid < Installment.amount, Contract.deleted_at.is_(None),
                       Contract.status.in_(("active", "expired", "terminated")), info.context.access.filter(Contract, "payment")))
        if f.customer_id:
            stmt = stmt.where(Contract.customer_id == try_parse_id(f.customer_id))
        if f.owner_id:
            stmt = stmt.where(Contract.owner_id == try_parse_id(f.owner_id))
        if f.min_days_overdue:
            stmt = stmt.where(Installment.due_date <= date.fromordinal(today.toordinal() - f.min_days_overdue))
        page = await crm.list_page(info, stmt, order=[Installment.due_date, Installment.id],
                                   first=first, after=after, last=last, before=before)
        for edge in page.edges:
            i = edge.node
            edge.node = OverdueInstallment(installment=i, days_overdue=(today - i.due_date).days, outstanding=i.amount - i.paid)
        return page


@strawberry.type
class PaymentMutation:
    @strawberry.mutation(description="Set a contract's payment plan (while no payment is recorded).")
    @requires("contract", "write")
    async def set_payment_plan(self, info: strawberry.Info, input: SetPaymentPlanInput) -> t.ContractPayload:
        async def work(session):
            contract = await fetch_for_write(session, info, Contract, input.contract_id, resource="contract", field="contractId", version=input.version)
            if contract.status in ("expired", "terminated"):
                raise Invalid.one("contractId", "INVALID", f"a {contract.status} contract keeps its plan")
            if await session.scalar(select(func.count()).select_from(Payment).where(Payment.contract_id == contract.id)):
                raise Invalid.one("contractId", "IN_USE", "payments are recorded against this plan already")
            if (input.terms is None) == (input.installments is None):
                raise Invalid.one("terms", "REQUIRED", "give either terms or installments")
            if input.terms is not None:
                rows = payments.plan(contract.value, contract.currency, [payments.Term(x.percent, x.count, x.first_due, x.every_months, x.label)
                                                                          for x in input.terms])
            else:
                unit = Decimal(1).scaleb(-crm.minor_units(contract.currency))
                rows = []
                for i, x in enumerate(input.installments):
                    if x.amount <= 0 or x.amount != x.amount.quantize(unit):
                        raise Invalid.one(f"installments.{i}.amount", "INVALID", f"an installment is more than zero, in units of {unit}")
                    rows.append((x.due_date, x.amount, clean_text(x.label, f"installments.{i}.label", limit=200)))
                if sum(a for _, a, _ in rows) != contract.value:
                    raise Invalid.one("installments", "INVALID", f"the installments add up to {sum(a for _, a, _ in rows)}, "
                                                                 f"not the contract's value {contract.value.normalize():f}")
            if not rows:
                raise Invalid.one("installments", "REQUIRED", "a plan has at least one installment")
            await session.execute(delete(Installment).where(Installment.contract_id == contract.id))
            session.add_all(Installment(contract_id=contract.id, position=n + 1, due_date=due, amount=amount, paid=Decimal(0), label=label)
                            for n, (due, amount, label) in enumerate(sorted(rows, key=lambda r: r[0])))
            contract.updated_at = utcnow()
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)

    @strawberry.mutation(description="Money received for a contract, applied to its oldest open installments; more than is owed "
                                     "is refused unless recorded as a credit. Needs write on `payment` for the contract's owner.")
    @requires("payment", "write")
    async def record_payment(self, info: strawberry.Info, input: RecordPaymentInput) -> t.ContractPayload:
        async def work(session):
            contract = await fetch_for_write(session, info, Contract, input.contract_id, resource="payment", field="contractId")
            if contract.status in ("draft", "pending_approval", "rejected"):
                raise Invalid.one("contractId", "INVALID", f"a {contract.status.replace('_', ' ')} contract takes no payments yet")
            payment = await payments.apply_payment(session, contract, input.amount, input.received_on, input.method.value,
                                                   clean_text(input.reference, "reference", limit=100), input.as_credit, info.context.user_id)
            history.record(session, contract, "paid", f"{payment.amount.normalize():f} {contract.currency} received {payment.received_on}")
            contract.updated_at = utcnow()
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)


@strawberry.enum(description="How receivables are grouped: by the month installments fall due, the contract's owner, the "
                             "owner's team (an owner in two teams counts in both), or the customer.")
class ReceivablesGroup(enum.Enum):
    PERIOD = "PERIOD"
    OWNER = "OWNER"
    TEAM = "TEAM"
    CUSTOMER = "CUSTOMER"


KEY_TYPES = {"OWNER": "User", "TEAM": "Team", "CUSTOMER": "Customer"}  # groupings by record: keys are global ids


@strawberry.type(description="What customers owe as of a day, in the reporting currency.")
class ReceivablesRow:
    key: str = strawberry.field(description="The month ('2026-03'), or the global id of the owner, team or customer.")
    due: Decimal = strawberry.field(description="Installments due by the day.")
    received: Decimal = strawberry.field(description="Paid of them (and of later ones) by payments received by the day.")
    outstanding: Decimal = strawberry.field(description="Due and not paid.")
    overdue: Decimal = strawberry.field(description="Outstanding of installments due before the day.")
    days_0_30: Decimal = strawberry.field(description="Overdue by 1 to 30 days.", name="overdue1To30Days")
    days_31_60: Decimal = strawberry.field(description="Overdue by 31 to 60 days.", name="overdue31To60Days")
    days_61_90: Decimal = strawberry.field(description="Overdue by 61 to 90 days.", name="overdue61To90Days")
    days_over_90: Decimal = strawberry.field(description="Overdue by more than 90 days.", name="overdueOver90Days")
    days_sales_outstanding: float | None = strawberry.field(description="Outstanding over what fell due in the last 90 days, times 90.")
    order_to_cash_days: float | None = strawberry.field(description="Average days from signing (or, with sales, the confirmation of "
                                                                     "the order it came from) to the payment that settled a contract's "
                                                                     "whole plan, of contracts settled by the day.")
    settled_contracts: int = strawberry.field(description="Contracts settled in full, which order-to-cash is measured over.")


@strawberry.type(description="What customers owe as of a day, with its ageing, days sales outstanding and order-to-cash time.")
class Receivables:
    as_of: date = strawberry.field(description="The day it is as of.")
    currency: str
    rows: list[ReceivablesRow] = strawberry.field(description="One row per group.")
    unconverted: list[crm.UnconvertedAmount] = strawberry.field(description="Installments no exchange rate converts: left out of the amounts.")


@strawberry.type
class ReceivablesQuery:
    @strawberry.field(description="Receivables with ageing, days sales outstanding and order-to-cash time, as of a day (today).")
    @requires("payment", "read")
    async def receivables(self, info: strawberry.Info, as_of: date | None = None, group_by: ReceivablesGroup = ReceivablesGroup.OWNER) -> Receivables:
        from crm.plugins.contracts.receivables import receivables

        ctx = info.context
        day = as_of or utcnow().date()
        async with ctx.analysis_session() as session:
            rows, unconverted = await receivables(ctx, session, day, group_by.value)
        return Receivables(as_of=day, currency=ctx.settings.currency, unconverted=crm.unconverted_list(unconverted), rows=[
            ReceivablesRow(key=crm.report_key(KEY_TYPES.get(group_by.value), r.key), due=r.due, received=r.received, outstanding=r.outstanding, overdue=r.overdue, days_0_30=r.days_0_30,
                           days_31_60=r.days_31_60, days_61_90=r.days_61_90, days_over_90=r.days_over_90, days_sales_outstanding=r.dso,
                           order_to_cash_days=r.order_to_cash_days, settled_contracts=r.settled) for r in rows])
