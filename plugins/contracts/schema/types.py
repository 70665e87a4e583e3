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
    due_date: date
    amount: Decimal
    paid: Decimal = strawberry.field(description="What payments applied to it so far.")
    reminded_at: datetime | None = strawberry.field(description="When the overdue reminder task was made for the contract's owner.")

    @strawberry.field
    @inherited
    def outstanding(self, info: strawberry.Info) -> Decimal:
        return self.amount - self.paid


@strawberry.type(name="Payment", description="Money received for a contract.")
class PaymentType:
    id: strawberry.ID
    amount: Decimal
    credit: Decimal = strawberry.field(description="The part beyond what was owed, kept as a credit.")
    received_on: date
    method: str
    reference: str | None
    recorded_at: datetime


@strawberry.type(name="ContractEvent", description="One step of a contract's life.")
class ContractEventType:
    at: datetime
    kind: ContractEventKind
    actor_id: strawberry.ID | None
    revision: int
    detail: str | None


@strawberry.type(name="ContractCore", description="An agreement with a customer: its value, term and terms, approved, signed, and ended.")
class Contract(crm.Node):
    id: strawberry.ID
    number: str
    title: str
    customer_id: strawberry.ID
    owner_id: strawberry.ID
    value: Decimal
    currency: str
    start_date: date | None
    end_date: date | None
    terms: str | None
    status: ContractStatus
    revision: int = strawberry.field(description="The contract's business version: a change after approval starts the next, "
                                                 "which needs approval again. (`version` is the edit counter every record has.)")
    signed_on: date | None
    auto_renew: bool
    notice_days: int = strawberry.field(description="Days before the end date by which either side must give notice.")
    terminated_on: date | None
    termination_reason: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="`value` in the reporting currency at the rate of its signing day (today's until signed).")
    @inherited
    async def value_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.value, self.currency, self.signed_on)

    @strawberry.field
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
