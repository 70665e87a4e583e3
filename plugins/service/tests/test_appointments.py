"""Appointments through GraphQL: free slots from a staff member's working hours, bookings that never overlap (32 at
the same moment: one wins, decided by the database), rescheduling and cancelling, the .ics feed, the timeline."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from test_tickets import CALENDAR, WEEK

import crm
from crm.plugins.service import appointments
from crm.plugins.service.models import Appointment
from crm import parse_id

BOOK = """mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { appointment { id status version } errors { field code message } } }"""
SLOTS = """query($s: ID!) { availableSlots(staffId: $s, from: "2026-12-21T08:00:00Z", to: "2026-12-21T12:00:00Z", durationMinutes: 60,
  stepMinutes: 60) { startsAt } }"""


async def test_bookings_never_overlap_and_slots_follow_working_hours(make_app, monkeypatch):
    api = await make_app(plugins=["service"])
    staff, token = await api.as_user("sales_rep")
    cal = (await api.admin(CALENDAR, {"i": {"name": "Berlin", "timeZone": "Europe/Berlin", "hours": WEEK}}))["createBusinessCalendar"]["calendar"]["id"]
    hours = await api.admin("""mutation($i: SetStaffHoursInput!) { setStaffHours(input: $i) { staff { calendarId } errors { code } } }""",
                            {"i": {"userId": staff["id"], "calendarId": cal}})
    assert hours["setStaffHours"] == {"staff": {"calendarId": cal}, "errors": []}
    customer = await api.create_customer(token, name="Acme")

    def booking(start, end, **extra):
        return {"i": {"customerId": customer["id"], "staffId": staff["id"], "startsAt": start, "endsAt": end, "purpose": "Site visit", **extra}}

    free = [s["startsAt"] for s in (await api.gql(SLOTS, {"s": staff["id"]}, token))["availableSlots"]]
    assert free == ["2026-12-21T08:00:00+00:00", "2026-12-21T09:00:00+00:00", "2026-12-21T10:00:00+00:00", "2026-12-21T11:00:00+00:00"]
    first = (await api.gql(BOOK, booking("2026-12-21T09:00:00Z", "2026-12-21T10:00:00Z"), token))["bookAppointment"]
    assert first["errors"] == [] and first["appointment"]["status"] == "CONFIRMED"
    overlap = (await api.gql(BOOK, booking("2026-12-21T09:30:00Z", "2026-12-21T10:30:00Z"), token))["bookAppointment"]
    assert [(e["field"], e["code"]) for e in overlap["errors"]] == [("startsAt", "CONFLICT")] and overlap["appointment"] is None
    night = (await api.gql(BOOK, booking("2026-12-21T06:00:00Z", "2026-12-21T07:00:00Z"), token))["bookAppointment"]
    assert [(e["field"], e["code"]) for e in night["errors"]] == [("startsAt", "INVALID")]
    free = [s["startsAt"] for s in (await api.gql(SLOTS, {"s": staff["id"]}, token))["availableSlots"]]
    assert "2026-12-21T09:00:00+00:00" not in free and len(free) == 3

    # 32 requests for the same slot at once, for eight customers (whose rows do not serialise them): exactly one books it.
    others = [customer["id"]] + [(await api.create_customer(token, name=f"Other {n}"))["id"] for n in range(7)]
    tries = await asyncio.gather(*(api.gql(BOOK, {"i": {**booking("2026-12-21T11:00:00Z", "2026-12-21T12:00:00Z")["i"],
                                                        "customerId": others[n % 8]}}, token) for n in range(32)))
    won = [t["bookAppointment"] for t in tries if t["bookAppointment"]["errors"] == []]
    lost = {e["code"] for t in tries for e in t["bookAppointment"]["errors"]}
    assert len(won) == 1 and lost == {"CONFLICT"}
    calendar = await api.gql("""query($s: ID!) { staffCalendar(staffId: $s, from: "2026-12-21T00:00:00Z", to: "2026-12-22T00:00:00Z") {
      startsAt status } }""", {"s": staff["id"]}, token)
    assert [a["startsAt"] for a in calendar["staffCalendar"]] == ["2026-12-21T09:00:00+00:00", "2026-12-21T11:00:00+00:00"]

    # Moving onto a taken time is refused; cancelling frees the time; a proposal holds none until it is confirmed.
    move = """mutation($i: RescheduleAppointmentInput!) { rescheduleAppointment(input: $i) { appointment { version } errors { code } } }"""
    clash = await api.gql(move, {"i": {"id": first["appointment"]["id"], "version": 1, "startsAt": "2026-12-21T11:30:00Z",
                                       "endsAt": "2026-12-21T12:00:00Z"}}, token)
    assert clash["rescheduleAppointment"]["errors"] == [{"code": "CONFLICT"}]
    cancel = """mutation($i: CancelAppointmentInput!) { cancelAppointment(input: $i) { appointment { status } errors { code } } }"""
    cancelled = await api.gql(cancel, {"i": {"id": won[0]["appointment"]["id"], "version": 1, "reason": "Customer asked"}}, token)
    assert cancelled["cancelAppointment"] == {"appointment": {"status": "CANCELLED"}, "errors": []}
    proposed = (await api.gql(BOOK, booking("2026-12-21T11:00:00Z", "2026-12-21T12:00:00Z", status="PROPOSED"), token))["bookAppointment"]
    other = (await api.gql(BOOK, booking("2026-12-21T11:00:00Z", "2026-12-21T11:30:00Z"), token))["bookAppointment"]
    assert proposed["errors"] == [] and other["errors"] == []
    confirm = """mutation($i: SetAppointmentStatusInput!) { setAppointmentStatus(input: $i) { appointment { status } errors { code } } }"""
    late = await api.gql(confirm, {"i": {"id": proposed["appointment"]["id"], "version": 1, "status": "CONFIRMED"}}, token)
    assert late["setAppointmentStatus"]["errors"] == [{"code": "CONFLICT"}]

    # The staff member's feed, and the customer's timeline.
    feed = (await api.gql("""mutation($i: IdInput!) { createCalendarFeed(input: $i) { feed { path } errors { code } } }""",
                          {"i": {"id": staff["id"]}}, token))["createCalendarFeed"]["feed"]["path"]
    ics = await api.client.get(feed)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == 3 and "SUMMARY:Site visit" in ics.text and "STATUS:CANCELLED" in ics.text
    assert (await api.client.get("/calendars/nope.ics")).status_code == 404
    monkeypatch.setattr(appointments, "FEED_PER_ADDRESS_PER_HOUR", 3)  # the feed is counted per address, like every public endpoint
    assert [(await api.client.get(feed)).status_code for _ in range(2)] == [200, 429]  # the third of the hour, then refused
    timeline = await api.gql("""query($id: ID!) { customer(id: $id) { timeline { edges { node { kind } } } } }""", {"id": customer["id"]}, token)
    kinds = [e["node"]["kind"] for e in timeline["customer"]["timeline"]["edges"]]
    assert kinds.count("appointment_confirmed") == 2 and "appointment_cancelled" in kinds and "appointment_proposed" in kinds


async def test_the_database_itself_refuses_overlapping_confirmed_appointments(make_app):
    """The anchor under the check: on PostgreSQL an exclusion constraint, whatever code writes the rows."""
    api = await make_app(plugins=["service"])
    if api.runtime.db.dialect != "postgresql":
        pytest.skip("exclusion constraints are PostgreSQL's; on SQLite the booking's serialised transaction checks")
    staff, token = await api.as_user("sales_rep")
    customer = await api.create_customer(token, name="Acme")

    def row(start, end, status="confirmed"):
        return Appointment(customer_id=parse_id(customer["id"]), owner_id=parse_id(staff["id"]), starts_at=start, ends_at=end, purpose="x",
                           status=status, channel="phone")

    t = crm.utcnow().replace(microsecond=0)
    async with api.runtime.db.write() as session:
        session.add_all([row(t, t + timedelta(minutes=60)), row(t, t + timedelta(minutes=60), "proposed")])  # a proposal holds no time
    with pytest.raises(IntegrityError):
        async with api.runtime.db.write() as session:
            session.add(row(t + timedelta(minutes=30), t + timedelta(minutes=90)))

