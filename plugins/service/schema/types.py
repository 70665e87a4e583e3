"""GraphQL types of the service plugin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import strawberry
from sqlalchemy import select

import crm
from crm import api_type, connection_type, inherited, payload_type, requires
from crm.plugins.service import models, sla

Customer = api_type("Customer")
Contact = api_type("Contact")
User = api_type("User")


@strawberry.enum(description="NEW until someone works on it; PENDING_CUSTOMER and ON_HOLD stop the SLA clock; RESOLVED may be "
                             "reopened; CLOSED is final.")
class TicketStatus(enum.Enum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"


@strawberry.enum(description="How urgent a ticket is; its SLA policy and targets follow it.")
class TicketPriority(enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@strawberry.enum(description="How a ticket came in.")
class TicketChannel(enum.Enum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"
    SOCIAL = "social"


@strawberry.enum(description="CREATED, a STATUS change, a public REPLY, an internal NOTE, ASSIGNED to someone, WARNED or "
                             "ESCALATED by the SLA job, MERGED into another ticket or another merged into it, RATED by the customer.")
class TicketEventKind(enum.Enum):
    CREATED = "created"
    STATUS = "status"
    REPLY = "reply"
    NOTE = "note"
    ASSIGNED = "assigned"
    WARNED = "warned"
    ESCALATED = "escalated"
    MERGED = "merged"
    RATED = strawberry.enum_value("rated", description="The customer answered the satisfaction survey.")


@strawberry.enum(description="An action the SLA job took on a ticket: a warning, a raised priority or a hand-over to the queue's manager.")
class Escalation(enum.Enum):
    NONE = 0
    WARNED = 1
    ESCALATED = 2


@strawberry.type(name="TicketEvent", description="One step of a ticket's life, kept as it happened.")
class TicketEventType:
    id: strawberry.ID
    at: datetime = strawberry.field(description="When it happened.")
    kind: TicketEventKind = strawberry.field(description="What happened: a status change, a reply, a note, an assignment, an escalation, ...")
    internal: bool = strawberry.field(description="An internal note: shown only to those who may read `ticket_comment_internal`.")
    body: str | None = strawberry.field(description="A reply's or note's text.")

    @strawberry.field(description="The status before a change.")
    @inherited
    def from_status(self, info: strawberry.Info) -> TicketStatus | None:
        return TicketStatus(self.from_status) if self.from_status else None

    @strawberry.field(description="The status after a change.")
    @inherited
    def to_status(self, info: strawberry.Info) -> TicketStatus | None:
        return TicketStatus(self.to_status) if self.to_status else None

    @strawberry.field(description="Who did it; null for the system's jobs.")
    @inherited
    async def actor(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(self.actor_id) if self.actor_id else None


@strawberry.type(description="Where one SLA target stands: its due time, when it was reached, and the working time left "
                             "(negative once missed); the clock reads at the pause while the ticket waits.")
class SlaTarget:
    due_at: datetime = strawberry.field(description="When it is due.")
    reached_at: datetime | None = strawberry.field(description="When it was reached (the first reply, the resolution).")
    breached: bool = strawberry.field(description="Whether it was missed.")
    breached_at: datetime | None = strawberry.field(description="When it was missed (its due time), null while it is not.")
    remaining_minutes: int = strawberry.field(description="Working minutes to its due time from now (or its reaching, or the pause).")


@strawberry.type(description="A ticket's satisfaction survey: sent, and answered or not.")
class Satisfaction:
    sent_at: datetime = strawberry.field(description="When the survey was sent.")
    expires_at: datetime = strawberry.field(description="When its link stops working.")
    answered_at: datetime | None = strawberry.field(description="When the customer answered.")
    score: int | None = strawberry.field(description="1 (very unhappy) to 5 (very happy).")
    comment: str | None = strawberry.field(description="What the customer wrote.")


@strawberry.type(description="A survey link to send to the customer: prefix `path` with the server's public address. It is "
                             "shown once; sending again replaces it.")
class SurveyLink:
    path: str = strawberry.field(description="The survey's path on this server, with its one-time token.")
    expires_at: datetime = strawberry.field(description="When the link stops working.")


def events_loader(ctx):
    """Each ticket's events, oldest first; internal notes only for those who may read them, in SQL."""
    async def load(ids):
        stmt = select(models.TicketEvent).where(models.TicketEvent.ticket_id.in_(ids))
        if not ctx.access.can("ticket_comment_internal", "read"):
            stmt = stmt.where(models.TicketEvent.internal.is_(False))
        async with ctx.db.read() as session:
            rows = (await session.scalars(stmt.order_by(models.TicketEvent.at, models.TicketEvent.id))).all()
        found: dict[int, list] = {i: [] for i in ids}
        for row in rows:
            found[row.ticket_id].append(row)
        return [found[i] for i in ids]

    return ctx.loader("service.ticket.events", load)


