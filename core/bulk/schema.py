"""Bulk jobs through GraphQL: how far one got (`bulkJob(id) { done total failed errors }`), the caller's jobs, and
stopping one. Modules start them with their own mutations (`bulkUpdateCustomers`) and `crm.bulk.runner.start`."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import select

from crm.api import refs
from crm.api.access import inherited, requires
from crm.api.errors import Invalid
from crm.api.ids import try_parse_id
from crm.api.inputs import IdInput
from crm.api.mutations import fetch_for_write, mutation
from crm.api.pagination import SortDirection, connection_type, list_page
from crm.api.payloads import payload_type
from crm.bulk.models import BulkItem, BulkJob
from crm.identity.schema.types import user_loader
from crm.models import utcnow
from crm.api.nodes import Node


@strawberry.enum(description="Where a bulk job stands.")
class BulkJobStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = strawberry.enum_value("failed", description="Stopped by an error of the server's (logged): the records done stay done.")


@strawberry.type(description="A record a bulk job could not change, and why.")
class BulkJobError:
    record_type: str = strawberry.field(description="The kind of record, e.g. customer.")
    record_id: strawberry.ID
    message: str = strawberry.field(description="Why the record could not be changed.")


@strawberry.type(name="BulkJob", description="Work on many records started by one request; poll it for progress.")
class BulkJobType(Node):
    id: strawberry.ID
    target: str = strawberry.field(description="What it does, e.g. customers.update.")
    total: int = strawberry.field(description="Records it works on, fixed when it started.")
    done: int = strawberry.field(description="Records it has worked on so far.")
    failed: int = strawberry.field(description="Records it could not change (see `errors`).")
    created_at: datetime
    started_at: datetime | None = strawberry.field(description="When its first batch started.")
    finished_at: datetime | None = strawberry.field(description="When it ended (done, cancelled or failed).")

    @strawberry.field(description="Queued, running, done, cancelled or failed.")
    @inherited
    def status(self, info: strawberry.Info) -> BulkJobStatus:
        return BulkJobStatus(self.status)

    @strawberry.field(description="The records it could not change, the first `first` (100 at most).")
    @inherited
    async def errors(self, info: strawberry.Info, first: int = 20) -> list[BulkJobError]:
        async with info.context.db.read() as session:
            rows = (await session.execute(select(BulkItem.record_id, BulkItem.error).where(
                BulkItem.job_id == self.id, BulkItem.state == "failed").order_by(BulkItem.record_id).limit(max(0, min(first, 100))))).all()
        target = info.context.runtime.bulk_targets.get(self.target)
        resource = target.resource if target else ""
        return [BulkJobError(record_type=resource, record_id=strawberry.ID(str(r)), message=m or "") for r, m in rows]

    @strawberry.field(description="Who started it; the work is done with their grants.")
    @inherited
    async def started_by(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.owner_id)


BulkJobPayload = payload_type("BulkJob", job=BulkJobType)
BulkJobConnection = connection_type("BulkJob", BulkJobType)


@strawberry.type
class BulkJobQuery:
    @strawberry.field(description="One bulk job of the caller's (an admin's: anyone's); null otherwise.")
    @requires("bulk_job", "read")
    async def bulk_job(self, info: strawberry.Info, id: strawberry.ID) -> BulkJobType | None:
        job_id = try_parse_id(id)
        if job_id is None:
            return None
        async with info.context.db.read() as session:
            return await session.scalar(select(BulkJob).where(BulkJob.id == job_id, info.context.access.filter(BulkJob, "bulk_job")))

    @strawberry.field(description="The caller's bulk jobs, newest first.")
    @requires("bulk_job", "read")
    async def bulk_jobs(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None) -> BulkJobConnection:
        stmt = select(BulkJob).where(info.context.access.filter(BulkJob, "bulk_job"))
        return await list_page(info, stmt, order=[BulkJob.id], direction=SortDirection.DESC,
                               first=first, after=after, last=last, before=before)


@strawberry.type
class BulkJobMutation:
    @strawberry.mutation(description="Stop a bulk job: what it did stays done, the rest is left as it is.")
    @requires("bulk_job", "write")
    async def cancel_bulk_job(self, info: strawberry.Info, input: IdInput) -> BulkJobPayload:
        async def work(session):
            job = await fetch_for_write(session, info, BulkJob, input.id, resource="bulk_job")
            if job.status not in ("queued", "running"):
                raise Invalid.one("id", "INVALID", f"this job is {job.status} already")
            job.status, job.finished_at = "cancelled", utcnow()
            return BulkJobPayload(job=job)

        return await mutation(info, BulkJobPayload, work)
