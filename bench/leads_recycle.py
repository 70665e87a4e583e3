"""Time the lead pools' recycling job (`leads.recycle`) over the bench database, twice: the first run takes back
every neglected lead, the second finds none (it acts once). It changes the data: run it after the other scenarios.

    CRM_DATABASE_URL=postgresql://.../crm_bench_leads python -m bench.leads_recycle
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select


async def main() -> None:
    from crm.plugins.leads.models import OPEN, Lead
    from crm.plugins.leads.pool import recycle
    from crm.runtime import Runtime
    from crm.settings import load_settings

    runtime = await Runtime.start(load_settings().model_copy(update={"jobs_enabled": False}))
    try:
        async with runtime.db.read() as session:
            total = await session.scalar(select(func.count()).select_from(Lead))
            owned = await session.scalar(select(func.count()).select_from(Lead).where(Lead.owner_id.is_not(None), Lead.status.in_(OPEN)))
        for label in ("first run", "second run"):
            started = time.perf_counter()
            taken = await recycle(runtime)
            print(f"{label}: {taken} of {owned} owned open leads (of {total}) taken back in {time.perf_counter() - started:.1f} s")
    finally:
        await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
