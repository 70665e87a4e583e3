"""GraphQL types of the leads plugin."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import func, select

import crm
from crm import api_type, connection_type, inherited, payload_type
from crm.plugins.leads import models
from crm.plugins.leads.schema.enums import LeadEventKind, LeadStatus

User = api_type("User")
Customer = api_type("Customer")
Activity = api_type("Activity")


@strawberry.type(description="A record with the same e-mail address or phone number (normalised) as a lead.")
class LeadDuplicate:
    resource: str = strawberry.field(description="lead or customer")
    id: strawberry.ID
    name: str = strawberry.field(description="The lead's or customer's name.")
    matched: str = strawberry.field(description="The normalised address or number they share.")


@strawberry.type(description="One rule behind a lead's score, and the points it gave.")
class ScoreReason:
    rule: str = strawberry.field(description="The rule's name.")
    points: int = strawberry.field(description="The points it gave.")


@strawberry.type(name="LeadEvent", description="One step in a lead's life: who did what, and who owned it after.")
class LeadEventType:
    at: datetime = strawberry.field(description="When it happened.")
    kind: LeadEventKind = strawberry.field(description="What happened: created, claimed, assigned, released, recycled, followed up, qualified, ...")
    actor_id: strawberry.ID | None
    owner_id: strawberry.ID | None
    pool_id: strawberry.ID | None = strawberry.field(metadata={"refers_to": "LeadPool"})
    detail: str | None = strawberry.field(description="More about it, in words (a reason).")


@strawberry.type(description="A person or company that may become a customer: where they came from, their score, owner or pool, and status.")
class Lead(crm.Node):
    id: strawberry.ID
    name: str = strawberry.field(description="The person's name.")
    company_name: str | None = strawberry.field(description="Their company.")
    title: str | None = strawberry.field(description="Their job title.")
    emails: list[str] = strawberry.field(description="Their email addresses.")
    phones: list[str] = strawberry.field(description="Their phone numbers (E.164).")
    website: str | None = strawberry.field(description="Their website.")
    source: str | None = strawberry.field(description="Where the lead came from (web form, fair, referral, ...).")
    campaign: str | None = strawberry.field(description="The campaign's name that brought it.")
    campaign_id: strawberry.ID | None
    status: LeadStatus = strawberry.field(description="New, working, qualified, unqualified or converted.")
    score: int = strawberry.field(description="0 to 100: the sum of the scoring rules it meets (scoreReasons), or as given while no rule is active.")
    owner_id: strawberry.ID | None = strawberry.field(description="Null while the lead waits in its pool.")
    pool_id: strawberry.ID | None = strawberry.field(metadata={"refers_to": "LeadPool"})
    claimed_at: datetime | None = strawberry.field(description="When its owner got it (claimed or assigned).")
    last_follow_up_at: datetime | None = strawberry.field(description="When it was last followed up (a call, an email, a meeting about it).")
    next_follow_up_on: date | None = strawberry.field(description="When it is to be followed up next.")
    region: str | None = strawberry.field(description="Its region.")
    industry: str | None = strawberry.field(description="Its industry.")
    notes: str | None = strawberry.field(description="Free notes.")
    tags: list[str] = strawberry.field(description="Its tags, lower-case.")
    disqualify_reason: str | None = strawberry.field(description="Why it was disqualified.")
    converted_at: datetime | None = strawberry.field(description="When it was converted into a customer.")
    customer_id: strawberry.ID | None = strawberry.field(description="The customer it became.")
    contact_id: strawberry.ID | None
    created_at: datetime
    version: int
    deleted_at: datetime | None

    @strawberry.field(description="The values of the custom fields admins defined for leads.")
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[crm.CustomFieldValue]:
        return await crm.custom_field_values(info, "lead", self.custom_fields)

    @strawberry.field(description="Every rule behind `score`, with its points.")
    @inherited
    def score_reasons(self, info: strawberry.Info) -> list[ScoreReason]:
        return [ScoreReason(rule=r["rule"], points=r["points"]) for r in self.score_reasons or []]

    @strawberry.field(description="Who works it; null while it waits in its pool.")
    @inherited
    async def owner(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(self.owner_id) if self.owner_id else None

    @strawberry.field(description="The customer it became, when the caller may read it.")
    @inherited
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id) if self.customer_id else None

    @strawberry.field(description="Calls, e-mails, meetings and notes about the lead that the caller may read, newest first; "
                      "log one with logActivity(recordType: \"lead\", recordId). Conversion moves them to the customer's timeline.")
    @crm.requires("activity", "read", or_null=True)
    async def activities(self, info: strawberry.Info) -> list[Activity]:
        ctx = info.context

        async def load(ids):
            a = crm.Activity
            stmt = (select(a).where(a.record_type == "lead", a.record_id.in_([str(i) for i in ids]), a.deleted_at.is_(None),
                                    ctx.access.filter_or_none(a, "activity")).order_by(a.occurred_at.desc(), a.id.desc()))
            async with ctx.db.read() as session:
                rows = (await session.scalars(stmt)).all()
            return crm.grouped(rows, [str(i) for i in ids], lambda r: r.record_id)

        return await ctx.loader("leads:activities", load).load(int(self.id))

    @strawberry.field(description="Its history, oldest first.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[LeadEventType]:
        event = models.LeadEvent
        return await crm.children_loader(info.context, event, "lead_id", [event.at, event.id]).load(self.id)

    @strawberry.field(description="Other leads and customers the caller may read with one of this lead's e-mail addresses "
                      "or phone numbers: flagged, never merged by themselves.")
    @inherited
    async def duplicates(self, info: strawberry.Info) -> list[LeadDuplicate]:
        from crm.plugins.leads.duplicates import duplicates_of

        return await duplicates_of(info.context, self)


@strawberry.type(description="A shared pool of leads that its members claim from; it takes back leads neglected too long.")
class LeadPool:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    description: str | None = strawberry.field(description="What it holds, in words.")
    claim_limit: int | None = strawberry.field(description="Open leads of this pool one member may hold; null: no limit.")
    recycle_after_days: int | None = strawberry.field(description="A lead without follow-up this long goes back to the pool.")
    convert_within_days: int | None = strawberry.field(description="A lead not converted this long after its claim goes back.")
    active: bool
    version: int

    @strawberry.field
    @inherited
    async def member_ids(self, info: strawberry.Info) -> list[strawberry.ID]:
        member = models.LeadPoolMember
        rows = await crm.children_loader(info.context, member, "pool_id", [member.user_id]).load(self.id)
        return [r.user_id for r in rows]

    @strawberry.field(description="Open leads waiting in the pool (no owner).")
    @inherited
    async def waiting(self, info: strawberry.Info) -> int:
        ctx = info.context

        async def load(ids):
            lead = models.Lead
            stmt = (select(lead.pool_id, func.count()).where(lead.pool_id.in_(ids), lead.owner_id.is_(None), lead.deleted_at.is_(None),
                                                             lead.status.in_(models.OPEN)).group_by(lead.pool_id))
            async with ctx.db.read() as session:
                counts = dict((await session.execute(stmt)).all())
            return [counts.get(i, 0) for i in ids]

        return await ctx.loader("leads:waiting", load).load(int(self.id))


LeadConnection = connection_type("Lead", Lead)
LeadPayload = payload_type("Lead", lead=Lead)
LeadPoolPayload = payload_type("LeadPool", pool=LeadPool)
