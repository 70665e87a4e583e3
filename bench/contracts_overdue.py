"""Time the contracts' reminder job (`contracts.remind_overdue`) over the bench database, twice: the first run reminds
the installments that fell overdue since the last run (the bench data leaves a day's worth), the second finds none.
It changes the data (tasks, reminded installments): run it after the other scenarios.

    CRM_DATABASE_URL=postgresql://.../crm_bench python -m bench.contracts_overdue
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select


async def main() -> None:
    import crm
    from crm.plugins.contracts.jobs import remind_overdue
    from crm.plugins.contracts.models import Contract, Installment

    runtime = await crm.command_runtime()
    try:
        async with runtime.db.read() as session:
            contracts = await session.scalar(select(func.count()).select_from(Contract))
            installments = await session.scalar(select(func.count()).select_from(Installment))
        for label in ("first run", "second run"):
            started = time.perf_counter()
            made = await remind_overdue(runtime)
            print(f"{label}: {made} reminders, {time.perf_counter() - started:.2f} s ({contracts} contracts, {installments} installments)")
    finally:
        await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
