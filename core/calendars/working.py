"""`crm.working_time`: a calendar's WorkingTime for a module's arithmetic (SLA due times, free slots)."""

from __future__ import annotations

from datetime import date

from crm.calendars.hours import WorkingTime
from crm.calendars.models import BusinessCalendar


def working_time_of(calendar: BusinessCalendar) -> WorkingTime:
    return WorkingTime.of(calendar.time_zone, calendar.hours, (date.fromisoformat(h["day"]) for h in calendar.holidays))


async def working_time(session, calendar_id: int) -> WorkingTime | None:
    """The working time of calendar `calendar_id` as it is now; None when there is no such live calendar."""
    calendar = await session.get(BusinessCalendar, calendar_id)
    if calendar is None or calendar.deleted_at is not None:
        return None
    return working_time_of(calendar)
