from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from sqlalchemy import func, select, type_coerce

from crm.activities.models import Activity, ActivityContact
from crm.activities.schema.types import ActivityConnection, ActivityPayload
from crm.api.access import authenticated, requires
from crm.api.errors import Invalid
from crm.api.ids import parse_id, try_parse_id
from crm.api.inputs import IdInput
from crm.api.mutations import fetch_for_write, fetch_linked, mutation, restore
from crm.api.pagination import SortDirection, list_page
from crm.customers.models import Contact, Customer
from crm.events import publish
from crm.identity.models import User
from crm.models import UTCDateTime, utcnow

UNSET = strawberry.UNSET
CORE_KINDS = ("call", "email", "meeting", "visit", "note", "task")
DIRECTIONS = ("inbound", "outbound")


@strawberry.input
class LogActivityInput:
    kind: str
    subject: str
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose touchpoint it is. Without it, recordType and recordId name the record it is about "
                                  "(a deal: its customer; a lead: none until it is converted).")
    body: str | None = None
    occurred_at: datetime | None = strawberry.field(default=None, description="Defaults to now.")
    direction: str | None = None
    duration_minutes: int | None = None
    outcome: str | None = None
    contact_ids: list[strawberry.ID] | None = None
    record_type: str | None = None
    record_id: str | None = None
    due_at: datetime | None = strawberry.field(default=None, description="Tasks: when it is due.")
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Tasks: who does it; defaults to the caller.")


@strawberry.input
class UpdateActivityInput:
    id: strawberry.ID
    version: int
    subject: str | None = UNSET
    body: str | None = UNSET
    occurred_at: datetime | None = UNSET
    outcome: str | None = UNSET
    duration_minutes: int | None = UNSET
    due_at: datetime | None = UNSET
    assignee_id: strawberry.ID | None = UNSET


@strawberry.input
class CompleteTaskInput:
    id: strawberry.ID
    version: int | None = None
    outcome: str | None = strawberry.field(default=None, description="What came of it.")


@strawberry.input
class DeleteActivityInput:
    id: strawberry.ID
    version: int | None = strawberry.field(default=None, description="When given, refused with CONFLICT if the activity changed since.")


@strawberry.input
class ActivityFilter:
    customer_id: strawberry.ID | None = None
    kinds: list[str] | None = strawberry.field(default=None, description="Only activities of these kinds.")
    owner_id: strawberry.ID | None = None
    occurred_from: datetime | None = strawberry.field(default=None, description="Only those that happened at or after this time.")
    occurred_to: datetime | None = strawberry.field(default=None, description="Only those that happened before this time.")
    open_tasks: bool | None = strawberry.field(default=None, description="Only tasks not done yet.")


def _kind(runtime, value: str) -> str:
    kinds = set(CORE_KINDS) | runtime.activity_kinds
    if value not in kinds:
        raise Invalid.one("kind", "INVALID", f"kind must be one of {', '.join(sorted(kinds))}")
    return value


def _check_when(occurred_at, settings) -> None:
    """An activity records what happened: a little clock skew is fine, next year is a typo (planned work is a task)."""
    if occurred_at not in (None, UNSET) and occurred_at > utcnow() + timedelta(hours=settings.activity_future_hours):
        raise Invalid.one("occurredAt", "INVALID", f"an activity cannot have happened more than {settings.activity_future_hours} "
                                                   "hours from now; plan future work as a task with a due date")


def _check(input) -> None:
    if not (input.subject or "").strip():
        raise Invalid.one("subject", "REQUIRED", "an activity needs a subject")
    if getattr(input, "direction", None) not in (None, *DIRECTIONS):
        raise Invalid.one("direction", "INVALID", "direction is inbound or outbound")
    if input.duration_minutes not in (None, UNSET) and not 0 <= input.duration_minutes <= 100_000:
        raise Invalid.one("durationMinutes", "INVALID", "duration must be between 0 and 100000 minutes")


