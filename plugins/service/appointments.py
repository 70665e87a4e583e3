"""Appointments: free slots from a staff member's working hours less their confirmed appointments, and the overlap
check that bookings and reschedulings go through (the database's exclusion constraint decides on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

import crm
from crm import Invalid
from crm.plugins.service.models import Appointment, Staff

BLOCKING = ("confirmed",)
FEED_PER_ADDRESS_PER_HOUR = 240


async def staff_hours(session, user_id: int):
    """The working time of a staff member's calendar; None when they have none set (any time may be booked)."""
    calendar_id = await session.scalar(select(Staff.calendar_id).where(Staff.user_id == user_id))
    return await crm.working_time(session, calendar_id) if calendar_id else None


def busy(user_id: int, start: datetime, end: datetime, *, besides: int | None = None):
    """The staff member's confirmed appointments overlapping [start, end)."""
    stmt = select(Appointment.starts_at, Appointment.ends_at).where(
        Appointment.owner_id == user_id, Appointment.status.in_(BLOCKING), Appointment.deleted_at.is_(None),
        Appointment.starts_at < end, Appointment.ends_at > start)
    return stmt.where(Appointment.id != besides) if besides else stmt


async def check_slot(session, user_id: int, start: datetime, end: datetime, *, besides: int | None = None) -> None:
    """Refuse a slot that is not in the staff member's working hours or overlaps one of their confirmed appointments.
    On SQLite this read and the write after it are one serialised transaction; on PostgreSQL two bookings at the same
    moment can both pass it, and the exclusion constraint refuses the second at flush (see `taken`)."""
    if end <= start:
        raise Invalid.one("endsAt", "INVALID", "an appointment ends after it starts")
    if end - start > timedelta(hours=12):
        raise Invalid.one("endsAt", "INVALID", "an appointment lasts at most 12 hours")
    hours = await staff_hours(session, user_id)
    if hours is not None and hours.between(start, end) != end - start:
        raise Invalid.one("startsAt", "INVALID", "this is outside the staff member's working hours: see availableSlots")
    if (await session.execute(busy(user_id, start, end, besides=besides).limit(1))).first() is not None:
        raise taken()


def taken() -> Invalid:
    return Invalid.one("startsAt", "CONFLICT", "the staff member has a confirmed appointment at this time: see availableSlots")


def free_slots(hours, appointments: list[tuple[datetime, datetime]], start: datetime, end: datetime, minutes: int, step: int):
    """Slots of `minutes` starting every `step` minutes from each working window's start, none overlapping an appointment."""
    length, stride = timedelta(minutes=minutes), timedelta(minutes=step)
    windows = hours.windows(start, end) if hours is not None else [(start, end)]
    for a, b in windows:
        slot = a
        while slot + length <= b:
            if not any(s < slot + length and e > slot for s, e in appointments):
                yield slot, slot + length
            slot += stride


async def feed(request, runtime):
    """GET /calendars/{token}.ics: a staff member's appointments from a month back to half a year ahead, as iCalendar,
    for the calendar program they subscribe with. The token is the only key, so it is long and kept hashed."""
    import hashlib

    import icalendar
    from starlette.responses import Response

    async with runtime.db.write() as session:  # calendar programs poll every few minutes; a guesser is slowed down
        wait = await crm.rate_limit(session, f"calendar-feed:{crm.client_address(request) or '-'}", FEED_PER_ADDRESS_PER_HOUR, 3600)
    if wait:
        return Response("too many requests\n", status_code=429, media_type="text/plain", headers={"Retry-After": str(wait)})
    token_hash = hashlib.sha256(request.path_params["token"].encode()).hexdigest()
    now = crm.utcnow()
    async with runtime.db.read() as session:
        user_id = await session.scalar(select(Staff.user_id).where(Staff.feed_token_hash == token_hash))
        if user_id is None:
            return Response("no such calendar feed\n", status_code=404, media_type="text/plain")
        rows = (await session.scalars(select(Appointment).where(
            Appointment.owner_id == user_id, Appointment.deleted_at.is_(None), Appointment.status != "proposed",
            Appointment.starts_at >= now - timedelta(days=31), Appointment.starts_at < now + timedelta(days=183))
            .order_by(Appointment.starts_at))).all()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//crm//appointments//EN")
    cal.add("version", "2.0")
    for a in rows:
        event = icalendar.Event()
        event.add("uid", f"appointment-{a.id}@crm")
        event.add("dtstamp", a.updated_at)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        event.add("summary", a.purpose)
        if a.location:
            event.add("location", a.location)
        event.add("status", "CANCELLED" if a.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return Response(cal.to_ical(), media_type="text/calendar; charset=utf-8")
