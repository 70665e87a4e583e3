"""Time the SLA escalation job (`service.sla`) over the bench database, twice: the first run warns and escalates every
open ticket whose target is near or missed, the second finds none. It changes the data (tasks, escalated tickets):
run it after the other scenarios.

    CRM_DATABASE_URL=postgresql://.../crm_bench python -m bench.service_escalation
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select


async def main() -> None:
    import crm
    from crm.plugins.service import jobs
    from crm.plugins.service.models import DONE, Ticket

    runtime = await crm.command_runtime()
    try:
        async with runtime.db.read() as session:
            open_tickets = await session.scalar(select(func.count()).select_from(Ticket).where(Ticket.status.not_in(DONE)))
            everything = await session.scalar(select(func.count()).select_from(Ticket))
        for label in ("first run", "second run"):
            started = time.perf_counter()
            warned = await jobs.warn(runtime)
            escalated = await jobs.escalate(runtime)
            print(f"{label}: {warned} warned, {escalated} escalated, {time.perf_counter() - started:.2f} s "
                  f"({open_tickets} open of {everything} tickets)")
    finally:
        await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
