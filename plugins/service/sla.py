"""SLA targets of a ticket: due times from its policy, counted in the policy's business calendar, and the clock that
stops while the ticket waits for the customer or is on hold (the time left at the pause is added again from the
moment it starts again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

import crm
from crm.plugins.service.models import SlaPolicy, Ticket


async def policy_for(session, ticket: Ticket) -> SlaPolicy | None:
    """The first active policy by position whose set conditions (priority, channel, category) all hold."""
    stmt = select(SlaPolicy).where(
        SlaPolicy.active.is_(True), SlaPolicy.deleted_at.is_(None),
        or_(SlaPolicy.priority.is_(None), SlaPolicy.priority == ticket.priority),
        or_(SlaPolicy.channel.is_(None), SlaPolicy.channel == ticket.channel),
        or_(SlaPolicy.category.is_(None), SlaPolicy.category == ticket.category),
    ).order_by(SlaPolicy.position, SlaPolicy.id).limit(1)
    return await session.scalar(stmt)


async def start(session, ticket: Ticket, at: datetime) -> None:
    """Set the ticket's targets from the policy that matches it now (none: no targets)."""
    policy = await policy_for(session, ticket)
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    hours = await crm.working_time(session, policy.calendar_id)
    if hours is None:  # the calendar was deleted: the policy cannot count, so it sets nothing rather than guess
        ticket.sla_policy_id = ticket.first_response_due = ticket.resolution_due = None
        return
    ticket.first_response_due = hours.add(at, policy.first_response_minutes) if ticket.first_responded_at is None else None
    ticket.resolution_due = hours.add(at, policy.resolution_minutes)


async def resume(session, ticket: Ticket, at: datetime, *, keep_paused: bool = False) -> None:
    """The clock starts again at `at`: each target not yet reached is moved on by the working time the pause took.
    With `keep_paused` the pause so far is settled and goes on from `at` (a reply while the customer is awaited)."""
    since = ticket.paused_since
    ticket.paused_since = at if keep_paused else None
    if since is None or ticket.sla_policy_id is None:
        return
    policy = await session.get(SlaPolicy, ticket.sla_policy_id)
    hours = await crm.working_time(session, policy.calendar_id) if policy else None
    if hours is None:
        return
    for field, reached in (("first_response_due", ticket.first_responded_at), ("resolution_due", ticket.resolved_at)):
        due = getattr(ticket, field)
        if due is not None and reached is None and due > since:  # a target already missed stays missed
            left = hours.between(since, due)
            setattr(ticket, field, hours.add(at, left / timedelta(minutes=1)))


@dataclass
class Target:
    due_at: datetime
    reached_at: datetime | None
    breached: bool
    breached_at: datetime | None
    remaining_minutes: int


def target(due: datetime | None, reached: datetime | None, paused_since: datetime | None, hours, now: datetime) -> Target | None:
    """Where one target stands now: the clock reads at its reaching, its pause or now."""
    if due is None:
        return None
    clock = reached or paused_since or now
    breached = clock > due
    if hours is None:
        remaining = int((due - clock) / timedelta(minutes=1))
    elif breached:
        remaining = -int(hours.between(due, clock) / timedelta(minutes=1))
    else:
        remaining = int(hours.between(clock, due) / timedelta(minutes=1))
    return Target(due_at=due, reached_at=reached, breached=breached, breached_at=due if breached else None, remaining_minutes=remaining)
