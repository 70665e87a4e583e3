"""`bulkUpdateCustomers`: tag, hand over and plan a task for every customer a filter finds, hundreds of thousands at
once, as a bulk job (crm.bulk) that reports its progress and resumes after a restart."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from crm.api.access import requires
from crm.api.errors import Invalid
from crm.api.ids import parse_id
from crm.api.inputs import clean_text
from crm.api.mutations import mutation
from crm.bulk import runner
from crm.bulk.schema import BulkJobPayload
from crm.customers.models import Customer
from crm.customers.schema.mutations import clean_tags, resolve_owner
from crm.customers.schema.queries import CustomerFilter, customer_filter
from crm.identity.models import User

TARGET = "customers.update"


@strawberry.input(description="A task made for each customer, as logActivity(kind: \"task\") would make it.")
class BulkTaskInput:
    subject: str = strawberry.field(description="The task's subject.")
    body: str | None = strawberry.field(default=None, description="The task's text.")
    due_at: datetime | None = strawberry.field(default=None, description="When the task is due.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to each customer's owner.")


@strawberry.input(description="What to do to every customer `filter` finds among those the caller may change. At least one "
                  "of addTags, removeTags, ownerId, task.")
class BulkUpdateCustomersInput:
    filter: CustomerFilter = strawberry.field(description="The customers to change: those the filter lists that the caller may change.")
    add_tags: list[str] | None = strawberry.field(default=None, description="Tags to add to each.")
    remove_tags: list[str] | None = strawberry.field(default=None, description="Tags to take off each.")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Hand them all to this user.")
    task: BulkTaskInput | None = strawberry.field(default=None, description="A task to create for each customer's owner.")


async def _params(session, info, input: BulkUpdateCustomersInput) -> dict:
    ctx = info.context
    if not (input.add_tags or input.remove_tags or input.owner_id or input.task):
        raise Invalid.one(None, "REQUIRED", "say what to do: addTags, removeTags, ownerId or task")
    params: dict = {"addTags": clean_tags(input.add_tags or []), "removeTags": clean_tags(input.remove_tags or [])}
    if set(params["addTags"]) & set(params["removeTags"]):
        raise Invalid.one("removeTags", "INVALID", "a tag cannot be added and taken off at once")
    if input.owner_id is not None:
        params["ownerId"] = await resolve_owner(session, ctx.access, input.owner_id, "ownerId", "customer")
    if input.task is not None:
        if not ctx.access.can("activity", "write"):
            raise Invalid.one("task", "FORBIDDEN", "you may not make tasks")
        task = {"subject": clean_text(input.task.subject, "task.subject", limit=500, required=True), "body": input.task.body,
                "dueAt": input.task.due_at.isoformat() if input.task.due_at else None, "assigneeId": None}
        if input.task.assignee_id is not None:
            task["assigneeId"] = parse_id(input.task.assignee_id, "task.assigneeId")
            if not await session.scalar(select(User.id).where(User.id == task["assigneeId"], User.is_active.is_(True))):
                raise Invalid.one("task.assigneeId", "NOT_FOUND", "no active user with this ID")
        params["task"] = task
    return params


@strawberry.type
class CustomerBulkMutation:
    @strawberry.mutation(description="Start a bulk job over the customers `filter` finds (fixed now, among those the caller may "
                         "change): tags, owner, a task each. Answers at once; follow it with bulkJob(id).")
    @requires("customer", "write")
    async def bulk_update_customers(self, info: strawberry.Info, input: BulkUpdateCustomersInput) -> BulkJobPayload:
        ctx = info.context
        conditions = await customer_filter(info, input.filter)

        async def work(session):
            params = await _params(session, info, input)
            ids = select(Customer.id).where(ctx.access.filter(Customer, "customer", "write"), *conditions)
            return BulkJobPayload(job=await runner.start(session, ctx.runtime, TARGET, ctx.user_id, ids, params))

        payload = await mutation(info, BulkJobPayload, work)
        if payload.job is not None:  # committed: work on it in this worker now
            ctx.runtime.spawn(runner.work_on(ctx.runtime, payload.job.id))
        return payload
