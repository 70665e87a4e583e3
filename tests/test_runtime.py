"""Scheduled jobs and several writers at once."""

import asyncio

from crm.db import Database
from crm.system.jobs import run_job

from crm_example import plugin as example


async def test_job_runs_once_per_interval_across_workers(make_app):
    api = await make_app(plugins=["example"])
    job = next(j for j in api.runtime.jobs if j.name == "example.count_widgets")
    before = len(example.EVENTS)
    assert await run_job(api.runtime, job) is None
    assert example.EVENTS[-1] == ("widgets_counted", 0)
    # Another worker asking right after finds it not due: it does not run twice.
    assert await run_job(api.runtime, job) == "another worker is running it, or it is not due"
    assert len(example.EVENTS) == before + 1


async def test_two_workers_write_at_once_without_lock_errors(make_app):
    api = await make_app()
    second = Database(api.runtime.settings.database_url)  # a second process's connection pool
    from crm.customers.models import Customer

    async def writer(db, prefix):
        for i in range(15):
            async with db.write() as session:
                session.add(Customer(kind="company", name=f"{prefix}{i}", search_name=f"{prefix}{i}", lifecycle_stage="prospect",
                                     addresses=[], custom_fields={}, owner_id=1))
                await asyncio.sleep(0)  # hold the transaction open across a switch, like a real request

    try:
        await asyncio.gather(writer(api.runtime.db, "a"), writer(second, "b"), writer(api.runtime.db, "c"))
    finally:
        await second.dispose()
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 45
