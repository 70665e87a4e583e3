from __future__ import annotations

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import JSONType, Model, SoftDeletable, Timestamped, Versioned, id_column


class BusinessCalendar(Timestamped, SoftDeletable, Versioned, Model):
    """When a company works: weekly hours in a time zone, and holidays. SLA targets count in it, appointments are
    offered in it. Hours and holidays are lists on the row (a few dozen entries), so one change is one audit entry
    with the lists before and after, and one read gives `crm.working_time` all it needs."""

    __tablename__ = "core_business_calendar"
    __resource__ = "business_calendar"
    __table_args__ = (Index("uq_core_business_calendar_name", "name", unique=True,
                            postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),)

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)  # IANA, e.g. Europe/Berlin
    hours: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)  # [{weekday, start, end}] as HH:MM
    holidays: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)  # [{day, name}] sorted by day
