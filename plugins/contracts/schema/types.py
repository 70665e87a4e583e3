"""GraphQL types of the contracts plugin."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import strawberry

import crm
from crm import api_type, connection_type, inherited, payload_type, requires
from crm.plugins.contracts import models

Customer = api_type("Customer")
Contact = api_type("Contact")


@strawberry.enum(description="Where a contract stands: DRAFT, PENDING_APPROVAL, APPROVED or REJECTED (back to its owner), "
                             "ACTIVE once signed, then EXPIRED at its end date or TERMINATED.")
class ContractStatus(enum.Enum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


@strawberry.enum(description="What happened to a contract, in its history.")
class ContractEventKind(enum.Enum):
    CREATED = "created"
    REVISED = "revised"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    SIGNED = "signed"
    TERMINATED = "terminated"
    EXPIRED = "expired"
    PAID = "paid"
    RENEWED = "renewed"


@strawberry.type(name="Installment", description="A part of a contract's payment plan.")
class InstallmentType:
    id: strawberry.ID
    contract_id: strawberry.ID
    position: int
    label: str | None
    due_date: date = strawberry.field(description="When it is due.")
    amount: Decimal = strawberry.field(description="What is due, in the contract's currency.")
    paid: Decimal = strawberry.field(description="What payments applied to it so far.")
    reminded_at: datetime | None = strawberry.field(description="When the overdue reminder task was made for the contract's owner.")

    @strawberry.field(description="What is still to be paid.")
    @inherited
    def outstanding(self, info: strawberry.Info) -> Decimal:
        return self.amount - self.paid


@strawberry.type(name="Payment", description="Money received for a contract.")
class PaymentType:
    id: strawberry.ID
    amount: Decimal = strawberry.field(description="What was received, in the contract's currency.")
    credit: Decimal = strawberry.field(description="The part beyond what was owed, kept as a credit.")
    received_on: date = strawberry.field(description="When it was received.")
    method: str = strawberry.field(description="How it was paid.")
    reference: str | None = strawberry.field(description="The bank's or payer's reference.")
    recorded_at: datetime = strawberry.field(description="When it was recorded.")


@strawberry.type(name="ContractEvent", description="One step of a contract's life.")
class ContractEventType:
    at: datetime = strawberry.field(description="When it happened.")
    kind: ContractEventKind = strawberry.field(description="What happened.")
    actor_id: strawberry.ID | None
    revision: int = strawberry.field(description="The contract's revision it happened to.")
    detail: str | None = strawberry.field(description="More about it, in words (a reason, a comment).")


@strawberry.type(name="ContractCore", description="An agreement with a customer: its value, term and terms, approved, signed, and ended.")
class Contract(crm.Node):
    id: strawberry.ID
    number: str = strawberry.field(description="Its number, from the contract numbering sequence.")
    title: str = strawberry.field(description="What it is for.")
    customer_id: strawberry.ID
    owner_id: strawberry.ID
    value: Decimal = strawberry.field(description="What it is worth, in its currency.")
    currency: str
    start_date: date | None = strawberry.field(description="Its first day.")
    end_date: date | None = strawberry.field(description="Its last day.")
    terms: str | None = strawberry.field(description="Its terms, in words.")
    status: ContractStatus = strawberry.field(description="Draft, pending approval, approved, rejected, active, expired or terminated.")
    revision: int = strawberry.field(description="The contract's business version: a change after approval starts the next, "
                                                 "which needs approval again. (`version` is the edit counter every record has.)")
    signed_on: date | None = strawberry.field(description="When it was signed.")
    auto_renew: bool = strawberry.field(description="Whether it renews itself at its end unless notice is given.")
    notice_days: int = strawberry.field(description="Days before the end date by which either side must give notice.")
    terminated_on: date | None = strawberry.field(description="When it was terminated.")
    termination_reason: str | None = strawberry.field(description="Why it was terminated.")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="`value` in the reporting currency at the rate of its signing day (today's until signed).")
    @inherited
    async def value_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.value, self.currency, self.signed_on)

    @strawberry.field(description="The customer it is with.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="The customer's contacts who sign it.")
    @requires("contact", "read", or_null=True)
    async def signatories(self, info: strawberry.Info) -> list[Contact] | None:
        rows = await crm.children_loader(info.context, models.ContractSignatory, "contract_id").load(self.id)
        contacts = await crm.visible_loader(info.context, crm.Contact, "contact").load_many([r.contact_id for r in rows])
        return [c for c in contacts if c is not None]

    @strawberry.field(description="Every step of its life, oldest first.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[ContractEventType]:
        return await crm.children_loader(info.context, models.ContractEvent, "contract_id", [models.ContractEvent.at, models.ContractEvent.id]).load(self.id)

    @strawberry.field(description="The payment plan, by due date.")
    @inherited
    async def installments(self, info: strawberry.Info) -> list[InstallmentType]:
        return await crm.children_loader(info.context, models.Installment, "contract_id", [models.Installment.due_date, models.Installment.position]).load(self.id)

    @strawberry.field(description="Payments received, oldest first.")
    @requires("payment", "read", or_null=True)
    async def payments(self, info: strawberry.Info) -> list[PaymentType] | None:
        return await crm.children_loader(info.context, models.Payment, "contract_id", [models.Payment.received_on, models.Payment.id]).load(self.id)

    @strawberry.field(description="What the plan still expects: the installments' amounts less what was paid.")
    @inherited
    async def outstanding(self, info: strawberry.Info) -> Decimal:
        plan = await crm.children_loader(info.context, models.Installment, "contract_id", [models.Installment.due_date, models.Installment.position]).load(self.id)
        return sum((i.amount - i.paid for i in plan), Decimal(0))

    @strawberry.field(description="The outstanding part of installments already due.")
    @inherited
    async def overdue(self, info: strawberry.Info) -> Decimal:
        plan = await crm.children_loader(info.context, models.Installment, "contract_id", [models.Installment.due_date, models.Installment.position]).load(self.id)
        today = crm.utcnow().date()
        return sum((i.amount - i.paid for i in plan if i.due_date < today), Decimal(0))

    @strawberry.field(description="The values of the custom fields admins defined for contracts.")
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[crm.CustomFieldValue]:
        return await crm.custom_field_values(info, "contract", self.custom_fields)


ContractRef = api_type("Contract")  # published by name (the sales bridge adds its deal and order), referred to lazily
ContractConnection = connection_type("Contract", ContractRef)
ContractPayload = payload_type("Contract", contract=ContractRef)
