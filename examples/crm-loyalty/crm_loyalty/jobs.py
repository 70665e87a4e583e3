"""The loyalty plugin's scheduled work: points that expire, and birthday gifts to plan. Each runs in one worker at a
time (the scheduler's lease) and may run again at once without doing anything twice."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import func, select

import crm
from crm_loyalty import points as ledger
from crm_loyalty.models import Account, BirthdayGift, Entry

BATCH = 1000
BIRTHDAY_DAYS_AHEAD = 7


async def expire(runtime) -> int:
    """Expire what is left of lots past their date, a batch of accounts per transaction; returns the points expired."""
    total = 0
    while True:
        async with runtime.db.write() as session:
            session.info["runtime"] = runtime
            now = crm.utcnow()
            accounts = (await session.scalars(select(Entry.account_id).where(Entry.remaining > 0, Entry.expires_at <= now)
                                              .group_by(Entry.account_id).limit(BATCH))).all()
            if not accounts:
                return total
            for account in (await session.scalars(select(Account).where(Account.id.in_(accounts)).order_by(Account.id)
                                                  .with_for_update())).all():
                lots = (await session.scalars(select(Entry.id).where(Entry.account_id == account.id, Entry.remaining > 0,
                                                                     Entry.expires_at <= now))).all()
                due = await session.scalar(select(func.sum(Entry.remaining)).where(Entry.id.in_(lots)))
                await ledger.take(session, account, int(due), "expire", reason="points expired", lots=lots)
                total += int(due)


def _month_day(session, column):
    """'MM-DD' of a DATE column, on either database."""
    if session.bind.dialect.name == "postgresql":
        return func.to_char(column, "MM-DD")
    return func.strftime("%m-%d", column)


def _upcoming(today: date) -> dict[str, date]:
    """'MM-DD' of the next days -> the date it falls on; 29 February is kept on the 28th in other years."""
    days = {}
    for n in range(BIRTHDAY_DAYS_AHEAD + 1):
        day = today + timedelta(days=n)
        days[day.strftime("%m-%d")] = day
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            days["02-29"] = day
    return days


async def birthdays(runtime) -> int:
    """A task for the owner of each customer whose contact has a birthday in the next seven days, once per contact and
    year (the unique (contact, year) row decides: a second run, or a second worker, finds it taken)."""
    today = crm.utcnow().date()
    upcoming = _upcoming(today)
    async with runtime.db.write() as session:
        session.info["runtime"] = runtime
        md = _month_day(session, crm.Contact.birthday)
        rows = (await session.execute(
            select(crm.Contact.id, crm.Contact.name, md, crm.Customer.id, crm.Customer.owner_id)
            .join(crm.Customer, crm.Customer.id == crm.Contact.customer_id)
            .where(crm.Contact.birthday.is_not(None), md.in_(list(upcoming)), crm.Contact.deleted_at.is_(None),
                   crm.Customer.deleted_at.is_(None)))).all()
        if not rows:
            return 0
        claimed = (await session.execute(
            crm.upsert(session, BirthdayGift).values([{"contact_id": r[0], "year": upcoming[r[2]].year} for r in rows])
            .on_conflict_do_nothing(index_elements=["contact_id", "year"]).returning(BirthdayGift.id, BirthdayGift.contact_id))).all()
        if not claimed:
            return 0
        by_contact = {r[0]: r for r in rows}
        tasks = []
        for _, contact_id in claimed:
            _, name, key, customer_id, owner_id = by_contact[contact_id]
            day = upcoming[key]
            tasks.append({"customer_id": customer_id, "assignee_id": owner_id, "record_type": "contact", "record_id": contact_id,
                          "subject": f"Birthday gift for {name} ({day:%d %B})",
                          "due_at": crm.utcnow().replace(year=day.year, month=day.month, day=day.day, hour=9, minute=0, second=0, microsecond=0)})
        task_ids = await crm.add_tasks(session, tasks)
        for (gift_id, _), task_id in zip(claimed, task_ids):
            await session.execute(BirthdayGift.__table__.update().where(BirthdayGift.id == gift_id).values(task_id=task_id))
        return len(claimed)
