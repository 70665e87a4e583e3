"""Business time: the working hours of a week in one time zone, less holidays, and arithmetic on it.

`WorkingTime` is plain Python, built from a calendar row (`crm.working_time(session, calendar_id)`): SLA due times
("four business hours after it arrived"), business time elapsed between two moments (with the clock stopped
where the caller says), and the working windows of a period (free appointment slots). Wall-clock hours are turned
into instants with the IANA time-zone database (zoneinfo, tzdata), day by day, so a window is 9:00-17:00 local time
on both sides of a daylight-saving change; instants in and out are aware datetimes, compared in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DAY_MINUTES = 24 * 60
HORIZON_DAYS = 3 * 366  # a calendar with no working time in three years is refused rather than searched forever


class NoWorkingTime(ValueError):
    """The calendar has no working time within the horizon (no hours, or holidays everywhere)."""


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the tz database's folder: once


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (Europe/Berlin), or ValueError naming it."""
    if name not in _known():
        raise ValueError(f"{name!r} is not an IANA time zone, such as Europe/Berlin or America/New_York")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as exc:  # listed but not loadable: the machine's tz database is incomplete
        raise ValueError(f"the time zone {name!r} cannot be loaded") from exc


def parse_clock(text: str) -> int:
    """Minutes after midnight of "HH:MM" (00:00 to 24:00), or ValueError."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"{text!r} is not a time of day as HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > DAY_MINUTES:
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return value


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def weekly_windows(hours: Iterable[dict]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per weekday (Monday first), its windows as (start, end) minutes after midnight, sorted, from rows
    {"weekday": "MONDAY", "start": "09:00", "end": "17:00"}. ValueError for an empty or overlapping window."""
    days: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
    for row in hours:
        start, end = parse_clock(row["start"]), parse_clock(row["end"])
        if end <= start:
            raise ValueError(f"{row['weekday']} {row['start']}-{row['end']} ends before it starts")
        days[WEEKDAYS.index(row["weekday"])].append((start, end))
    for name, windows in zip(WEEKDAYS, days):
        windows.sort()
        for (_, end), (start, _) in zip(windows, windows[1:]):
            if start < end:
                raise ValueError(f"{name} has overlapping hours")
    return tuple(tuple(w) for w in days)


@dataclass(frozen=True)
class WorkingTime:
    """Working windows of each weekday in `zone`, none on `holidays` (local days)."""

    zone: ZoneInfo
    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, time_zone: str, hours: Iterable[dict], holidays: Iterable[date] = ()) -> WorkingTime:
        return cls(zone(time_zone), weekly_windows(hours), frozenset(holidays))

    def _day(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        if day in self.holidays:
            return
        midnight = datetime.combine(day, time(), self.zone)
        for start, end in self.week[day.weekday()]:
            # Aware + timedelta is wall-clock arithmetic in Python: 09:00 local whatever the day's UTC offset.
            yield (midnight + timedelta(minutes=start)).astimezone(UTC), (midnight + timedelta(minutes=end)).astimezone(UTC)

    def windows(self, start: datetime, end: datetime | None = None) -> Iterator[tuple[datetime, datetime]]:
        """Working windows from `start` on (to `end`, or for as long as the caller reads), clipped to the range, in UTC.
        Stops with NoWorkingTime after three years without any."""
        day = start.astimezone(self.zone).date()
        idle = 0
        while end is None or datetime.combine(day, time(), self.zone) < end:
            found = False
            for a, b in self._day(day):
                a, b = max(a, start), b if end is None else min(b, end)
                if a < b:
                    found = True
                    yield a, b
            idle = 0 if found else idle + 1
            if end is None and idle > HORIZON_DAYS:
                raise NoWorkingTime("this calendar has no working time in three years from there")
            day += timedelta(days=1)

    def add(self, start: datetime, minutes: float) -> datetime:
        """The instant `minutes` of working time after `start` (a due time). Work starting out of hours starts at the
        next window; a due time falling at a window's end stays there rather than moving to the next morning."""
        left = timedelta(minutes=minutes)
        if left <= timedelta(0):
            return start
        for a, b in self.windows(start):
            if b - a >= left:
                return a + left
            left -= b - a
        raise AssertionError("unreachable: windows() raises before it ends")

    def before(self, end: datetime, minutes: float) -> datetime:
        """The instant `minutes` of working time before `end` (a warning ahead of a due time): `add` walked backwards."""
        left = timedelta(minutes=minutes)
        if left <= timedelta(0):
            return end
        day = end.astimezone(self.zone).date()
        for _ in range(HORIZON_DAYS):
            for a, b in reversed(list(self._day(day))):
                b = min(b, end)
                if a >= b:
                    continue
                if b - a >= left:
                    return b - left
                left -= b - a
            day -= timedelta(days=1)
        raise NoWorkingTime("this calendar has no working time in three years before there")

    def between(self, start: datetime, end: datetime, paused: Iterable[tuple[datetime, datetime | None]] = ()) -> timedelta:
        """Working time from `start` to `end`, less the `paused` periods (which do not overlap; an open one runs to `end`)."""
        if end <= start:
            return timedelta(0)
        total = sum((b - a for a, b in self.windows(start, end)), timedelta(0))
        for p_start, p_end in paused:
            a, b = max(p_start, start), min(p_end or end, end)
            if a < b:
                total -= sum((y - x for x, y in self.windows(a, b)), timedelta(0))
        return total
