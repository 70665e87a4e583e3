from __future__ import annotations

from typing import Annotated

import enum
from datetime import date, datetime

import strawberry

from crm.api import refs
from sqlalchemy import select
from strawberry.scalars import JSON

from crm.api.access import inherited, requires
from crm.api.pagination import connection_type
from crm.api.errors import UserError
from crm.api.types import api_type
from crm.customers.models import Channel, Contact, CustomerTag
from crm.customers.schema.custom_fields import CustomFieldValue, resolve_values
from crm.customers.timeline import TimelineConnection, timeline
from crm.identity.schema.types import user_loader
from crm.api.nodes import Node

CustomerRef = api_type("Customer")
ContactRef = api_type("Contact")


@strawberry.enum(description="Whether a customer is a company or a person.")
class CustomerKind(enum.Enum):
    COMPANY = "company"
    PERSON = "person"


@strawberry.enum(description="Where a customer is in its life with the business.")
class LifecycleStage(str, enum.Enum):  # str: equal to the stored value, as a model's value serialises
    LEAD = "lead"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    CHURNED = "churned"
    PARTNER = "partner"
    OTHER = "other"


@strawberry.enum(description="How `search` matches: PREFIX, the start of a name, email or phone (indexed); CONTAINS, "
                 "anywhere in a name or email (trigram indexes on PostgreSQL).")
class SearchMode(str, enum.Enum):
    PREFIX = "PREFIX"
    CONTAINS = "CONTAINS"


@strawberry.type(description="An email address or phone number with an optional label (work, home, ...).")
class LabeledValue:
    value: str = strawberry.field(description="The address or number.")
    label: str | None = None


@strawberry.input(description="An email address or phone number with its label (work, home, ...).")
class LabeledValueInput:
    value: str
    label: str | None = None


def _grouped(rows, ids, key):
    out: dict[int, list] = {i: [] for i in ids}
    for row in rows:
        out[key(row)].append(row)
    return [out[i] for i in ids]


def channels_loader(ctx, owner: str):
    """Emails and phones of customers (`owner="customer"`) or contacts, by id, in entry order."""
    column = Channel.customer_id if owner == "customer" else Channel.contact_id

    async def load(ids):
        stmt = select(Channel).where(column.in_(ids)).order_by(Channel.position, Channel.id)
        if owner == "customer":
            stmt = stmt.where(Channel.contact_id.is_(None))
        async with ctx.db.read() as session:
            rows = (await session.scalars(stmt)).all()
        return _grouped(rows, ids, lambda r: getattr(r, column.key))

    return ctx.loader(f"core.channels.{owner}", load)


def _values(channels, kind: str) -> list[LabeledValue]:
    return [LabeledValue(value=c.value, label=c.label) for c in channels if c.kind == kind]


@strawberry.type(name="CustomerSummaryCore", description="The numbers a rep wants on one screen. Plugins add theirs.")
class CustomerSummaryType:
    @strawberry.field(description="When the last call, email, meeting or visit happened.")
    @requires("activity", "read", or_null=True)
    async def last_contact_at(self, info: strawberry.Info) -> datetime | None:
        from crm.activities.loaders import activity_stats_loader

        stats = await activity_stats_loader(info.context).load(self.customer_id)
        return stats.last_contact_at

    @strawberry.field(description="Activities the caller may read.")
    @requires("activity", "read", or_null=True)
    async def activity_count(self, info: strawberry.Info) -> int | None:
        from crm.activities.loaders import activity_stats_loader

        return (await activity_stats_loader(info.context).load(self.customer_id)).count

    @strawberry.field(description="Open tasks.")
    @requires("activity", "read", or_null=True)
    async def open_task_count(self, info: strawberry.Info) -> int | None:
        from crm.activities.loaders import activity_stats_loader

        return (await activity_stats_loader(info.context).load(self.customer_id)).open_tasks


class Summary:
    """What `Customer.summary` returns: plugins' summary fields read `self.customer_id`."""

    def __init__(self, customer_id: int):
        self.customer_id = customer_id


