"""Business calendars: due times and working time across a weekend, a holiday and a daylight-saving change, holidays
imported from CSV and iCalendar files, bad input refused whole, admins write and everyone reads."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import crm

CREATE = """mutation($i: CreateBusinessCalendarInput!) { createBusinessCalendar(input: $i) {
  calendar { id name timeZone version hours { weekday start end } holidays { day name } } errors { field code message } } }"""
IMPORT = """mutation($i: ImportHolidaysInput!) { importHolidays(input: $i) {
  calendar { version holidays(from: "2026-01-01", to: "2029-12-31") { day name } } errors { field code message } } }"""
ASK = """query($id: ID!, $s: DateTime!, $m: Int!, $f: DateTime!, $t: DateTime!) { businessCalendar(id: $id) {
  dueAfter(start: $s, minutes: $m) workingMinutes(from: $f, to: $t) } }"""
WEEKDAYS = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]
BERLIN = {"name": "Berlin office", "timeZone": "Europe/Berlin", "hours": WEEKDAYS,
          "holidays": [{"day": "2026-12-25", "name": "Christmas"}, {"day": "2026-12-26", "name": "Boxing Day"}]}


async def ask(api, calendar_id, start, minutes, frm, to):
    return (await api.admin(ASK, {"id": calendar_id, "s": start, "m": minutes, "f": frm, "t": to}))["businessCalendar"]


async def test_due_times_skip_nights_weekends_holidays_and_follow_daylight_saving(make_app):
    api = await make_app()
    made = (await api.admin(CREATE, {"i": BERLIN}))["createBusinessCalendar"]
    assert made["errors"] == [] and made["calendar"]["hours"][0] == {"weekday": "MONDAY", "start": "09:00", "end": "17:00"}
    cal = made["calendar"]["id"]
    # Friday 16:00 in Berlin (15:00 UTC) plus two working hours: Monday 10:00 (09:00 UTC), the weekend skipped.
    weekend = await ask(api, cal, "2026-12-18T15:00:00Z", 120, "2026-12-18T15:00:00Z", "2026-12-21T09:00:00Z")
    assert weekend == {"dueAfter": "2026-12-21T09:00:00+00:00", "workingMinutes": 120}
    # Thursday 16:00 before Christmas: Friday 25th is a holiday, then the weekend: Monday 28th, 10:00.
    holiday = await ask(api, cal, "2026-12-24T15:00:00Z", 120, "2026-12-24T00:00:00Z", "2026-12-29T00:00:00Z")
    assert holiday == {"dueAfter": "2026-12-28T09:00:00+00:00", "workingMinutes": 16 * 60}
    # Clocks go forward on Sunday 28 March 2027: Monday 10:00 in Berlin is 08:00 UTC, no longer 09:00.
    spring = await ask(api, cal, "2027-03-26T15:00:00Z", 120, "2027-03-26T15:00:00Z", "2027-03-29T08:00:00Z")
    assert spring == {"dueAfter": "2027-03-29T08:00:00+00:00", "workingMinutes": 120}
    # Work arriving at night counts from the next opening; an answer due at a window's end stays there.
    night = await ask(api, cal, "2026-12-21T22:00:00Z", 480, "2026-12-21T22:00:00Z", "2026-12-22T16:00:00Z")
    assert night == {"dueAfter": "2026-12-22T16:00:00+00:00", "workingMinutes": 480}
    windows = await api.admin("""query($id: ID!) { businessCalendar(id: $id) {
      workingWindows(from: "2026-12-24T12:00:00Z", to: "2026-12-29T00:00:00Z") { start end } } }""", {"id": cal})
    assert windows["businessCalendar"]["workingWindows"] == [
        {"start": "2026-12-24T12:00:00+00:00", "end": "2026-12-24T16:00:00+00:00"},
        {"start": "2026-12-28T08:00:00+00:00", "end": "2026-12-28T16:00:00+00:00"}]


async def test_holidays_come_from_csv_and_icalendar_files_and_bad_files_change_nothing(make_app):
    api = await make_app()
    cal = (await api.admin(CREATE, {"i": {**BERLIN, "holidays": []}}))["createBusinessCalendar"]["calendar"]["id"]
    bad = (await api.admin(IMPORT, {"i": {"id": cal, "version": 1, "format": "CSV",
                                          "file": "day,name\n2026-05-01,Labour Day\n01/10/2026,Unity\n2026-13-01,Nope\n"}}))["importHolidays"]
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("file.3", "INVALID"), ("file.4", "INVALID")]
    good = (await api.admin(IMPORT, {"i": {"id": cal, "version": 1, "format": "CSV",
                                           "file": "day;name\n2026-05-01;Labour Day\n2026-10-03;Unity Day\n"}}))["importHolidays"]
    assert good["errors"] == [] and good["calendar"]["version"] == 2
    ics = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
                       "BEGIN:VEVENT", "UID:xmas", "DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261227", "SUMMARY:Christmas",
                       "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20271225", "END:VEVENT",
                       "BEGIN:VEVENT", "UID:may", "DTSTART;VALUE=DATE:20260501", "SUMMARY:Maifeiertag", "END:VEVENT",
                       "END:VCALENDAR", ""])
    fed = (await api.admin(IMPORT, {"i": {"id": cal, "version": 2, "format": "ICALENDAR", "file": ics,
                                          "from": "2026-01-01", "to": "2028-12-31"}}))["importHolidays"]
    assert fed["errors"] == []
    assert fed["calendar"]["holidays"] == [  # the recurrence expanded, 2027 excepted; a day already there keeps its name
        {"day": "2026-05-01", "name": "Labour Day"}, {"day": "2026-10-03", "name": "Unity Day"},
        {"day": "2026-12-25", "name": "Christmas"}, {"day": "2026-12-26", "name": "Christmas"},
        {"day": "2028-12-25", "name": "Christmas"}, {"day": "2028-12-26", "name": "Christmas"}]
    stale = (await api.admin(IMPORT, {"i": {"id": cal, "version": 2, "format": "CSV", "file": "2026-01-01,New Year\n"}}))["importHolidays"]
    assert stale["errors"][0]["code"] == "CONFLICT"
    broken = (await api.admin(IMPORT, {"i": {"id": cal, "version": 3, "format": "ICALENDAR", "file": "BEGIN:VCALENDAR\nnonsense"}}))
    assert broken["importHolidays"]["errors"][0]["field"] == "file"
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "business_calendar", recordId: $id}) {
      edges { node { action changes { field } } } } }""", {"id": cal})
    assert [e["node"]["action"] for e in audit["auditLog"]["edges"]] == ["update", "update", "create"]
    assert audit["auditLog"]["edges"][0]["node"]["changes"] == [{"field": "holidays"}]


