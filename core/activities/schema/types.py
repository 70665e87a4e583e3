from __future__ import annotations

from datetime import datetime

import strawberry

from crm.api import refs
from sqlalchemy import select

from crm.activities.models import ActivityContact
from crm.api.access import inherited, requires
from crm.api.errors import UserError
from crm.api.pagination import connection_type
from crm.api.types import api_type
from crm.identity.schema.types import user_loader

ActivityRef = api_type("Activity")


@strawberry.type(name="ActivityCore", description="A touchpoint: call, email, meeting, visit, note, task, or a plugin's kind.")
class ActivityType:
    id: strawberry.ID
    kind: str = strawberry.field(description="call, email, meeting, visit, note, task, or a kind a plugin adds.")
    subject: str = strawberry.field(description="A one-line summary.")
    body: str | None = strawberry.field(description="The full text: the notes of a call, the email's text.")
    direction: str | None = strawberry.field(description="inbound or outbound, for calls and emails.")
    occurred_at: datetime = strawberry.field(description="When it happened (for a task: when it was created).")
    duration_minutes: int | None = strawberry.field(description="How long a call or meeting took.")
    outcome: str | None = strawberry.field(description="What came of it, in words (set when a task is completed, too).")
    record_type: str | None
    record_id: str | None
    due_at: datetime | None = strawberry.field(description="When a task is due.")
    done: bool = strawberry.field(description="Whether a task is completed.")
    done_at: datetime | None = strawberry.field(description="When a task was completed.")
    created_at: datetime
    updated_at: datetime
    version: int

    @strawberry.field(description="The customer it is about.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> refs.Customer | None:
        from crm.customers.schema.queries import visible_customer_loader

        return await visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="Who logged it.")
    @requires("user", "read", or_null=True)
    async def owner(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Who a task is for.")
    @requires("user", "read", or_null=True)
    async def assignee(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.assignee_id) if self.assignee_id else None

    @strawberry.field(description="Contacts involved, those the caller may read.")
    @requires("contact", "read")
    async def contacts(self, info: strawberry.Info) -> list[refs.Contact]:
        ctx = info.context
        from crm.customers.models import Contact

        async def load(ids):
            stmt = (
                select(ActivityContact.activity_id, Contact)
                .join(Contact, Contact.id == ActivityContact.contact_id)
                .where(ActivityContact.activity_id.in_(ids), Contact.deleted_at.is_(None), ctx.access.filter(Contact, "contact"))
                .order_by(Contact.name)
            )
            async with ctx.db.read() as session:
                rows = (await session.execute(stmt)).all()
            out: dict[int, list] = {i: [] for i in ids}
            for activity_id, contact in rows:
                out[activity_id].append(contact)
            return [out[i] for i in ids]

        return await ctx.loader("core.activity.contacts", load).load(self.id)

    @strawberry.field(description="An open task past its due time.")
    @inherited
    def overdue(self, info: strawberry.Info) -> bool:
        from crm.models import utcnow

        return self.kind == "task" and not self.done and self.due_at is not None and self.due_at < utcnow()


ActivityConnection = connection_type("Activity", ActivityRef)


@strawberry.type
class ActivityPayload:
    activity: ActivityRef | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
