"""A call, an e-mail or a meeting logged about a lead is a follow-up: the pool's recycling clock starts again.

Without this, a rep who logs every call on a lead but never presses "follow up" would see the lead taken back as
neglected. Tasks are planned work, not contact, so they do not count; nor does anything about a lead that is no
longer worked (qualified, converted, disqualified)."""

from __future__ import annotations

from sqlalchemy import select

from crm import utcnow
from crm.plugins.leads import history, pool, scoring
from crm.plugins.leads.models import OPEN, Lead


async def activity_logged(session, activity) -> None:
    if activity.record_type != "lead" or activity.kind == "task" or activity.record_id is None:
        return
    lead = await session.scalar(pool.locked(session, select(Lead).where(Lead.id == int(activity.record_id))))
    if lead is None or lead.deleted_at is not None or lead.status not in OPEN:
        return
    # A call logged late (yesterday's, entered today) counts when it happened, and never later than now.
    at = min(activity.occurred_at, utcnow())
    if lead.last_follow_up_at is not None and lead.last_follow_up_at >= at:
        return
    lead.status, lead.last_follow_up_at, lead.updated_at = "working", at, utcnow()
    history.record(session, lead, "followed_up", f"{activity.kind}: {activity.subject}"[:500], at=at)
    await session.flush()
    await scoring.rescore(session, [lead])
