"""Holidays from files people have: a CSV of days (from a spreadsheet) or an iCalendar feed (the public-holiday
calendars that governments and calendar services publish), recurrences expanded by recurring-ical-events."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from crm.api.errors import Invalid, UserError

MAX_HOLIDAYS = 5000  # decades of any country's holidays; a larger list is a mistake (an hourly feed, say)


def from_csv(text: str) -> list[tuple[date, str]]:
    """Rows `day,name` (a header row is skipped; `;` and tabs work too); every bad row reported at once."""
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    out, errors = [], []
    for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if not row or not "".join(row).strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            if n == 1:  # a header
                continue
            errors.append(UserError(field=f"file.{n}", code="INVALID", message=f"row {n}: {row[0]!r} is not a day as YYYY-MM-DD"))
            continue
        out.append((day, (row[1].strip() if len(row) > 1 else "")[:200]))
    if errors:
        raise Invalid(*errors)
    return out


def from_icalendar(text: str, zone: ZoneInfo, start: date, end: date) -> list[tuple[date, str]]:
    """Every day an event of the feed covers between `start` and `end` (exclusive), recurring events expanded;
    timed events count for the local days they touch."""
    import icalendar
    import recurring_ical_events

    try:
        feed = icalendar.Calendar.from_ical(text)
        events = recurring_ical_events.of(feed).between(start, end)
    except Exception as exc:  # the libraries raise ValueError, KeyError and their own errors for broken feeds
        raise Invalid.one("file", "INVALID", f"not an iCalendar file that can be read: {exc}") from None
    out = []
    for event in events:
        first, last = event.start, event.end
        if isinstance(first, datetime):
            first = first.astimezone(zone).date() if first.tzinfo else first.date()
            last = (last.astimezone(zone) if last.tzinfo else last) - timedelta(microseconds=1)
            last = last.date() + timedelta(days=1)
        name = str(event.get("SUMMARY", ""))[:200]
        day = first
        while day < max(last, first + timedelta(days=1)):
            if start <= day < end:
                out.append((day, name))
            day += timedelta(days=1)
    return out


def merged(existing: list[dict], new: list[tuple[date, str]]) -> list[dict]:
    """The calendar's holiday list with `new` days added (a day already there keeps its name unless it had none),
    sorted by day."""
    by_day = {h["day"]: h["name"] for h in existing}
    for day, name in new:
        key = day.isoformat()
        if not by_day.get(key):
            by_day[key] = name
    if len(by_day) > MAX_HOLIDAYS:
        raise Invalid.one("holidays", "TOO_LARGE", f"a calendar holds at most {MAX_HOLIDAYS} holidays")
    return [{"day": d, "name": by_day[d]} for d in sorted(by_day)]
