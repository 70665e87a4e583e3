from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import JSONType, Model, Owned, Timestamped, UTCDateTime, id_column
from crm.models.types import ID


class BulkJob(Timestamped, Owned, Model):
    """Work on many records that one request started (tag 40,000 customers): the records are fixed when it starts
    (its items), done in batches by whichever worker holds its lease, each batch in one transaction with the items
    it finished, so that a restart resumes where the last committed batch ended. `owner_id` started it, and the
    work is done with that user's grants."""

    __tablename__ = "core_bulk_job"  # no __resource__: its progress is not audited, the records it changes are

    id: Mapped[int] = id_column()
    target: Mapped[str] = mapped_column(String(100), nullable=False)  # a crm.BulkTarget's name
    params: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="queued")  # queued running done cancelled failed
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class BulkItem(Model):
    """One record of a bulk job: pending until a batch did it (done) or could not (failed, with the reason)."""

    __tablename__ = "core_bulk_item"
    __table_args__ = (Index("ix_core_bulk_item_state", "job_id", "state", "record_id"),)

    job_id: Mapped[int] = mapped_column(ID, ForeignKey("core_bulk_job.id", ondelete="CASCADE"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ID, primary_key=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    error: Mapped[str | None] = mapped_column(String(500))
