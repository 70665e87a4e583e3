"""Scheduled: SLA escalation. A ticket whose current target is near (its warn time passed) gets a task for its
assignee; one whose target was missed has its priority raised one step and goes to its queue's manager, who gets a
task. Both are kept in the ticket's history.

Acting once, however many workers run it: tickets are picked by index (`sla_warn_at`, `sla_due_at`) and claimed by a
conditional UPDATE on their stage (on PostgreSQL the rows picked with SKIP LOCKED; on SQLite the job's write
transaction is the only writer), so a ticket is warned once and escalated once per target."""

from __future__ import annotations

from sqlalchemy import case, func, insert, select, update

import crm
from crm.plugins.service.models import DONE, Queue, Ticket, TicketEvent

BATCH = 2000
RAISED = case((Ticket.priority == "low", "normal"), (Ticket.priority == "normal", "high"), else_="urgent")


def _due(now, at_column, stages: tuple[int, ...]):
    # Stage by equality, then the time range: one range of (sla_stage, at) per stage, not every ticket warned long ago.
    return (select(Ticket.id).where(Ticket.sla_stage.in_(stages), at_column <= now, Ticket.paused_since.is_(None), Ticket.status.not_in(DONE),
                                    Ticket.deleted_at.is_(None)).order_by(Ticket.id).limit(BATCH))


async def _claim(session, pick, stage: int, values: dict):
    if session.bind.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    return (await session.execute(update(Ticket).where(Ticket.id.in_(pick.scalar_subquery()), Ticket.sla_stage < stage).values(**values)
                                  .returning(Ticket.id, Ticket.customer_id, Ticket.owner_id, Ticket.number, Ticket.subject, Ticket.sla_due_at,
                                             Ticket.priority).execution_options(synchronize_session=False))).all()


async def _record(session, rows, kind: str, body) -> None:
    now = crm.utcnow()
    await session.execute(insert(TicketEvent), [{"ticket_id": r.id, "at": now, "kind": kind, "internal": False, "body": body(r),
                                                 "actor_id": None} for r in rows])


async def _warn_batch(session, _lane) -> tuple[int, int]:
    now = crm.utcnow()
    rows = await _claim(session, _due(now, Ticket.sla_warn_at, (0,)), 1, {"sla_stage": 1})
    if rows:
        await _record(session, rows, "warned", lambda r: f"due at {r.sla_due_at:%Y-%m-%d %H:%M} UTC")
        await crm.add_tasks(session, [{"customer_id": r.customer_id, "subject": f"SLA near: {r.number} {r.subject}",
                                       "due_at": r.sla_due_at, "assignee_id": r.owner_id, "record_type": "ticket", "record_id": r.id}
                                      for r in rows])
    return len(rows), len(rows)


async def _escalate_batch(session, _lane) -> tuple[int, int]:
    now = crm.utcnow()
    manager = (select(crm.Team.manager_id).join(Queue, Queue.team_id == crm.Team.id).where(Queue.id == Ticket.queue_id)
               .scalar_subquery())
    new_owner = func.coalesce(manager, Ticket.owner_id)
    pick = _due(now, Ticket.sla_due_at, (0, 1))
    if session.bind.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list((await session.scalars(pick)).all())
    if not ids:
        return 0, 0
    # The audit trail first: it reads the values before the change.
    await crm.audit_select(session, "update", "ticket", select(Ticket.id, Ticket.customer_id, crm.audit_changes(
        session, ("priority", Ticket.priority, RAISED), ("ownerId", Ticket.owner_id, new_owner))).where(Ticket.id.in_(ids)))
    rows = await _claim(session, select(Ticket.id).where(Ticket.id.in_(ids)), 2, {
        "sla_stage": 2, "priority": RAISED, "owner_id": new_owner, "version": Ticket.version + 1, "updated_at": now})
    await _record(session, rows, "escalated", lambda r: f"missed its target due at {r.sla_due_at:%Y-%m-%d %H:%M} UTC: "
                                                        f"priority now {r.priority}")
    await crm.add_tasks(session, [{"customer_id": r.customer_id, "subject": f"SLA missed: {r.number} {r.subject}",
                                   "due_at": now, "assignee_id": r.owner_id, "record_type": "ticket", "record_id": r.id}
                                  for r in rows])
    return len(rows), len(ids)


async def warn(runtime) -> int:
    return await crm.run_batches(runtime, _warn_batch, size=BATCH)


async def escalate(runtime) -> int:
    return await crm.run_batches(runtime, _escalate_batch, size=BATCH)


async def run(runtime) -> None:
    """The job `service.sla`: warnings first, so that a ticket both near and missed is escalated in the same run."""
    await warn(runtime)
    await escalate(runtime)

