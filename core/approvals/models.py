"""Approval chains (what admins configure) and approval requests (a record going through one), with every decision kept."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import JSONType, Model, Money, SoftDeletable, Timestamped, UTCDateTime, Versioned, id_column
from crm.models.types import ID


class ApprovalChain(Timestamped, SoftDeletable, Versioned, Model):
    """For one kind of record: the steps its records go through. The first active chain (by `position`) whose
    conditions hold for a record is the one it follows."""

    __tablename__ = "core_approval_chain"
    __resource__ = "approval_chain"

    id: Mapped[int] = id_column()
    resource: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    conditions: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)  # crm.conditions
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ApprovalStep(Model):
    """One step of a chain: who approves (a named user, anyone with a role, or the record owner's team manager), whether
    one of them is enough (`any`) or all must approve (`all`), and when the step applies at all (a value threshold in
    the reporting currency, conditions on the record)."""

    __tablename__ = "core_approval_step"
    __resource__ = "approval_chain"  # steps are edited with their chain and audited as its changes
    __table_args__ = (UniqueConstraint("chain_id", "position"),)

    id: Mapped[int] = id_column()
    chain_id: Mapped[int] = mapped_column(ID, ForeignKey("core_approval_chain.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    approver: Mapped[str] = mapped_column(String(10), nullable=False)  # user | role | manager
    user_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    role_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_role.id"))
    mode: Mapped[str] = mapped_column(String(3), nullable=False, default="any")  # any | all
    min_value: Mapped[Decimal | None] = mapped_column(Money)
    conditions: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)


class ApprovalRequest(Timestamped, Versioned, Model):
    """A record submitted for approval. Its steps and approvers are fixed when it is submitted (ApprovalAssignment), so
    that what an approver was asked does not change under them; `step` is the position being decided."""

    __tablename__ = "core_approval_request"
    __table_args__ = (Index("ix_core_approval_request_record", "resource", "record_id", "submitted_at"),)

    id: Mapped[int] = id_column()
    resource: Mapped[str] = mapped_column(String(50), nullable=False)
    record_id: Mapped[str] = mapped_column(String(64), nullable=False)
    record_version: Mapped[int | None] = mapped_column(Integer)  # the record as it was submitted
    chain_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_approval_chain.id"))
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")  # pending approved rejected withdrawn
    step: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    owner_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))  # the record's, at submission
    submitted_by: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApprovalAssignment(Model):
    """Who decides which step of a request: one row per approver and step, made at submission."""

    __tablename__ = "core_approval_assignment"
    __table_args__ = (Index("ix_core_approval_assignment_user", "user_id", "decided"),)

    request_id: Mapped[int] = mapped_column(ID, ForeignKey("core_approval_request.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), primary_key=True)
    step_name: Mapped[str] = mapped_column(String(200), nullable=False)
    mode: Mapped[str] = mapped_column(String(3), nullable=False)
    decided: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ApprovalDecision(Model):
    """The request's history, never changed: submitted, each approval and rejection with its comment, withdrawn."""

    __tablename__ = "core_approval_decision"
    __table_args__ = (Index("ix_core_approval_decision_request", "request_id", "at"),)

    id: Mapped[int] = id_column()
    request_id: Mapped[int] = mapped_column(ID, ForeignKey("core_approval_request.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int | None] = mapped_column(Integer)
    step_name: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    decision: Mapped[str] = mapped_column(String(10), nullable=False)  # submitted approved rejected withdrawn
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