@strawberry.type(name="TicketCore", description="A customer's request or complaint, worked on by its assignee.")
class Ticket(crm.Node):
    id: strawberry.ID
    number: str = strawberry.field(description="Its number, from the ticket numbering sequence.")
    subject: str = strawberry.field(description="A one-line summary.")
    description: str | None = strawberry.field(description="What the customer asks or reports.")
    customer_id: strawberry.ID
    category: str | None = strawberry.field(description="Its category (routing, SLA and reports use it).")
    first_responded_at: datetime | None = strawberry.field(description="When the first public reply was given.")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")
    paused_since: datetime | None = strawberry.field(description="Since when the SLA clock is stopped (PENDING_CUSTOMER, ON_HOLD).")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="New, open, pending customer, on hold, resolved or closed.")
    @inherited
    def status(self, info: strawberry.Info) -> TicketStatus:
        return TicketStatus(self.status)

    @strawberry.field(description="How urgent it is.")
    @inherited
    def priority(self, info: strawberry.Info) -> TicketPriority:
        return TicketPriority(self.priority)

    @strawberry.field(description="How it came in.")
    @inherited
    def channel(self, info: strawberry.Info) -> TicketChannel:
        return TicketChannel(self.channel)

    @strawberry.field(description="The customer it is for.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="The person who asked.")
    @requires("contact", "read", or_null=True)
    async def contact(self, info: strawberry.Info) -> Contact | None:
        return await crm.visible_loader(info.context, crm.Contact, "contact").load(self.contact_id) if self.contact_id else None

    @strawberry.field(description="The queue it is in.")
    @requires("queue", "read", or_null=True)
    async def queue(self, info: strawberry.Info) -> QueueType | None:
        return await crm.by_id_loader(info.context, models.Queue).load(self.queue_id) if self.queue_id else None

    @strawberry.field(description="How far escalation went for the target worked towards now: NONE, WARNED (the assignee was "
                                  "told it is near) or ESCALATED (missed: priority raised, handed to the queue's manager).")
    @inherited
    def escalation(self, info: strawberry.Info) -> Escalation:
        return Escalation(self.sla_stage)

    @strawberry.field(description="Its tags, lower-case, in order.")
    @inherited
    async def tags(self, info: strawberry.Info) -> list[str]:
        return [t.tag for t in await crm.children_loader(info.context, models.TicketTag, "ticket_id", [models.TicketTag.tag]).load(self.id)]

    @strawberry.field(description="The ticket it was merged into as a duplicate (it is then closed).")
    @inherited
    async def merged_into(self, info: strawberry.Info) -> Optional[TicketRef]:  # noqa: UP007 - lazy
        return await crm.visible_loader(info.context, models.Ticket, "ticket").load(self.merged_into_id) if self.merged_into_id else None

    @strawberry.field(description="Who works on it (its owner).")
    @inherited
    async def assignee(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Its life, oldest first: creation, status changes, replies, and internal notes for those who may read them.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[TicketEventType]:
        return await events_loader(info.context).load(self.id)

    @strawberry.field(description="The name of the SLA policy that set its targets; null when none matched.")
    @requires("sla_policy", "read", or_null=True)
    async def sla_policy(self, info: strawberry.Info) -> str | None:
        policy = await crm.by_id_loader(info.context, models.SlaPolicy).load(self.sla_policy_id) if self.sla_policy_id else None
        return policy.name if policy else None

    @strawberry.field(description="The first-response target: reached by the first public reply.")
    @inherited
    async def first_response(self, info: strawberry.Info) -> SlaTarget | None:
        return sla.target(self.first_response_due, self.first_responded_at, self.paused_since, await _hours(info, self), crm.utcnow())

    @strawberry.field(description="The resolution target: reached when it is resolved.")
    @inherited
    async def resolution(self, info: strawberry.Info) -> SlaTarget | None:
        return sla.target(self.resolution_due, self.resolved_at, self.paused_since, await _hours(info, self), crm.utcnow())

    @strawberry.field(description="Its satisfaction survey, once sent.")
    @inherited
    async def satisfaction(self, info: strawberry.Info) -> Satisfaction | None:
        found = await crm.children_loader(info.context, models.Survey, "ticket_id").load(self.id)
        return found[0] if found else None

    @strawberry.field
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[crm.CustomFieldValue]:
        return await crm.custom_field_values(info, "ticket", self.custom_fields)


async def _hours(info, ticket):
    """The working time its policy counts in: calendars read once per request for a whole list, and each turned into a
    WorkingTime once, not once per ticket and target."""
    if ticket.sla_policy_id is None:
        return None
    policy = await crm.by_id_loader(info.context, models.SlaPolicy).load(ticket.sla_policy_id)
    return await _working_time_loader(info.context).load(policy.calendar_id) if policy else None


def _working_time_loader(ctx):
    async def load(ids):
        calendars = await crm.by_id_loader(ctx, crm.BusinessCalendar).load_many(ids)
        return [crm.working_time_of(c) if c else None for c in calendars]

    return ctx.loader("service.working_time", load)


@strawberry.type(name="SlaPolicy", description="SLA targets for the tickets it matches: the first active policy by `position` "
                                               "whose set conditions all hold; minutes are working minutes of its calendar.")
class SlaPolicyType:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    calendar_id: strawberry.ID = strawberry.field(metadata={"refers_to": "BusinessCalendar"})
    category: str | None = strawberry.field(description="Only tickets of this category; null: any.")
    customer_tag: str | None = strawberry.field(description="Only tickets of customers with this tag; null: any.")
    first_response_minutes: int = strawberry.field(description="Working minutes to the first public reply.")
    resolution_minutes: int = strawberry.field(description="Working minutes to resolution.")
    warn_minutes: int = strawberry.field(description="The assignee is warned this many working minutes before a target is due.")
    position: int
    active: bool
    version: int

    @strawberry.field(description="Only tickets of this priority; null: any.")
    @inherited
    def priority(self, info: strawberry.Info) -> TicketPriority | None:
        return TicketPriority(self.priority) if self.priority else None

    @strawberry.field(description="Only tickets of this channel; null: any.")
    @inherited
    def channel(self, info: strawberry.Info) -> TicketChannel | None:
        return TicketChannel(self.channel) if self.channel else None


@strawberry.type(name="Queue", description="Where tickets wait to be worked, by a team's members; its manager takes what escalates.")
class QueueType:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    description: str | None = strawberry.field(description="What it handles.")
    version: int

    @strawberry.field(description="The team whose members work it; its manager gets what escalates.")
    @requires("team", "read", or_null=True)
    async def team(self, info: strawberry.Info) -> api_type("Team") | None:
        return await crm.by_id_loader(info.context, crm.Team).load(self.team_id)


TicketRef = api_type("Ticket")
TicketConnection = connection_type("Ticket", TicketRef)
TicketPayload = payload_type("Ticket", ticket=TicketRef)
SlaPolicyPayload = payload_type("SlaPolicy", policy=SlaPolicyType)
QueuePayload = payload_type("Queue", queue=QueueType)
SurveyLinkPayload = payload_type("SurveyLink", survey=SurveyLink)
