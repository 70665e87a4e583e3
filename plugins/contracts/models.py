"""Tables of the contracts plugin. Money is `crm.Money` (exact decimals)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, BusinessRecord, JSONType, Model, Money, UTCDateTime, id_column

NUMBER = "C-{YYYY}-{seq:05}"  # crm.next_number: C-2026-00001
EDITABLE = ("draft", "rejected")  # where a change is a change; an approved contract's change is a new revision


class ContractsModel(Model):
    __abstract__ = True
    __plugin__ = "contracts"


class Contract(BusinessRecord, ContractsModel):
    __tablename__ = "contracts_contract"
    __resource__ = "contract"
    __table_args__ = (
        Index("ix_contracts_contract_customer", "customer_id", "created_at"),
        Index("ix_contracts_contract_status_end", "status", "end_date"),
        Index("ix_contracts_contract_status_notice", "status", "notice_on"),
    )

    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False)
    value: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str | None] = mapped_column(Text)
    # draft pending_approval approved rejected active expired terminated
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # the business version: a change after approval makes the next
    signed_on: Mapped[date | None] = mapped_column(Date)
    auto_renew: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notice_days: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(String(500))
    notice_on: Mapped[date | None] = mapped_column(Date)  # end date less notice days, kept by `set_notice` for the renewal job's index
    # The end date whose renewal notice was given (a task, a renewal deal): given once per term, by a conditional UPDATE.
    renewal_noticed_for: Mapped[date | None] = mapped_column(Date)
    # The day the payment that completed its whole plan was received (order-to-cash), kept by payments.apply_payment.
    settled_on: Mapped[date | None] = mapped_column(Date)
    cash_from: Mapped[date | None] = mapped_column(Date)  # where order-to-cash starts when not at signing (an order's confirmation)
    custom_fields: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)


def set_notice(contract: "Contract") -> None:
    """The day notice must be given by: the end date less the notice period (none without an end date)."""
    contract.notice_on = contract.end_date - timedelta(days=contract.notice_days) if contract.end_date else None


class ContractSignatory(ContractsModel):
    """A contact of the customer who signs the contract."""

    __tablename__ = "contracts_signatory"

    contract_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_contract.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ID, ForeignKey("core_contact.id"), primary_key=True)


class ContractEvent(ContractsModel):
    """A contract's life, never changed: created, revised, submitted, approved, rejected, withdrawn, signed, terminated,
    expired."""

    __tablename__ = "contracts_event"
    __table_args__ = (Index("ix_contracts_event_contract", "contract_id", "at"),)

    id: Mapped[int] = id_column()
    contract_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_contract.id", ondelete="CASCADE"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    detail: Mapped[str | None] = mapped_column(String(2000))


class Installment(ContractsModel):
    """One part of a contract's payment plan: due on a day, paid as payments are applied to it (oldest first)."""

    __tablename__ = "contracts_installment"
    __table_args__ = (
        Index("ix_contracts_installment_contract", "contract_id", "position"),
        Index("ix_contracts_installment_due", "due_date", "contract_id"),
    )

    id: Mapped[int] = id_column()
    contract_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_contract.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    paid: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the overdue reminder was made (once)


class Payment(ContractsModel):
    """Money received for a contract: applied to its oldest open installments; what is left over is a credit."""

    __tablename__ = "contracts_payment"
    __table_args__ = (Index("ix_contracts_payment_contract", "contract_id", "received_on"),)

    id: Mapped[int] = id_column()
    contract_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_contract.id", ondelete="CASCADE"), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    credit: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)  # bank_transfer card cash cheque direct_debit other
    reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class PaymentAllocation(ContractsModel):
    """What part of a payment went to which installment, and when it was received (receivables as of a past day
    subtract what was received since, read by this date)."""

    __tablename__ = "contracts_payment_allocation"
    __table_args__ = (Index("ix_contracts_payment_allocation_received", "received_on", "installment_id"),)

    payment_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_payment.id", ondelete="CASCADE"), primary_key=True)
    installment_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_installment.id", ondelete="CASCADE"), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