@strawberry.type
class ActivityQuery:
    @strawberry.field(description="Activities the caller may read, newest first.")
    @requires("activity", "read")
    async def activities(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, filter: ActivityFilter | None = None
    ) -> ActivityConnection:
        ctx = info.context
        f = filter or ActivityFilter()
        stmt = select(Activity).where(Activity.deleted_at.is_(None), ctx.access.filter(Activity, "activity"))
        if f.customer_id:
            stmt = stmt.where(Activity.customer_id == try_parse_id(f.customer_id))
        if f.kinds:
            stmt = stmt.where(Activity.kind.in_(f.kinds))
        if f.owner_id:
            stmt = stmt.where(Activity.owner_id == try_parse_id(f.owner_id))
        if f.occurred_from:
            stmt = stmt.where(Activity.occurred_at >= f.occurred_from)
        if f.occurred_to:
            stmt = stmt.where(Activity.occurred_at < f.occurred_to)
        if f.open_tasks:
            stmt = stmt.where(Activity.kind == "task", Activity.done.is_(False))
        return await list_page(info, stmt, order=[Activity.occurred_at, Activity.id], direction=SortDirection.DESC,
                               first=first, after=after, last=last, before=before)

    @strawberry.field(description="The caller's open tasks, overdue first, then by due date.")
    @authenticated
    async def my_tasks(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                       last: int | None = None, before: str | None = None) -> ActivityConnection:
        ctx = info.context
        stmt = select(Activity).where(
            Activity.kind == "task", Activity.done.is_(False), Activity.deleted_at.is_(None), Activity.assignee_id == ctx.user_id
        )
        # Tasks without a due date sort last: keyset on a non-null key.
        due = Activity.due_at
        far = datetime(9999, 1, 1, tzinfo=utcnow().tzinfo)
        key = type_coerce(func.coalesce(due, far), UTCDateTime())
        return await list_page(info, stmt, order=[key, Activity.id], first=first, after=after, last=last, before=before,
                               row_values=lambda a: [a.due_at or far, a.id])


