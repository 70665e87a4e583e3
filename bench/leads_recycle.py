"""Time the lead pools' recycling job (`leads.recycle`) over the bench database, in three runs:

1. a day's worth: every owned open lead is given a claim spread over the last 29 days (none due), then one in thirty
   a claim 31 days old, the leads that fall due each day under the bench pools' 30-day rule; the job runs every
   15 minutes, so this is more than it meets in one run;
2. a backlog: every owned open lead claimed 40 days ago and never followed up (a rule made stricter, or the job
   switched off for a month);
3. the same again at once: it finds nothing (it acts once).

It changes the data (claims and owners of the leads): run it after the other scenarios.

    CRM_DATABASE_URL=postgresql://.../crm_bench_leads python -m bench.leads_recycle
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import func, select, text, update


async def main() -> None:
    from crm import utcnow
    from crm.plugins.leads.models import OPEN, Lead
    from crm.plugins.leads.pool import recycle
    from crm.runtime import Runtime
    from crm.settings import load_settings

    runtime = await Runtime.start(load_settings().model_copy(update={"jobs_enabled": False}))
    owned = (Lead.owner_id.is_not(None)) & Lead.status.in_(OPEN) & Lead.deleted_at.is_(None) & Lead.pool_id.is_not(None)
    try:
        async with runtime.db.read() as session:
            total = await session.scalar(select(func.count()).select_from(Lead))
            count = await session.scalar(select(func.count()).select_from(Lead).where(owned))
        now = utcnow()
        await _spread(runtime, owned, now)
        if runtime.db.engine.dialect.name == "postgresql":
            async with runtime.db.write() as session:
                await session.execute(text("ANALYZE leads_lead"))
        for label in ("a day's worth", "a backlog", "again at once"):
            if label == "a backlog":
                async with runtime.db.write() as session:
                    await session.execute(update(Lead).where(owned).values(claimed_at=now - timedelta(days=40), last_follow_up_at=None))
            started = time.perf_counter()
            taken = await recycle(runtime)
            print(f"{label}: {taken} taken back, {time.perf_counter() - started:.1f} s ({count} owned open leads in pools, {total} leads)")
    finally:
        await runtime.stop()


async def _spread(runtime, owned, now) -> None:
    """Claims spread over the last 29 days by id, a thirtieth of them 31 days old."""
    from crm.plugins.leads.models import Lead

    async with runtime.db.write() as session:
        for day in range(30):
            age = timedelta(days=31 if day == 0 else day, hours=1)
            await session.execute(update(Lead).where(owned, Lead.id % 30 == day).values(claimed_at=now - age, last_follow_up_at=None))


if __name__ == "__main__":
    asyncio.run(main())