@strawberry.type(name="CustomerCore", description="A company or a person the business deals with: the centre of the CRM.")
class CustomerType(Node):
    id: strawberry.ID
    kind: CustomerKind = strawberry.field(description="A company or a person.")
    name: str = strawberry.field(description="The company's or person's name.")
    industry: str | None = strawberry.field(description="Its industry.")
    size: str | None = strawberry.field(description="Its size (employees), as the business records it.")
    region: str | None = strawberry.field(description="Its region.")
    source: str | None = strawberry.field(description="Where it came from: a lead source, a campaign, an import.")
    lifecycle_stage: LifecycleStage = strawberry.field(description="Where it is in its life with the business.")
    website: str | None = strawberry.field(description="Its website.")
    notes: str | None = strawberry.field(description="Free notes.")
    addresses: JSON = strawberry.field(description="Its addresses.")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="Who looks after it.")
    @requires("user", "read", or_null=True)
    async def owner(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Values of the custom fields an admin defined for customers.")
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[CustomFieldValue]:
        return await resolve_values(info, "customer", self.custom_fields)

    @strawberry.field(description="Its tags, lower-case.")
    @inherited
    async def tags(self, info: strawberry.Info) -> list[str]:
        ctx = info.context

        async def load(ids):
            async with ctx.db.read() as session:
                rows = (await session.execute(select(CustomerTag.customer_id, CustomerTag.tag).where(CustomerTag.customer_id.in_(ids)).order_by(CustomerTag.tag))).all()
            return [[t for _, t in group] for group in _grouped(rows, ids, lambda r: r[0])]

        return await ctx.loader("core.customer.tags", load).load(self.id)

    @strawberry.field(description="Its email addresses, each with a label.")
    @inherited
    async def emails(self, info: strawberry.Info) -> list[LabeledValue]:
        return _values(await channels_loader(info.context, "customer").load(self.id), "email")

    @strawberry.field(description="Its phone numbers (E.164), each with a label.")
    @inherited
    async def phones(self, info: strawberry.Info) -> list[LabeledValue]:
        return _values(await channels_loader(info.context, "customer").load(self.id), "phone")

    @strawberry.field(description="The customer's contacts that the caller may read, primary first.")
    @requires("contact", "read")
    async def contacts(self, info: strawberry.Info) -> list[ContactRef]:
        ctx = info.context

        async def load(ids):
            stmt = (
                select(Contact)
                .where(Contact.customer_id.in_(ids), Contact.deleted_at.is_(None), ctx.access.filter(Contact, "contact"))
                .order_by(Contact.is_primary.desc(), Contact.name, Contact.id)
            )
            async with ctx.db.read() as session:
                rows = (await session.scalars(stmt)).all()
            return _grouped(rows, ids, lambda c: c.customer_id)

        return await ctx.loader("core.customer.contacts", load).load(self.id)

    @strawberry.field(description="Numbers about it, from every module: activities, open tasks, deals, tickets, ...")
    @inherited
    def summary(self, info: strawberry.Info) -> refs.CustomerSummary:
        return Summary(self.id)

    @strawberry.field(description="Everything that happened with this customer, newest first, from every enabled module.")
    @inherited
    async def timeline(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        kinds: Annotated[list[str] | None, strawberry.argument(description="Only entries of these kinds (call, email, note, ticket_created, ...); all when left out.")] = None
    ) -> TimelineConnection:
        return await timeline(info.context, self.id, first, after, kinds, last, before)


@strawberry.type(name="ContactCore", description="A person at a customer.")
class ContactType(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="The person's name.")
    title: str | None = strawberry.field(description="Their job title.")
    birthday: date | None = strawberry.field(description="Their birthday.")
    preferred_channel: str | None = strawberry.field(description="How they like to be reached.")
    consent: bool = strawberry.field(description="Whether they agreed to be contacted for marketing.")
    is_primary: bool = strawberry.field(description="The customer's main contact.")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="The customer they belong to.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> CustomerRef | None:
        from crm.customers.schema.queries import visible_customer_loader

        return await visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="Who looks after them.")
    @requires("user", "read", or_null=True)
    async def owner(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Their email addresses, each with a label.")
    @inherited
    async def emails(self, info: strawberry.Info) -> list[LabeledValue]:
        return _values(await channels_loader(info.context, "contact").load(self.id), "email")

    @strawberry.field(description="Values of the custom fields an admin defined for contacts.")
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[CustomFieldValue]:
        return await resolve_values(info, "contact", self.custom_fields)

    @strawberry.field(description="Their phone numbers (E.164), each with a label.")
    @inherited
    async def phones(self, info: strawberry.Info) -> list[LabeledValue]:
        return _values(await channels_loader(info.context, "contact").load(self.id), "phone")


CustomerConnection = connection_type("Customer", CustomerRef)
ContactConnection = connection_type("Contact", ContactRef)


@strawberry.type
class CustomerPayload:
    customer: CustomerRef | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ContactPayload:
    contact: ContactRef | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