@strawberry.type
class ActivityMutation:
    @strawberry.mutation(description="Log a call, email, meeting, visit or note, or add a task.")
    @requires("activity", "write")
    async def log_activity(self, info: strawberry.Info, input: LogActivityInput) -> ActivityPayload:
        ctx = info.context

        async def work(session):
            _check(input)
            _check_when(input.occurred_at, ctx.settings)
            kind = _kind(ctx.runtime, input.kind)
            customer = None
            if input.customer_id is not None:
                customer = await fetch_for_write(session, info, Customer, input.customer_id, resource="customer", field="customerId", action="read")
            elif input.record_type is None or input.record_id is None:
                raise Invalid.one("customerId", "REQUIRED", "an activity is about a customer, or about a record (recordType and recordId)")
            assignee_id = None
            if kind == "task":
                assignee_id = parse_id(input.assignee_id, "assigneeId") if input.assignee_id else ctx.user_id
                if not await session.scalar(select(User.id).where(User.id == assignee_id, User.is_active.is_(True))):
                    raise Invalid.one("assigneeId", "NOT_FOUND", "no active user with this ID")
            record_id = None
            if input.record_type is not None or input.record_id is not None:
                if input.record_type is None or input.record_id is None:
                    missing = "recordType" if input.record_type is None else "recordId"
                    raise Invalid.one(missing, "REQUIRED", "a link to a record needs both recordType and recordId")
                linked = await fetch_linked(session, info, input.record_type, input.record_id, customer_id=customer.id if customer else None)
                record_id = str(linked.id)
                if customer is None and getattr(linked, "customer_id", None) is not None:
                    customer = await fetch_for_write(session, info, Customer, linked.customer_id, resource="customer", field="recordId", action="read")
            activity = Activity(
                customer_id=customer.id if customer else None, kind=kind, subject=input.subject.strip(), body=input.body,
                direction=input.direction, occurred_at=input.occurred_at or utcnow(), duration_minutes=input.duration_minutes,
                outcome=input.outcome, record_type=input.record_type, record_id=record_id,
                due_at=input.due_at if kind == "task" else None, assignee_id=assignee_id, done=False, owner_id=ctx.user_id,
            )
            session.add(activity)
            await session.flush()
            for i, raw in enumerate(input.contact_ids or []):
                contact = await session.get(Contact, parse_id(raw, f"contactIds.{i}"))
                if contact is None or customer is None or contact.customer_id != customer.id or contact.deleted_at is not None:
                    raise Invalid.one(f"contactIds.{i}", "NOT_FOUND", "no such contact at this customer")
                session.add(ActivityContact(activity_id=activity.id, contact_id=contact.id))
            await publish(session, "crm_on_activity_logged", activity=activity)
            return ActivityPayload(activity=activity)

        return await mutation(info, ActivityPayload, work)

    @strawberry.mutation(description="Change an activity (a partial update at its version).")
    @requires("activity", "write")
    async def update_activity(self, info: strawberry.Info, input: UpdateActivityInput) -> ActivityPayload:
        async def work(session):
            activity = await fetch_for_write(session, info, Activity, input.id, resource="activity", version=input.version)
            if input.subject is not UNSET:
                if not (input.subject or "").strip():
                    raise Invalid.one("subject", "REQUIRED", "an activity needs a subject")
                activity.subject = input.subject.strip()
            if input.duration_minutes not in (None, UNSET) and not 0 <= input.duration_minutes <= 100_000:
                raise Invalid.one("durationMinutes", "INVALID", "duration must be between 0 and 100000 minutes")
            for field in ("body", "outcome", "duration_minutes", "due_at"):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(activity, field, value)
            if input.occurred_at is not UNSET and input.occurred_at is not None:
                _check_when(input.occurred_at, info.context.settings)
                activity.occurred_at = input.occurred_at
            if input.assignee_id is not UNSET:
                activity.assignee_id = parse_id(input.assignee_id, "assigneeId") if input.assignee_id else None
            return ActivityPayload(activity=activity)

        return await mutation(info, ActivityPayload, work)

    @strawberry.mutation(description="Mark a task done. The assignee may complete it even without write on the record.")
    @authenticated
    async def complete_task(self, info: strawberry.Info, input: CompleteTaskInput) -> ActivityPayload:
        ctx = info.context

        async def work(session):
            activity = await session.get(Activity, parse_id(input.id))
            mine = activity is not None and activity.assignee_id == ctx.user_id
            if activity is None or activity.deleted_at is not None or not (
                mine or (ctx.access.can("activity", "write") and await ctx.access.permits("activity", "write", activity.owner_id))
            ):
                raise Invalid.one("id", "NOT_FOUND", "task not found")
            if activity.kind != "task":
                raise Invalid.one("id", "INVALID", "only tasks can be completed")
            if input.version is not None and input.version != activity.version:
                raise Invalid.one("version", "CONFLICT", f"the task was changed meanwhile (now version {activity.version})")
            if activity.done:
                raise Invalid.one("id", "INVALID", "this task is done already")
            activity.done, activity.done_at = True, utcnow()
            if input.outcome:
                activity.outcome = input.outcome
            return ActivityPayload(activity=activity)

        return await mutation(info, ActivityPayload, work)

    @strawberry.mutation(description="Soft delete an activity.")
    @requires("activity", "write")
    async def delete_activity(self, info: strawberry.Info, input: DeleteActivityInput) -> ActivityPayload:
        async def work(session):
            activity = await fetch_for_write(session, info, Activity, input.id, resource="activity", version=input.version)
            activity.deleted_at = utcnow()
            return ActivityPayload(activity=activity)

        return await mutation(info, ActivityPayload, work)

    @strawberry.mutation(description="Bring a deleted activity back into its timeline.")
    @requires("activity", "write")
    async def restore_activity(self, info: strawberry.Info, input: IdInput) -> ActivityPayload:
        return await restore(info, Activity, input.id, resource="activity", payload=ActivityPayload, field="activity")

