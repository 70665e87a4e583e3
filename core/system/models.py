from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import Model, UTCDateTime, utcnow


class PluginState(Model):
    """Which plugins are enabled: in the database, so every worker agrees."""

    __tablename__ = "core_plugin"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    version: Mapped[str] = mapped_column(String(50), nullable=False)
    grants_seeded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Counter(Model):
    """Numbers that workers poll to notice changes made by other workers (e.g. `policy`)."""

    __tablename__ = "core_counter"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class JobLease(Model):
    """One row per scheduled job: who may run it until when, and how the last run went."""

    __tablename__ = "core_job"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
