"""Appointments through GraphQL: free slots, booking, rescheduling, cancelling, and a staff member's calendar."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id
from crm.plugins.service import appointments as slots
from crm.plugins.service.models import Appointment, Staff, Ticket

UNSET = strawberry.UNSET
MAX_DAYS = 62


@strawberry.enum(description="PROPOSED holds no time; CONFIRMED blocks the staff member's time; then DONE, CANCELLED or NO_SHOW.")
class AppointmentStatus(enum.Enum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


@strawberry.enum(description="How an appointment is held.")
class AppointmentChannel(enum.Enum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


@strawberry.type(name="AppointmentCore", description="A meeting with a customer, held by a staff member.")
class AppointmentType:
    id: strawberry.ID
    starts_at: datetime = strawberry.field(description="When it starts.")
    ends_at: datetime = strawberry.field(description="When it ends.")
    location: str | None = strawberry.field(description="Where it takes place, or the link of a video call.")
    purpose: str = strawberry.field(description="What it is for.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    version: int

    @strawberry.field(description="Proposed, confirmed, done, cancelled or no-show.")
    @crm.inherited
    def status(self, info: strawberry.Info) -> AppointmentStatus:
        return AppointmentStatus(self.status)

    @strawberry.field(description="In person, by phone or by video.")
    @crm.inherited
    def channel(self, info: strawberry.Info) -> AppointmentChannel:
        return AppointmentChannel(self.channel)

    @strawberry.field(description="The staff member who holds it.")
    @crm.inherited
    async def staff(self, info: strawberry.Info) -> crm.api_type("User") | None:
        return await crm.user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="The customer it is with.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> crm.api_type("Customer") | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="The ticket it was booked for, if any.")
    @requires("ticket", "read", or_null=True)
    async def ticket(self, info: strawberry.Info) -> crm.api_type("Ticket") | None:
        return await crm.visible_loader(info.context, Ticket, "ticket").load(self.ticket_id) if self.ticket_id else None


AppointmentRef = crm.api_type("Appointment")  # published by name: the sales bridge adds the deal it is about
AppointmentPayload = crm.payload_type("Appointment", appointment=AppointmentRef)


@strawberry.type(description="A free stretch of a staff member's working time.")
class Slot:
    starts_at: datetime = strawberry.field(description="When it starts.")
    ends_at: datetime = strawberry.field(description="When it ends.")


@strawberry.type(description="A staff member's calendar feed: subscribe to `path` (prefixed with the server's address) in any "
                             "calendar program. Shown once; asking again replaces it.")
class CalendarFeed:
    path: str = strawberry.field(description="The feed's path on this server (an iCalendar feed, secret by its token).")


CalendarFeedPayload = crm.payload_type("CalendarFeed", feed=CalendarFeed)


@strawberry.type(description="A staff member's working hours for appointments.")
class StaffHours:
    user_id: strawberry.ID
    calendar_id: strawberry.ID | None = strawberry.field(metadata={"refers_to": "BusinessCalendar"})


StaffHoursPayload = crm.payload_type("StaffHours", staff=StaffHours)


@strawberry.input
class BookAppointmentInput:
    customer_id: strawberry.ID
    staff_id: strawberry.ID = strawberry.field(description="Who holds it: the caller or a user within their reach.")
    starts_at: datetime
    ends_at: datetime
    purpose: str
    contact_id: strawberry.ID | None = None
    ticket_id: strawberry.ID | None = None
    channel: AppointmentChannel = AppointmentChannel.IN_PERSON
    location: str | None = None
    status: AppointmentStatus = strawberry.field(default=AppointmentStatus.CONFIRMED, description="CONFIRMED (blocks the time) or PROPOSED.")


@strawberry.input
class RescheduleAppointmentInput:
    id: strawberry.ID
    version: int
    starts_at: datetime
    ends_at: datetime


@strawberry.input
class CancelAppointmentInput:
    id: strawberry.ID
    version: int
    reason: str | None = strawberry.field(default=None, description="Why it is cancelled.")


@strawberry.input(description="Confirm a proposed appointment, or record how a confirmed one went: CONFIRMED, DONE or NO_SHOW.")
class SetAppointmentStatusInput:
    id: strawberry.ID
    version: int
    status: AppointmentStatus = strawberry.field(description="The new status.")


@strawberry.input
class SetStaffHoursInput:
    user_id: strawberry.ID
    calendar_id: strawberry.ID | None = strawberry.field(description="The business calendar of their hours; null: any time.")


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise Invalid.one(field, "INVALID", "give a time with its offset or Z")
    return value


def _range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if start.tzinfo is None or end.tzinfo is None:
        raise crm.bad_input("from", "give times with their offset or Z")
    if end <= start or end - start > timedelta(days=MAX_DAYS):
        raise crm.bad_input("to", f"ask for a period of up to {MAX_DAYS} days")
    return start, end


async def _flush(session) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint: another booking of the same time committed first
        if "ex_service_appointment_no_overlap" in str(exc.orig):
            raise slots.taken() from None
        raise


async def _staff(session, info, raw) -> int:
    return await crm.resolve_owner(session, info.context.access, raw, "staffId", "appointment")


@strawberry.type
class AppointmentQuery:
    @strawberry.field(description="Free slots of `durationMinutes` in a staff member's working hours from `from` to `to` (62 days "
                                  "at most), starting every `stepMinutes`, none overlapping their confirmed appointments.")
    @requires("appointment", "read")
    async def available_slots(self,
                              info: strawberry.Info,
                              staff_id: Annotated[strawberry.ID, strawberry.argument(description="The staff member (a User), by id.")],
                              from_: Annotated[datetime, strawberry.argument(name="from")],
                              to: datetime,
                              duration_minutes: Annotated[int, strawberry.argument(description="How long the appointment is.")] = 30,
                              step_minutes: Annotated[int, strawberry.argument(description="Minutes between the start times offered.")] = 30) -> list[Slot]:
        start, end = _range(from_, to)
        if not 5 <= duration_minutes <= 720 or not 5 <= step_minutes <= 720:
            raise crm.bad_input("durationMinutes", "durationMinutes and stepMinutes are 5 to 720")
        user_id = try_parse_id(staff_id)
        async with info.context.db.read() as session:
            hours = await slots.staff_hours(session, user_id)
            booked = (await session.execute(slots.busy(user_id, start, end))).all()
        return [Slot(starts_at=a, ends_at=b) for a, b in slots.free_slots(hours, [tuple(r) for r in booked], start, end, duration_minutes, step_minutes)]

    @strawberry.field(description="A staff member's appointments from `from` to `to` that the caller may read, by start.")
    @requires("appointment", "read")
    async def staff_calendar(self,
                             info: strawberry.Info,
                             staff_id: Annotated[strawberry.ID, strawberry.argument(description="The staff member (a User), by id.")],
                             from_: Annotated[datetime, strawberry.argument(name="from")],
                             to: datetime) -> list[AppointmentRef]:
        start, end = _range(from_, to)
        stmt = select(Appointment).where(info.context.access.filter(Appointment, "appointment"), Appointment.owner_id == try_parse_id(staff_id),
                                         Appointment.deleted_at.is_(None), Appointment.starts_at < end, Appointment.ends_at > start)
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt.order_by(Appointment.starts_at, Appointment.id))).all())


@strawberry.type
class AppointmentMutation:
    @strawberry.mutation(description="Book an appointment; a CONFIRMED one is refused (CONFLICT) when it overlaps the staff member's "
                                     "confirmed appointments, decided by the database, and (INVALID) outside their working hours.")
    @requires("appointment", "write")
    async def book_appointment(self, info: strawberry.Info, input: BookAppointmentInput) -> AppointmentPayload:
        async def work(session):
            customer = await fetch_for_write(session, info, crm.Customer, input.customer_id, resource="customer", field="customerId", action="read")
            staff = await _staff(session, info, input.staff_id)
            start, end = _aware(input.starts_at, "startsAt"), _aware(input.ends_at, "endsAt")
            if input.status not in (AppointmentStatus.CONFIRMED, AppointmentStatus.PROPOSED):
                raise Invalid.one("status", "INVALID", "book it CONFIRMED or PROPOSED")
            if input.status == AppointmentStatus.CONFIRMED:
                await slots.check_slot(session, staff, start, end)
            ticket_id = None
            if input.ticket_id is not None:
                ticket = await fetch_for_write(session, info, Ticket, input.ticket_id, resource="ticket", field="ticketId", action="read")
                if ticket.customer_id != customer.id:
                    raise Invalid.one("ticketId", "INVALID", "the ticket is another customer's")
                ticket_id = ticket.id
            contact_id = None
            if input.contact_id is not None:
                contact_id = parse_id(input.contact_id, "contactId")
                if await session.scalar(select(crm.Contact.id).where(crm.Contact.id == contact_id, crm.Contact.customer_id == customer.id,
                                                                      crm.Contact.deleted_at.is_(None))) is None:
                    raise Invalid.one("contactId", "NOT_FOUND", "no such contact at this customer")
            appointment = Appointment(customer_id=customer.id, contact_id=contact_id, ticket_id=ticket_id, starts_at=start, ends_at=end,
                                      channel=input.channel.value, location=clean_text(input.location, "location", limit=300),
                                      purpose=clean_text(input.purpose, "purpose", required=True, limit=300), status=input.status.value,
                                      owner_id=staff)
            session.add(appointment)
            await _flush(session)
            return AppointmentPayload(appointment=appointment)

        return await mutation(info, AppointmentPayload, work)

    @strawberry.mutation(description="Move an appointment that is not over; the new time is checked as a booking is.")
    @requires("appointment", "write")
    async def reschedule_appointment(self, info: strawberry.Info, input: RescheduleAppointmentInput) -> AppointmentPayload:
        async def work(session):
            appointment = await fetch_for_write(session, info, Appointment, input.id, resource="appointment", version=input.version)
            if appointment.status not in ("proposed", "confirmed"):
                raise Invalid.one("id", "INVALID", f"a {appointment.status.replace('_', ' ')} appointment is not moved")
            start, end = _aware(input.starts_at, "startsAt"), _aware(input.ends_at, "endsAt")
            if appointment.status == "confirmed":
                await slots.check_slot(session, appointment.owner_id, start, end, besides=appointment.id)
            appointment.starts_at, appointment.ends_at, appointment.updated_at = start, end, crm.utcnow()
            await _flush(session)
            return AppointmentPayload(appointment=appointment)

        return await mutation(info, AppointmentPayload, work)

    @strawberry.mutation(description="Cancel an appointment that is not over; its time is free again.")
    @requires("appointment", "write")
    async def cancel_appointment(self, info: strawberry.Info, input: CancelAppointmentInput) -> AppointmentPayload:
        async def work(session):
            appointment = await fetch_for_write(session, info, Appointment, input.id, resource="appointment", version=input.version)
            if appointment.status not in ("proposed", "confirmed"):
                raise Invalid.one("id", "INVALID", f"a {appointment.status.replace('_', ' ')} appointment is not cancelled")
            appointment.status, appointment.cancel_reason = "cancelled", clean_text(input.reason, "reason", limit=500)
            appointment.updated_at = crm.utcnow()
            return AppointmentPayload(appointment=appointment)

        return await mutation(info, AppointmentPayload, work)

    @strawberry.mutation(description="Confirm a proposed appointment (checked as a booking is), or record that a confirmed one was "
                                     "DONE or a NO_SHOW.")
    @requires("appointment", "write")
    async def set_appointment_status(self, info: strawberry.Info, input: SetAppointmentStatusInput) -> AppointmentPayload:
        async def work(session):
            appointment = await fetch_for_write(session, info, Appointment, input.id, resource="appointment", version=input.version)
            to = input.status.value
            allowed = {"proposed": {"confirmed"}, "confirmed": {"done", "no_show"}}.get(appointment.status, set())
            if to not in allowed:
                raise Invalid.one("status", "INVALID", f"a {appointment.status.replace('_', ' ')} appointment may become "
                                                       f"{', '.join(sorted(s.upper() for s in allowed)) or 'nothing else'}")
            if to == "confirmed":
                await slots.check_slot(session, appointment.owner_id, appointment.starts_at, appointment.ends_at, besides=appointment.id)
            appointment.status, appointment.updated_at = to, crm.utcnow()
            await _flush(session)
            return AppointmentPayload(appointment=appointment)

        return await mutation(info, AppointmentPayload, work)

    @strawberry.mutation(description="Set the business calendar of a staff member's working hours (admins).")
    @requires("business_calendar", "write")
    async def set_staff_hours(self, info: strawberry.Info, input: SetStaffHoursInput) -> StaffHoursPayload:
        async def work(session):
            user_id = parse_id(input.user_id, "userId")
            if await session.get(crm.User, user_id) is None:
                raise Invalid.one("userId", "NOT_FOUND", "no user with this ID")
            calendar_id = parse_id(input.calendar_id, "calendarId") if input.calendar_id is not None else None
            if calendar_id is not None and await crm.working_time(session, calendar_id) is None:
                raise Invalid.one("calendarId", "NOT_FOUND", "no business calendar with this ID")
            staff = await session.get(Staff, user_id) or Staff(user_id=user_id)
            before, staff.calendar_id = staff.calendar_id, calendar_id
            session.add(staff)
            await crm.audit_records(session, "update", "staff_hours", [(user_id, [{"field": "calendarId", "old": before, "new": calendar_id}], None)])
            return StaffHoursPayload(staff=StaffHours(user_id=strawberry.ID(str(user_id)), calendar_id=strawberry.ID(str(calendar_id)) if calendar_id else None))

        return await mutation(info, StaffHoursPayload, work)

    @strawberry.mutation(description="A new calendar feed link for the caller's appointments (the previous link stops working).")
    @requires("appointment", "read")
    async def create_calendar_feed(self, info: strawberry.Info, input: IdInput) -> CalendarFeedPayload:
        async def work(session):
            user_id = parse_id(input.id, "id")
            if user_id != info.context.user_id:
                raise Invalid.one("id", "FORBIDDEN", "a calendar feed is made by its staff member")
            token = secrets.token_urlsafe(32)
            staff = await session.get(Staff, user_id) or Staff(user_id=user_id)
            staff.feed_token_hash = hashlib.sha256(token.encode()).hexdigest()
            session.add(staff)
            return CalendarFeedPayload(feed=CalendarFeed(path=f"/calendars/{token}.ics"))

        return await mutation(info, CalendarFeedPayload, work)
