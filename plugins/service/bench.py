"""Service at scale for `crm bench generate`: three tickets per customer over the last year, each with its history
(created, the first reply, the resolution); those of the last two weeks are still open, a few of them waiting for
the customer, many past their targets. SLA due times and the working minutes each target took are computed in the
bench calendar (Berlin office hours), as the plugin computes them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import crm
from crm.plugins.service.models import Queue, SlaPolicy, Ticket, TicketEvent

PER_CUSTOMER = 3
WEEK = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]
# priority: (weight, first response minutes, resolution minutes) of the bench policies
PRIORITIES = {"low": (20, 480, 4800), "normal": (55, 480, 2400), "high": (20, 120, 960), "urgent": (5, 60, 480)}
CATEGORIES = ["access", "billing", "delivery", "battery", "screen", "returns", "installation", "warranty"]
CHANNELS = ["email", "phone", "chat", "web", "social"]
TICKET_COLUMNS = ("id", "number", "subject", "description", "customer_id", "contact_id", "channel", "category", "priority", "status", "queue_id",
                  "sla_policy_id", "first_response_due", "resolution_due", "first_responded_at", "resolved_at", "paused_since", "paused_minutes",
                  "sla_due_at", "sla_warn_at", "sla_stage", "first_response_minutes", "resolution_minutes", "merged_into_id", "custom_fields", "created_at", "updated_at", "owner_id", "deleted_at", "version")
EVENT_COLUMNS = ("id", "ticket_id", "at", "kind", "internal", "from_status", "to_status", "body", "actor_id")
TABLES = (Ticket.__table__, TicketEvent.__table__)


async def prepare(runtime):
    """The bench calendar, a policy per priority and a queue per bench team (made once)."""
    async with runtime.db.write() as session:
        calendar = await session.scalar(select(crm.BusinessCalendar).where(crm.BusinessCalendar.name == "Bench office"))
        if calendar is None:
            calendar = crm.BusinessCalendar(name="Bench office", time_zone="Europe/Berlin", hours=WEEK, holidays=[])
            session.add(calendar)
            await session.flush()
            for n, (priority, (_, first, resolution)) in enumerate(PRIORITIES.items()):
                session.add(SlaPolicy(name=f"Bench {priority}", calendar_id=calendar.id, priority=priority, first_response_minutes=first,
                                      resolution_minutes=resolution, warn_minutes=60, position=n))
            for team_id, name in (await session.execute(select(crm.Team.id, crm.Team.name).order_by(crm.Team.id))).all():
                session.add(Queue(name=f"{name} queue", team_id=team_id))
            await session.flush()
        policies = dict((await session.execute(select(SlaPolicy.priority, SlaPolicy.id).where(SlaPolicy.name.like("Bench %")))).all())
        queues = list((await session.scalars(select(Queue.id).order_by(Queue.id))).all())
        return {"hours": crm.working_time_of(calendar), "policies": policies, "queues": queues}


def generate(ctx, first: int, count: int):
    rng, now, data = ctx.rng, ctx.now, ctx.prepared["service"]
    hours, policies, queues = data["hours"], data["policies"], data["queues"]
    n_tickets = count * PER_CUSTOMER
    owners = ctx.choose_owners(n_tickets)
    ticket_id = ctx.take_ids("service_ticket", n_tickets)
    event_id = ctx.take_ids("service_ticket_event", n_tickets * 3)
    names, weights = list(PRIORITIES), [w for w, _, _ in PRIORITIES.values()]
    tickets, events = [], []
    year = 365 * 86400
    for n in range(n_tickets):
        customer_id, owner = first + n // PER_CUSTOMER, owners[n]
        priority = rng.choices(names, weights=weights)[0]
        _, first_target, resolution_target = PRIORITIES[priority]
        created = now - timedelta(seconds=rng.randrange(year))
        first_due, resolution_due = hours.add(created, first_target), hours.add(created, resolution_target)
        recent = now - created < timedelta(days=14)
        # Most answers come in time, some late: working minutes taken, as a fraction of the target.
        taken_first = int(first_target * rng.choice((0.2, 0.4, 0.6, 0.9, 1.3, 2.5)))
        responded = hours.add(created, taken_first)
        status, resolved, paused, taken_res = "resolved", None, None, None
        if recent and rng.random() < 0.7:
            status = rng.choice(("open", "open", "new", "pending_customer"))
        if status == "new" or responded > now:
            status, responded, taken_first = "new", None, None
        if status in ("resolved",):
            taken_res = int(resolution_target * rng.choice((0.3, 0.5, 0.8, 0.95, 1.4)))
            resolved = hours.add(created, max(taken_res, taken_first or 0))
            if resolved > now:
                status, resolved, taken_res = "open", None, None
        if status == "pending_customer":
            paused = now - timedelta(hours=rng.randrange(1, 48))
        target_due = (first_due if responded is None else resolution_due) if status not in ("resolved",) else None
        warn = hours.before(target_due, 60) if target_due else None
        tickets.append((ticket_id, f"T-BENCH-{ticket_id:08d}", f"{rng.choice(CATEGORIES).title()} problem", None, customer_id, None,
                        rng.choice(CHANNELS), rng.choice(CATEGORIES), priority, status, rng.choice(queues), policies[priority],
                        first_due, resolution_due, responded, resolved, paused, 0, target_due, warn, 0,
                        taken_first, taken_res, None, "{}", created, resolved or responded or created,
                        owner, None, 1))
        events.append((event_id, ticket_id, created, "created", False, None, "new", None, owner))
        if responded:
            events.append((event_id + 1, ticket_id, responded, "reply", False, None, None, "Thank you, we are on it.", owner))
        if resolved:
            events.append((event_id + 2, ticket_id, resolved, "status", False, "open", "resolved", None, owner))
        event_id += 3
        ticket_id += 1
    yield Ticket.__table__, TICKET_COLUMNS, tickets
    yield TicketEvent.__table__, EVENT_COLUMNS, events
