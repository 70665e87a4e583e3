"""The scheduler: runs plugins' jobs every `interval`, in whichever worker takes the lease first.

A lease is a row in `core_job` updated with a conditional UPDATE, which works the same on SQLite and PostgreSQL:
the worker whose UPDATE changed the row runs the job; the others skip it until the next run is due.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from datetime import timedelta

from sqlalchemy import or_, update

from crm.api import metrics
from crm.models import utcnow
from crm.system.models import JobLease

log = logging.getLogger("crm.jobs")
LEASE = timedelta(minutes=10)


async def _take(db, name: str) -> bool:
    now = utcnow()
    async with db.write() as session:
        if await session.get(JobLease, name) is None:
            session.add(JobLease(name=name))
            await session.flush()
        result = await session.execute(
            update(JobLease)
            .where(JobLease.name == name, or_(JobLease.locked_until.is_(None), JobLease.locked_until < now))
            .where(or_(JobLease.next_run_at.is_(None), JobLease.next_run_at <= now))
            .values(locked_until=now + LEASE, last_started_at=now)
        )
        return result.rowcount == 1


async def run_job(runtime, job) -> str | None:
    """Run one job now (if no other worker holds it); returns the error text, or None."""
    if not await _take(runtime.db, job.name):
        return "another worker is running it, or it is not due"
    error = None
    try:
        await job.run(runtime)
    except asyncio.CancelledError:
        # The worker is shutting down: give the lease back and make the job due, so that another worker (or this
        # one after its restart) runs it at once instead of waiting for the lease to expire.
        async with runtime.db.write() as session:
            await session.execute(update(JobLease).where(JobLease.name == job.name)
                                  .values(locked_until=None, next_run_at=utcnow(), last_error="stopped by a shutdown"))
        log.warning("job %s stopped by a shutdown; its lease is released", job.name)
        raise
    except Exception:
        error = traceback.format_exc()
        log.exception("job %s failed", job.name)
    metrics.observe_job(job.name, error is not None)
    async with runtime.db.write() as session:
        now = utcnow()
        await session.execute(
            update(JobLease).where(JobLease.name == job.name)
            .values(locked_until=None, last_finished_at=now, next_run_at=now + job.interval, last_error=error)
        )
    return error


class Scheduler:
    """Runs the jobs of `current()`, the runtime the worker serves now: enabling a plugin adds its jobs."""

    def __init__(self, current, tick: float = 15.0):
        self.current = current
        self.tick = tick
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            runtime = self.current()
            for job in runtime.jobs:
                try:
                    async with runtime.db.read() as session:
                        lease = await session.get(JobLease, job.name)
                    if lease is None or lease.next_run_at is None or lease.next_run_at <= utcnow():
                        await run_job(runtime, job)
                except Exception:
                    log.exception("scheduler could not run %s", job.name)
            await asyncio.sleep(self.tick)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
