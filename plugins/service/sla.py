"""SLA targets of a ticket: due times from its policy, counted in the policy's business calendar, and the clock that
stops while the ticket waits for the customer or is on hold (the working time left at the pause is added again from
the moment it starts again).

Besides the two due times a ticket keeps the target it works towards now (`sla_due_at`: the first response until it
is reached, then the resolution) and when to warn about it (`sla_warn_at`: the policy's `warn_minutes` of working
time before), kept by `plan` after every change, so that the escalation job and `ticketsAtRisk` find tickets by
index. When a target is reached, the working time it took (less pauses) and whether it was missed are written on the
ticket, which reports aggregate in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

import crm
from crm.plugins.service.models import DONE, SlaPolicy, Ticket

MINUTE = timedelta(minutes=1)


async def policy_for(session, ticket: Ticket) -> SlaPolicy | None:
    """The first active policy by position whose set conditions (priority, channel, category, customer tag) all hold."""
    tags = select(crm.CustomerTag.tag).where(crm.CustomerTag.customer_id == ticket.customer_id)
    stmt = select(SlaPolicy).where(
        SlaPolicy.active.is_(True), SlaPolicy.deleted_at.is_(None),
        or_(SlaPolicy.priority.is_(None), SlaPolicy.priority == ticket.priority),
        or_(SlaPolicy.channel.is_(None), SlaPolicy.channel == ticket.channel),
        or_(SlaPolicy.category.is_(None), SlaPolicy.category == ticket.category),
        or_(SlaPolicy.customer_tag.is_(None), SlaPolicy.customer_tag.in_(tags)),
    ).order_by(SlaPolicy.position, SlaPolicy.id).limit(1)
    return await session.scalar(stmt)


async def _clock(session, ticket: Ticket):
    """The ticket's policy and the working time it counts in; (None, None) without a policy or calendar."""
    policy = await session.get(SlaPolicy, ticket.sla_policy_id) if ticket.sla_policy_id else None
    hours = await crm.working_time(session, policy.calendar_id) if policy else None
    return (policy, hours) if hours is not None else (None, None)


async def start(session, ticket: Ticket, at: datetime) -> None:
    """Set the ticket's targets from the policy that matches it now (none: no targets), counted from `at`."""
    policy = await policy_for(session, ticket)
    ticket.sla_policy_id = policy.id if policy else None
    policy, hours = await _clock(session, ticket) if policy else (None, None)
    if policy is None:  # no policy, or its calendar was deleted: nothing is due rather than a guess
        ticket.sla_policy_id = ticket.first_response_due = ticket.resolution_due = None
    else:
        ticket.first_response_due = hours.add(at, policy.first_response_minutes) if ticket.first_responded_at is None else ticket.first_response_due
        ticket.resolution_due = hours.add(at, policy.resolution_minutes)
    ticket.sla_stage = 0
    plan(ticket, policy, hours)


def plan(ticket: Ticket, policy: SlaPolicy | None, hours) -> None:
    """The target worked towards now and when to warn about it; none once resolved or without a policy."""
    if ticket.status in DONE or policy is None:
        ticket.sla_due_at = ticket.sla_warn_at = None
        return
    due = ticket.first_response_due if ticket.first_responded_at is None and ticket.first_response_due else ticket.resolution_due
    ticket.sla_due_at = due
    ticket.sla_warn_at = hours.before(due, policy.warn_minutes) if due is not None else None


async def resume(session, ticket: Ticket, at: datetime, *, keep_paused: bool = False) -> None:
    """The clock starts again at `at`: each target not yet reached is moved on by the working time the pause took.
    With `keep_paused` the pause so far is settled and goes on from `at` (a reply while the customer is awaited)."""
    since = ticket.paused_since
    ticket.paused_since = at if keep_paused else None
    policy, hours = await _clock(session, ticket)
    if since is None or hours is None:
        return
    ticket.paused_minutes += int(hours.between(since, at) / MINUTE)
    for field, reached in (("first_response_due", ticket.first_responded_at), ("resolution_due", ticket.resolved_at)):
        due = getattr(ticket, field)
        if due is not None and reached is None and due > since:  # a target already missed stays missed
            setattr(ticket, field, hours.add(at, hours.between(since, due) / MINUTE))
    plan(ticket, policy, hours)


async def reach(session, ticket: Ticket, target: str, at: datetime) -> None:
    """Target "first_response" or "resolution" is reached at `at`: the working time it took is kept, and the ticket
    works towards its next target."""
    policy, hours = await _clock(session, ticket)
    setattr(ticket, f"{target}_minutes", int(hours.between(ticket.created_at, at) / MINUTE) - ticket.paused_minutes if hours else None)
    ticket.sla_stage = 0  # the next target starts with no warning given
    plan(ticket, policy, hours)


async def replan(session, ticket: Ticket) -> None:
    policy, hours = await _clock(session, ticket)
    plan(ticket, policy, hours)


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
        remaining = int((due - clock) / MINUTE)
    elif breached:
        remaining = -int(hours.between(due, clock) / MINUTE)
    else:
        remaining = int(hours.between(clock, due) / MINUTE)
    return Target(due_at=due, reached_at=reached, breached=breached, breached_at=due if breached else None, remaining_minutes=remaining)
