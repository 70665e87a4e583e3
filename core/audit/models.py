from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import JSONType, Model, UTCDateTime, id_column
from crm.models.types import ID


class AuditEntry(Model):
    __tablename__ = "core_audit_entry"
    __table_args__ = (
        Index("ix_core_audit_record", "resource", "record_id", "id"),
        Index("ix_core_audit_customer", "customer_id", "at", "id"),
    )

    id: Mapped[int] = id_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    action: Mapped[str] = mapped_column(String(20), nullable=False)  # create update delete restore merge transfer
    resource: Mapped[str] = mapped_column(String(50), nullable=False)
    record_id: Mapped[str] = mapped_column(String(64), nullable=False)
    customer_id: Mapped[int | None] = mapped_column(ID)  # for the customer's timeline; no FK: entries outlive merges
    changes: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)  # [{field, old, new}]