async def test_bad_calendars_are_refused_whole_and_only_admins_write(make_app):
    api = await make_app()
    bad = (await api.admin(CREATE, {"i": {"name": " ", "timeZone": "Mars/Olympus", "hours": [
        {"weekday": "MONDAY", "start": "9", "end": "17:00"}, {"weekday": "TUESDAY", "start": "09:00", "end": "25:00"}]}}))
    fields = {(e["field"], e["code"]) for e in bad["createBusinessCalendar"]["errors"]}
    assert ("hours.0.start", "INVALID") in fields or ("name", "REQUIRED") in fields
    overlap = (await api.admin(CREATE, {"i": {**BERLIN, "hours": [*WEEKDAYS, {"weekday": "MONDAY", "start": "16:00", "end": "18:00"}]}}))
    assert overlap["createBusinessCalendar"]["errors"] == [{"field": "hours", "code": "INVALID", "message": "MONDAY has overlapping hours"}]
    zone = (await api.admin(CREATE, {"i": {**BERLIN, "timeZone": "Mars/Olympus"}}))["createBusinessCalendar"]["errors"]
    assert [(e["field"], e["code"]) for e in zone] == [("timeZone", "INVALID")]
    assert (await api.admin("{ businessCalendars { id } }"))["businessCalendars"] == []
    made = (await api.admin(CREATE, {"i": BERLIN}))["createBusinessCalendar"]["calendar"]
    again = (await api.admin(CREATE, {"i": BERLIN}))["createBusinessCalendar"]["errors"]
    assert [(e["field"], e["code"]) for e in again] == [("name", "DUPLICATE")]
    _, rep = await api.as_user("sales_rep")
    seen = await api.gql("{ businessCalendars { name holidays { name } } }", token=rep)
    assert seen["businessCalendars"] == [{"name": "Berlin office", "holidays": [{"name": "Christmas"}, {"name": "Boxing Day"}]}]
    refused = await api.gql("""mutation($i: CreateBusinessCalendarInput!) { createBusinessCalendar(input: $i) { errors { code } } }""",
                            {"i": {**BERLIN, "name": "Mine"}}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gone = await api.admin("""mutation($i: IdInput!) { deleteBusinessCalendar(input: $i) { errors { code } } }""", {"i": {"id": made["id"]}})
    assert gone["deleteBusinessCalendar"]["errors"] == []
    assert (await api.admin("{ businessCalendars { id } }"))["businessCalendars"] == []
    back = await api.admin("""mutation($i: IdInput!) { restoreBusinessCalendar(input: $i) { calendar { name } errors { code } } }""",
                           {"i": {"id": made["id"]}})
    assert back["restoreBusinessCalendar"] == {"calendar": {"name": "Berlin office"}, "errors": []}


OFFICE = crm.WorkingTime.of("America/New_York", [{"weekday": d, "start": "08:30", "end": "12:00"} for d in ("MONDAY", "WEDNESDAY")]
                            + [{"weekday": "WEDNESDAY", "start": "13:00", "end": "24:00"}, {"weekday": "SATURDAY", "start": "00:00", "end": "02:00"}])
MOMENTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(lambda d: d.replace(tzinfo=UTC))


@settings(max_examples=200, deadline=None)
@given(start=MOMENTS, minutes=st.integers(min_value=0, max_value=5000))
def test_a_due_time_is_exactly_that_much_working_time_later(start, minutes):
    """add and between agree: the working time from a start to its due time is what was added (any zone, DST included)."""
    due = OFFICE.add(start, minutes)
    assert OFFICE.between(start, due) == timedelta(minutes=minutes)
    assert due == start or any(a < due <= b for a, b in OFFICE.windows(due - timedelta(days=8), due + timedelta(seconds=1)))


@settings(max_examples=200, deadline=None)
@given(end=MOMENTS, minutes=st.integers(min_value=0, max_value=5000))
def test_before_walks_back_exactly_that_much_working_time(end, minutes):
    assert OFFICE.between(OFFICE.before(end, minutes), end) == timedelta(minutes=minutes)
