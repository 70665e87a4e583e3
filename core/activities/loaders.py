"""Per-request loaders over activities, for the customer summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select, type_coerce

from crm.activities.models import Activity
from crm.models import UTCDateTime, utcnow

CONTACT_KINDS = ("call", "email", "meeting", "visit")


@dataclass
class ActivityStats:
    count: int = 0
    open_tasks: int = 0
    last_contact_at: datetime | None = None


def activity_stats_loader(ctx):
    async def load(customer_ids):
        stmt = (
            select(
                Activity.customer_id,
                func.count(),
                func.sum(case((Activity.kind == "task", case((Activity.done.is_(False), 1), else_=0)), else_=0)),
                type_coerce(func.max(case((and_(Activity.kind.in_(CONTACT_KINDS), Activity.occurred_at <= utcnow()), Activity.occurred_at), else_=None)), UTCDateTime()),
            )
            .where(Activity.customer_id.in_(customer_ids), Activity.deleted_at.is_(None), ctx.access.filter(Activity, "activity"))
            .group_by(Activity.customer_id)
        )
        async with ctx.db.read() as session:
            rows = {r[0]: ActivityStats(r[1], int(r[2] or 0), r[3]) for r in (await session.execute(stmt)).all()}
        return [rows.get(i, ActivityStats()) for i in customer_ids]

    return ctx.loader("core.activity.stats", load)
