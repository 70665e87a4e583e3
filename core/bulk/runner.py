"""Running bulk jobs: batches of a job's pending items, each in one transaction with the changes it makes.

A worker takes a job's lease with a conditional UPDATE (the same on SQLite and PostgreSQL), so one worker at a time
works on a job. The request that starts a job starts working on it at once in its worker; the scheduled job
`core.bulk_jobs` picks up what a restart or a crash left (a lease that ran out), so work resumes after the last
committed batch and nothing is done twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import func, insert, literal, or_, select, update

from crm.api.context import acting_as
from crm.bulk.models import BulkItem, BulkJob
from crm.models import utcnow

log = logging.getLogger("crm.bulk")
BATCH = 1000
LEASE = timedelta(minutes=2)  # renewed by every batch; a worker that died gives the job up after this
UNFINISHED = ("queued", "running")


async def _take(db, job_id: int) -> bool:
    now = utcnow()
    async with db.write() as session:
        taken = await session.execute(update(BulkJob).where(
            BulkJob.id == job_id, BulkJob.status.in_(UNFINISHED), or_(BulkJob.locked_until.is_(None), BulkJob.locked_until < now),
        ).values(status="running", locked_until=now + LEASE, started_at=func.coalesce(BulkJob.started_at, now)))
        return taken.rowcount == 1


async def work_on(runtime, job_id: int, *, max_batches: int | None = None) -> None:
    """Do job `job_id` to the end (or `max_batches` batches) if no other worker holds it."""
    if not await _take(runtime.db, job_id):
        return
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            if not await _batch(runtime, job_id):
                return
            batches += 1
    except asyncio.CancelledError:  # the worker stops: let the next one resume at once
        async with runtime.db.write() as session:
            await session.execute(update(BulkJob).where(BulkJob.id == job_id).values(locked_until=None))
        raise
    except Exception as exc:
        log.exception("bulk job %s failed", job_id)
        async with runtime.db.write() as session:
            await session.execute(update(BulkJob).where(BulkJob.id == job_id).values(
                status="failed", locked_until=None, finished_at=utcnow(), last_error=type(exc).__name__))
        return
    async with runtime.db.write() as session:  # stopped after max_batches: give the lease back
        await session.execute(update(BulkJob).where(BulkJob.id == job_id).values(locked_until=None))


async def _batch(runtime, job_id: int) -> bool:
    """One batch in one transaction; False when the job has nothing left (it is then marked done) or was cancelled."""
    async with runtime.db.write() as session:
        job = await session.get(BulkJob, job_id)
        if job.status != "running":  # cancelled meanwhile
            job.locked_until = None
            return False
        ids = list((await session.scalars(select(BulkItem.record_id).where(
            BulkItem.job_id == job_id, BulkItem.state == "pending").order_by(BulkItem.record_id).limit(BATCH))).all())
        if not ids:
            job.status, job.finished_at, job.locked_until = "done", utcnow(), None
            return False
        session.info["actor_id"] = job.owner_id  # the audit trail names who started it
        target = runtime.bulk_targets[job.target]
        refused = await target.apply(session, await acting_as(runtime, job.owner_id), ids, job.params)
        if len(refused) < len(ids):
            await session.execute(update(BulkItem).where(
                BulkItem.job_id == job_id, BulkItem.record_id.in_([i for i in ids if i not in refused])).values(state="done"))
        for reason in set(refused.values()):  # one statement per reason ("deleted", "not yours to change"), not per record
            await session.execute(update(BulkItem).where(
                BulkItem.job_id == job_id, BulkItem.record_id.in_([i for i, r in refused.items() if r == reason])
            ).values(state="failed", error=reason[:500]))
        job.done += len(ids) - len(refused)
        job.failed += len(refused)
        job.locked_until = utcnow() + LEASE
        return True


async def start(session, runtime, target: str, owner_id: int, ids, params: dict) -> BulkJob:
    """A new job of `target` over the records `ids` selects (a select of one id column), fixed now: one INSERT ...
    SELECT, however many there are. After the caller's transaction commits, `runtime.spawn(work_on(runtime, job.id))`
    starts the work (public as `crm.start_bulk_job` and `crm.run_bulk_job`)."""
    job = BulkJob(target=target, params=params, owner_id=owner_id)
    session.add(job)
    await session.flush()
    rows = ids.add_columns(literal(job.id).label("job_id"), literal("pending").label("state"))
    found = await session.execute(insert(BulkItem).from_select(["record_id", "job_id", "state"], rows))
    job.total = found.rowcount
    return job


async def resume(runtime) -> None:
    """The scheduled job `core.bulk_jobs`: work on every unfinished job no worker holds."""
    now = utcnow()
    async with runtime.db.read() as session:
        waiting = list((await session.scalars(select(BulkJob.id).where(
            BulkJob.status.in_(UNFINISHED), or_(BulkJob.locked_until.is_(None), BulkJob.locked_until < now)).order_by(BulkJob.id))).all())
    for job_id in waiting:
        await work_on(runtime, job_id)


start_bulk_job = start
run_bulk_job = work_on
