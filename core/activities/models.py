from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import BusinessRecord, Model, UTCDateTime, id_column
from crm.models.types import ID


class Activity(BusinessRecord, Model):
    __tablename__ = "core_activity"
    __resource__ = "activity"
    __table_args__ = (
        Index("ix_core_activity_customer_time", "customer_id", "occurred_at", "id"),
        Index("ix_core_activity_open_tasks", "assignee_id", "done", "due_at"),
    )

    id: Mapped[int] = id_column()
    # Null while the activity is about a record that has no customer yet (a lead): conversion gives it one.
    customer_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_customer.id"))
    kind: Mapped[str] = mapped_column(String(50), nullable=False)
    subject: Mapped[str] = mapped_column(String(500), nullable=False)
    body: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(String(10))  # inbound | outbound
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(200))
    record_type: Mapped[str | None] = mapped_column(String(50))  # a plugin's record this activity is about
    record_id: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ActivityContact(Model):
    __tablename__ = "core_activity_contact"

    activity_id: Mapped[int] = mapped_column(ID, ForeignKey("core_activity.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ID, ForeignKey("core_contact.id"), primary_key=True, index=True)
