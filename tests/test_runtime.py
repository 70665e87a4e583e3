"""Scheduled jobs and several writers at once."""

import asyncio

import pytest

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


async def test_connections_the_server_closed_are_replaced_without_a_failed_request(make_app):
    """A restart or pg_terminate_backend closes pooled connections; the next requests get fresh ones (no pre-ping)."""
    api = await make_app()
    if api.runtime.db.dialect != "postgresql":
        pytest.skip("SQLite has no server that could close a pooled connection")
    await asyncio.gather(*(api.admin("{ customers { totalCount } }") for _ in range(4)))  # several pooled connections
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from crm.settings import async_database_url

    killer = create_async_engine(async_database_url(api.runtime.settings.database_url), isolation_level="AUTOCOMMIT")
    async with killer.connect() as conn:
        killed = (await conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))).scalar()
    await killer.dispose()
    assert killed >= 1
    await asyncio.sleep(0.2)  # the closed sockets reach the event loop
    for _ in range(3):
        assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0


async def test_analysis_memory_is_raised_to_16_mb_but_never_lowered(make_app):
    api = await make_app()
    if api.runtime.db.dialect != "postgresql":
        pytest.skip("work_mem is a PostgreSQL setting")
    from sqlalchemy import text

    async def work_mem(db) -> str:
        async with db.read() as session:
            return await session.scalar(text("SHOW work_mem"))

    assert await work_mem(api.runtime.db) == "16MB"
    async with api.runtime.db.write() as session:
        name = await session.scalar(text("SELECT current_database()"))
        await session.execute(text(f'ALTER DATABASE "{name}" SET work_mem = \'64MB\''))
    generous = Database(api.runtime.settings.database_url)  # new connections see the database's own setting
    try:
        assert await work_mem(generous) == "64MB"
    finally:
        await generous.dispose()


async def test_a_job_stopped_by_shutdown_gives_its_lease_back(make_app):
    from datetime import timedelta

    from crm.declarations import Job
    from crm.models import utcnow
    from crm.system.models import JobLease

    api = await make_app()
    started = asyncio.Event()

    async def long_work(runtime):
        started.set()
        await asyncio.sleep(60)

    job = Job("test.long", timedelta(hours=1), long_work)
    async with api.runtime.db.write() as session:
        session.add(JobLease(name=job.name))
    running = asyncio.create_task(run_job(api.runtime, job))
    await started.wait()
    running.cancel()  # what the scheduler's stop does when the worker shuts down
    with pytest.raises(asyncio.CancelledError):
        await running
    async with api.runtime.db.read() as session:
        lease = await session.get(JobLease, job.name)
    assert lease.locked_until is None and lease.next_run_at <= utcnow() and lease.last_error == "stopped by a shutdown"
    # The next worker runs it at once rather than after the lease would have expired.
    async def quick(runtime):
        pass
    assert await run_job(api.runtime, Job(job.name, job.interval, quick)) is None
