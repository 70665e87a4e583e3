"""Demo data for `crm demo`: a business calendar, SLA policies and a support queue worked by the field sales team,
and tickets over the last two weeks in every state (answered in time and late, waiting for the customer, resolved,
one rated), so that ticketsAtRisk, the SLA and satisfaction reports and the customer's timeline have something to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import crm
from crm.plugins.service import history, sla
from crm.plugins.service.models import NUMBER, Queue, SlaPolicy, Survey, Ticket

WEEK = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]
SUBJECTS = [("Cannot log in", "access"), ("Invoice shows the wrong VAT", "billing"), ("Delivery arrived damaged", "delivery"),
            ("Battery drains overnight", "battery"), ("Screen flickers", "screen"), ("Refund not received", "billing")]


async def load(session, rng, users) -> int:
    calendar = crm.BusinessCalendar(name="Head office", time_zone="Europe/Berlin", hours=WEEK,
                                    holidays=[{"day": f"{crm.utcnow().year}-12-25", "name": "Christmas Day"},
                                              {"day": f"{crm.utcnow().year}-12-26", "name": "Boxing Day"}])
    session.add(calendar)
    await session.flush()
    session.add_all([SlaPolicy(name="Urgent", calendar_id=calendar.id, priority="urgent", first_response_minutes=60, resolution_minutes=480, position=1),
                     SlaPolicy(name="High", calendar_id=calendar.id, priority="high", first_response_minutes=120, resolution_minutes=960, position=2),
                     SlaPolicy(name="Standard", calendar_id=calendar.id, first_response_minutes=480, resolution_minutes=2400, position=10)])
    team_id = await session.scalar(select(crm.Team.id).order_by(crm.Team.id).limit(1))
    queue = Queue(name="Support", team_id=team_id, description="Everything customers report")
    session.add(queue)
    await session.flush()
    customers = (await session.execute(select(crm.Customer.id, crm.Customer.owner_id).where(crm.Customer.deleted_at.is_(None))
                                       .order_by(crm.Customer.id).limit(40))).all()
    now = crm.utcnow()
    made = 0
    for n, (customer_id, owner_id) in enumerate(customers):
        subject, category = SUBJECTS[n % len(SUBJECTS)]
        created = now - timedelta(hours=rng.randrange(2, 14 * 24))
        ticket = Ticket(number=await crm.next_number(session, "ticket", NUMBER, day=created.date()), subject=subject, customer_id=customer_id,
                        channel=rng.choice(("phone", "email", "chat", "web")), category=category,
                        priority=rng.choice(("low", "normal", "normal", "high", "urgent")), status="new", queue_id=queue.id,
                        owner_id=owner_id, created_at=created, updated_at=created, custom_fields={})
        await sla.start(session, ticket, created)
        session.add(ticket)
        await session.flush()
        history.record(session, ticket, "created", to_status="new").at = created
        fate = n % 5  # 0 new, 1 answered, 2 waiting for the customer, 3 resolved, 4 resolved and rated
        if fate >= 1:
            replied = min(created + timedelta(minutes=rng.choice((20, 45, 90, 300, 900))), now)
            ticket.status, ticket.first_responded_at = "open", replied
            await sla.reach(session, ticket, "first_response", replied)
            history.record(session, ticket, "reply", body="Thank you, we are looking into it.").at = replied
        if fate == 2:
            ticket.status, ticket.paused_since = "pending_customer", min(replied + timedelta(minutes=10), now)
        if fate >= 3:
            resolved = min(replied + timedelta(hours=rng.choice((2, 6, 30, 60))), now)
            ticket.status, ticket.resolved_at = "resolved", resolved
            await sla.reach(session, ticket, "resolution", resolved)
            history.record(session, ticket, "status", from_status="open", to_status="resolved").at = resolved
        if fate == 4:
            session.add(Survey(ticket_id=ticket.id, token_hash=f"demo-{ticket.id}".ljust(64, "0"), sent_at=resolved,
                               expires_at=resolved + timedelta(days=14), answered_at=resolved + timedelta(hours=3),
                               score=rng.choice((3, 4, 5, 5)), comment=None))
        made += 1
    return made
