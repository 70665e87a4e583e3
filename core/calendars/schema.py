"""Business calendars through GraphQL: admins (resource `business_calendar`) keep them; everyone may read them and
ask them the arithmetic modules do (a due time after N working minutes, working time between two moments)."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.api.access import inherited, requires
from crm.api.errors import Invalid, UserError, bad_input
from crm.api.ids import try_parse_id
from crm.api.inputs import UNSET, IdInput, clean_text, given
from crm.api.mutations import fetch_for_write, mutation, restore, soft_delete
from crm.api.payloads import DeletePayload, payload_type
from crm.calendars import holidays as holiday_files
from crm.calendars.hours import WEEKDAYS, NoWorkingTime, clock, parse_clock, weekly_windows, zone
from crm.calendars.models import BusinessCalendar as Calendar
from crm.calendars.working import working_time_of
from crm.models import utcnow
from crm.api.nodes import Node

Weekday = strawberry.enum(enum.Enum("Weekday", {d: d for d in WEEKDAYS}), description="Monday first, as ISO 8601 counts.")
MAX_WINDOW_DAYS = 62


@strawberry.type(description="Hours worked on one weekday, local time of the calendar (`24:00` is the day's end).")
class WorkingHours:
    weekday: Weekday = strawberry.field(description="The weekday.")
    start: str = strawberry.field(description="When work starts, in the calendar's time zone.")
    end: str = strawberry.field(description="When work ends, in the calendar's time zone.")


@strawberry.type(description="A day a business calendar does not work.")
class Holiday:
    day: date = strawberry.field(description="The day.")
    name: str = strawberry.field(description="Its name.")


@strawberry.type(description="A stretch of working time.")
class TimeWindow:
    start: datetime = strawberry.field(description="When it starts.")
    end: datetime = strawberry.field(description="When it ends.")


@strawberry.type(description="When the company works: weekly hours in a time zone, less holidays. SLA targets count in "
                 "it and appointments are offered in it.")
class BusinessCalendar(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Berlin: hours are its local time, DST included.")
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    @strawberry.field(description="Its working hours, per weekday, in its time zone.")
    @inherited
    def hours(self, info: strawberry.Info) -> list[WorkingHours]:
        rows = sorted(self.hours, key=lambda h: (WEEKDAYS.index(h["weekday"]), parse_clock(h["start"])))
        return [WorkingHours(weekday=Weekday[h["weekday"]], start=h["start"], end=h["end"]) for h in rows]

    @strawberry.field(description="Its holidays, those between `from` and `to` (inclusive) when given.")
    @inherited
    def holidays(self, info: strawberry.Info, from_: Annotated[date | None, strawberry.argument(name="from")] = None,
                 to: date | None = None) -> list[Holiday]:
        days = [Holiday(day=date.fromisoformat(h["day"]), name=h["name"]) for h in self.holidays]
        return [h for h in days if (from_ is None or h.day >= from_) and (to is None or h.day <= to)]

    @strawberry.field(description="The moment `minutes` of working time after `start`: a due time. Work arriving out of "
                      "hours starts counting at the next opening.")
    @inherited
    def due_after(self,
                  info: strawberry.Info,
                  start: Annotated[datetime, strawberry.argument(description="When the clock starts.")],
                  minutes: Annotated[int, strawberry.argument(description="Working minutes to add.")]) -> datetime:
        if minutes < 0 or minutes > 60 * 24 * 366:
            raise bad_input("minutes", "give 0 to 527,040 minutes (a year)")
        try:
            return working_time_of(self).add(_aware(start, "start"), minutes)
        except NoWorkingTime as exc:
            raise bad_input("minutes", str(exc)) from None

    @strawberry.field(description="Working minutes between `from` and `to` (whole minutes, rounded down).")
    @inherited
    def working_minutes(self, info: strawberry.Info, from_: Annotated[datetime, strawberry.argument(name="from")], to: datetime) -> int:
        start, end = _range(from_, to, 3660)
        return int(working_time_of(self).between(start, end) // timedelta(minutes=1))

    @strawberry.field(description=f"The working windows between `from` and `to` ({MAX_WINDOW_DAYS} days at most), in UTC.")
    @inherited
    def working_windows(self, info: strawberry.Info, from_: Annotated[datetime, strawberry.argument(name="from")], to: datetime) -> list[TimeWindow]:
        start, end = _range(from_, to, MAX_WINDOW_DAYS)
        return [TimeWindow(start=a, end=b) for a, b in working_time_of(self).windows(start, end)]


BusinessCalendarPayload = payload_type("BusinessCalendar", calendar=BusinessCalendar)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise bad_input(field, "give a time with its offset or Z")
    return value


def _range(start: datetime, end: datetime, max_days: int) -> tuple[datetime, datetime]:
    start, end = _aware(start, "from"), _aware(end, "to")
    if end < start:
        raise bad_input("to", "the end is before the start")
    if end - start > timedelta(days=max_days):
        raise bad_input("to", f"ask for {max_days} days at most")
    return start, end


@strawberry.input(description="The hours of one weekday a business calendar works.")
class WorkingHoursInput:
    weekday: Weekday
    start: str = strawberry.field(description="HH:MM, local time.")
    end: str = strawberry.field(description="HH:MM, later than start; 24:00 for the day's end.")


@strawberry.input(description="A day a business calendar does not work, and its name.")
class HolidayInput:
    day: date
    name: str = ""


@strawberry.input
class CreateBusinessCalendarInput:
    name: str
    time_zone: str
    hours: list[WorkingHoursInput]
    holidays: list[HolidayInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Change a calendar; only the fields given change (`hours` and `holidays` are replaced whole).")
class UpdateBusinessCalendarInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    time_zone: str | None = UNSET
    hours: list[WorkingHoursInput] | None = UNSET
    holidays: list[HolidayInput] | None = UNSET


@strawberry.enum(description="The format of a file of holidays.")
class HolidayFileFormat(enum.Enum):
    CSV = strawberry.enum_value("csv", description="Rows `day,name` with days as YYYY-MM-DD; a header row is skipped.")
    ICALENDAR = strawberry.enum_value("icalendar", description="An .ics feed; recurring events are expanded between `from` and `to`.")


@strawberry.input(description="Add the holidays of a file to a calendar: days already there stay, new days are added.")
class ImportHolidaysInput:
    id: strawberry.ID
    version: int
    file: str = strawberry.field(description="The file's text.")
    format: HolidayFileFormat = strawberry.field(description="The file's format.")
    from_: date | None = strawberry.field(name="from", default=None, description="iCalendar: from this day (default: today).")
    to: date | None = strawberry.field(default=None, description="iCalendar: up to this day, inclusive (default: three years on).")


def _hours(raw: list[WorkingHoursInput]) -> list[dict]:
    rows, errors = [], []
    for i, h in enumerate(raw):
        row = {"weekday": h.weekday.value, "start": h.start.strip(), "end": h.end.strip()}
        for key in ("start", "end"):
            try:
                row[key] = clock(parse_clock(row[key]))
            except ValueError as exc:
                errors.append(UserError(field=f"hours.{i}.{key}", code="INVALID", message=str(exc)))
        rows.append(row)
    if errors:
        raise Invalid(*errors)
    try:
        weekly_windows(rows)
    except ValueError as exc:
        raise Invalid.one("hours", "INVALID", str(exc)) from None
    if not rows:
        raise Invalid.one("hours", "REQUIRED", "a calendar needs working hours on at least one day")
    return rows


def _time_zone(raw: str) -> str:
    try:
        zone(raw.strip())
    except ValueError as exc:
        raise Invalid.one("timeZone", "INVALID", str(exc)) from None
    return raw.strip()


def _holidays(raw: list[HolidayInput]) -> list[dict]:
    return holiday_files.merged([], [(h.day, (h.name or "").strip()[:200]) for h in raw])


async def _name(session, raw: str, calendar: Calendar | None) -> str:
    name = clean_text(raw, "name", limit=100, required=True)
    taken = await session.scalar(select(Calendar.id).where(Calendar.name == name, Calendar.deleted_at.is_(None),
                                                           Calendar.id != (calendar.id if calendar else 0)))
    if taken is not None:
        raise Invalid.one("name", "DUPLICATE", f"there is a calendar named {name!r} already")
    return name


async def _flush(session, calendar: Calendar) -> None:
    try:
        await session.flush()
    except IntegrityError:  # the same name at the same moment from another request: the unique index decided
        raise Invalid.one("name", "DUPLICATE", f"there is a calendar named {calendar.name!r} already") from None


@strawberry.type
class CalendarQuery:
    @strawberry.field(description="Business calendars by name (deleted ones, to restore them, with `deleted: true`).")
    @requires("business_calendar", "read")
    async def business_calendars(self, info: strawberry.Info, deleted: bool = False) -> list[BusinessCalendar]:
        gone = Calendar.deleted_at.is_not(None) if deleted else Calendar.deleted_at.is_(None)
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Calendar).where(gone).order_by(Calendar.name, Calendar.id))).all())

    @strawberry.field(description="One business calendar; null when there is none.")
    @requires("business_calendar", "read")
    async def business_calendar(self, info: strawberry.Info, id: strawberry.ID) -> BusinessCalendar | None:
        calendar_id = try_parse_id(id)
        if calendar_id is None:
            return None
        async with info.context.db.read() as session:
            return await session.scalar(select(Calendar).where(Calendar.id == calendar_id, Calendar.deleted_at.is_(None)))


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(description="Add a business calendar (names are unique).")
    @requires("business_calendar", "write")
    async def create_business_calendar(self, info: strawberry.Info, input: CreateBusinessCalendarInput) -> BusinessCalendarPayload:
        async def work(session):
            calendar = Calendar(name=await _name(session, input.name, None), time_zone=_time_zone(input.time_zone),
                                hours=_hours(input.hours), holidays=_holidays(input.holidays))
            session.add(calendar)
            await _flush(session, calendar)
            return BusinessCalendarPayload(calendar=calendar)

        return await mutation(info, BusinessCalendarPayload, work)

    @strawberry.mutation(description="Change a calendar; CONFLICT when `version` is not the current one. Due times already "
                         "set by modules stay as they were computed.")
    @requires("business_calendar", "write")
    async def update_business_calendar(self, info: strawberry.Info, input: UpdateBusinessCalendarInput) -> BusinessCalendarPayload:
        async def work(session):
            calendar = await fetch_for_write(session, info, Calendar, input.id, resource="business_calendar", version=input.version)
            if given(input.name):
                calendar.name = await _name(session, input.name or "", calendar)
            if given(input.time_zone):
                calendar.time_zone = _time_zone(input.time_zone or "")
            if given(input.hours):
                calendar.hours = _hours(input.hours or [])
            if given(input.holidays):
                calendar.holidays = _holidays(input.holidays or [])
            calendar.updated_at = utcnow()
            await _flush(session, calendar)
            return BusinessCalendarPayload(calendar=calendar)

        return await mutation(info, BusinessCalendarPayload, work)

    @strawberry.mutation(description="Add the holidays of a CSV or iCalendar file (days already there keep "
                         "their names). Every bad row is reported and nothing is added.")
    @requires("business_calendar", "write")
    async def import_holidays(self, info: strawberry.Info, input: ImportHolidaysInput) -> BusinessCalendarPayload:
        async def work(session):
            calendar = await fetch_for_write(session, info, Calendar, input.id, resource="business_calendar", version=input.version)
            if len(input.file) > 2_000_000:
                raise Invalid.one("file", "TOO_LARGE", "send at most 2 MB of holidays")
            if input.format == HolidayFileFormat.CSV:
                days = holiday_files.from_csv(input.file)
            else:
                start = input.from_ or utcnow().date()
                end = (input.to or start + timedelta(days=3 * 365)) + timedelta(days=1)
                if end <= start:
                    raise Invalid.one("to", "INVALID", "the end is before the start")
                if end - start > timedelta(days=50 * 366):
                    raise Invalid.one("to", "INVALID", "expand at most 50 years")
                days = holiday_files.from_icalendar(input.file, zone(calendar.time_zone), start, end)
            if not days:
                raise Invalid.one("file", "INVALID", "the file holds no holidays")
            calendar.holidays = holiday_files.merged(calendar.holidays, days)
            calendar.updated_at = utcnow()
            return BusinessCalendarPayload(calendar=calendar)

        return await mutation(info, BusinessCalendarPayload, work)

    @strawberry.mutation(description="Soft delete; restoreBusinessCalendar brings it back.")
    @requires("business_calendar", "write")
    async def delete_business_calendar(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, Calendar, input.id, resource="business_calendar")

    @strawberry.mutation(description="Bring a deleted calendar back (DUPLICATE when one of the same name was made since).")
    @requires("business_calendar", "write")
    async def restore_business_calendar(self, info: strawberry.Info, input: IdInput) -> BusinessCalendarPayload:
        return await restore(info, Calendar, input.id, resource="business_calendar", payload=BusinessCalendarPayload, field="calendar",
                             check=lambda session, calendar: _name(session, calendar.name, calendar))
