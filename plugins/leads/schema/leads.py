"""Leads: capture, change, follow up, qualify, convert; lists filtered by scope in SQL."""

from __future__ import annotations

from typing import Annotated

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON
from sqlalchemy import delete, func, insert, or_, select

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.leads import history, scoring
from crm.plugins.leads.duplicates import channel_rows
from crm.plugins.leads.models import OPEN, Campaign, Lead, LeadChannel, LeadPool, LeadPoolMember
from crm.plugins.leads.schema import types as t
from crm.plugins.leads.schema.enums import LeadOrder, LeadStatus

UNSET = strawberry.UNSET


def visible(ctx):
    """Leads the caller may read: by their scope on `lead`, and the waiting leads of pools they are a member of."""
    mine = select(LeadPoolMember.pool_id).where(LeadPoolMember.user_id == ctx.user_id)
    return or_(ctx.access.filter_or_none(Lead, "lead"), (Lead.owner_id.is_(None) & Lead.pool_id.in_(mine.scalar_subquery())))


def lead_loader(ctx):
    async def load(ids):
        stmt = select(Lead).where(Lead.id.in_(ids), Lead.deleted_at.is_(None), visible(ctx))
        async with ctx.db.read() as session:
            found = {r.id: r for r in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader("leads:visible", load)


@strawberry.input
class LeadFilter:
    status: list[LeadStatus] | None = strawberry.field(default=None, description="Only leads in these statuses.")
    owner_id: strawberry.ID | None = None
    pool_id: strawberry.ID | None = None
    campaign_id: strawberry.ID | None = None
    unowned: bool | None = strawberry.field(default=None, description="true: only leads waiting in a pool; false: only owned ones.")
    source: str | None = strawberry.field(default=None, description="Ignoring case.")
    campaign: str | None = strawberry.field(default=None, description="Ignoring case.")
    region: str | None = strawberry.field(default=None, description="Ignoring case.")
    score_min: int | None = strawberry.field(default=None, description="Only leads scoring at least this.")
    score_max: int | None = strawberry.field(default=None, description="Only leads scoring at most this.")
    created_from: date | None = strawberry.field(default=None, description="Created on or after this day (UTC).")
    created_to: date | None = strawberry.field(default=None, description="Created on or before this day (UTC).")
    search: str | None = strawberry.field(default=None, description="Name, company, e-mail or phone starting with this, ignoring case.")
    custom_fields: list[crm.CustomFieldFilter] | None = None
    deleted: bool = strawberry.field(default=False, description="True: only deleted leads; false (the default): only those that are not.")


def conditions(f: LeadFilter | None) -> list:
    f = f or LeadFilter()
    conds = [Lead.deleted_at.is_not(None) if f.deleted else Lead.deleted_at.is_(None)]
    if f.status:
        conds.append(Lead.status.in_([s.value for s in f.status]))
    for column, raw in ((Lead.owner_id, f.owner_id), (Lead.pool_id, f.pool_id), (Lead.campaign_id, f.campaign_id)):
        if raw is not None:
            conds.append(column == try_parse_id(raw))
    if f.unowned is not None:
        conds.append(Lead.owner_id.is_(None) if f.unowned else Lead.owner_id.is_not(None))
    for column, value in ((Lead.source, f.source), (Lead.campaign, f.campaign), (Lead.region, f.region)):
        if value and value.strip():
            conds.append(func.lower(column) == value.strip().lower())
    if f.score_min is not None:
        conds.append(Lead.score >= f.score_min)
    if f.score_max is not None:
        conds.append(Lead.score <= f.score_max)
    if f.created_from:
        conds.append(Lead.created_at >= datetime.combine(f.created_from, time(), UTC))
    if f.created_to:
        conds.append(Lead.created_at < datetime.combine(f.created_to + timedelta(days=1), time(), UTC))
    if term := crm.search_term(f.search):
        term = term.lower()
        like = f"{term.replace('%', '').replace('_', '')}%"
        keys = {term}
        for normal in (crm.normalise_email, crm.normalise_phone):
            try:
                keys.add(normal(term, "search"))
            except Invalid:
                pass
        by_channel = select(LeadChannel.lead_id).where(LeadChannel.normalized.in_(keys) | LeadChannel.normalized.like(like))
        conds.append(or_(func.lower(Lead.name).like(like), func.lower(Lead.company_name).like(like), Lead.id.in_(by_channel)))
    return conds


ORDERS = {LeadOrder.CREATED: [Lead.created_at, Lead.id], LeadOrder.SCORE: [Lead.score, Lead.id], LeadOrder.NAME: [Lead.name, Lead.id]}


@strawberry.input
class CreateLeadInput:
    name: str
    company_name: str | None = None
    title: str | None = None
    emails: list[str] = strawberry.field(default_factory=list)
    phones: list[str] = strawberry.field(default_factory=list)
    website: str | None = None
    source: str | None = None
    campaign: str | None = None
    region: str | None = None
    industry: str | None = None
    notes: str | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    score: int = 0
    next_follow_up_on: date | None = None
    campaign_id: strawberry.ID | None = strawberry.field(default=None, description="The campaign it came from (sets `campaign` to its name when empty).")
    custom_fields: JSON | None = strawberry.field(default=None, description='Values by key, e.g. {"budget": 5000}.')
    pool_id: strawberry.ID | None = strawberry.field(default=None, description="The pool it belongs to (and goes back to when neglected).")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Without it: the first matching assignment rule picks one; else the lead waits in its pool; "
                                  "else it is the caller's.")


@strawberry.input(description="Change a lead; only the fields given change. Owners change with claim, assign and release.")
class UpdateLeadInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    company_name: str | None = UNSET
    title: str | None = UNSET
    emails: list[str] | None = UNSET
    phones: list[str] | None = UNSET
    website: str | None = UNSET
    source: str | None = UNSET
    campaign: str | None = UNSET
    region: str | None = UNSET
    industry: str | None = UNSET
    notes: str | None = UNSET
    tags: list[str] | None = UNSET
    score: int | None = UNSET
    next_follow_up_on: date | None = UNSET
    campaign_id: strawberry.ID | None = UNSET
    custom_fields: JSON | None = UNSET


@strawberry.input(description="Record that the lead was worked (a call, a mail): the pool's recycling clock starts again.")
class FollowUpLeadInput:
    lead_id: strawberry.ID
    note: str | None = strawberry.field(default=None, description="What was done, in words.")
    next_follow_up_on: date | None = strawberry.field(default=None, description="When to follow up next.")


@strawberry.input
class LeadIdInput:
    lead_id: strawberry.ID


@strawberry.input
class DisqualifyLeadInput:
    lead_id: strawberry.ID
    reason: str = strawberry.field(description="Why the lead is disqualified.")


@strawberry.input
class ConvertLeadInput:
    lead_id: strawberry.ID
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="Attach to this customer instead of making one.")
    create_opportunity: bool = strawberry.field(default=False, description="Also open an opportunity (needs the sales module).")
    opportunity_name: str | None = strawberry.field(default=None, description="The opportunity's name, with `createOpportunity`.")
    amount: Decimal | None = strawberry.field(default=None, description="The opportunity's amount, in the reporting currency.")


@strawberry.type(description="A record another module made from a conversion (the opportunity, with sales).")
class CreatedRecord:
    resource: str
    id: strawberry.ID


ConvertLeadPayload = crm.payload_type("ConvertLead", lead=t.Lead, customer=t.Customer, contact_id=strawberry.ID,
                                      created=(list[CreatedRecord], "What other modules made from the conversion."))


def _score(value: int) -> int:
    if not 0 <= value <= 100:
        raise Invalid.one("score", "INVALID", "a score is 0 to 100")
    return value


def _tags(values: list[str]) -> list[str]:
    return sorted({clean_text(v, f"tags.{i}", limit=50).lower() for i, v in enumerate(values) if v and v.strip()})


def _strings(values: list[str], field: str) -> list[str]:
    return [clean_text(v, f"{field}.{i}", limit=320) for i, v in enumerate(values) if v and v.strip()]


async def _set_channels(session, lead: Lead) -> None:
    await session.execute(delete(LeadChannel).where(LeadChannel.lead_id == lead.id))
    rows = channel_rows(lead.id, lead.emails, lead.phones)
    if rows:
        await session.execute(insert(LeadChannel), rows)


async def _set_campaign(session, lead: Lead, raw) -> None:
    if raw is None:
        lead.campaign_id = None
        return
    campaign = await session.get(Campaign, parse_id(raw, "campaignId"))
    if campaign is None or campaign.deleted_at is not None:
        raise Invalid.one("campaignId", "NOT_FOUND", "campaign not found")
    lead.campaign_id = campaign.id
    lead.campaign = lead.campaign or campaign.name


async def active_pool(session, raw, field: str = "poolId") -> LeadPool:
    pool = await session.get(LeadPool, parse_id(raw, field))
    if pool is None or pool.deleted_at is not None or not pool.active:
        raise Invalid.one(field, "NOT_FOUND", "no active lead pool with this ID")
    return pool


async def add_lead(session, runtime, access, input: CreateLeadInput) -> Lead:
    """Validate and add one lead (createLead, web forms, imports). `access` is the caller's; a web form has nobody
    logged in (`access.user_id` None): its lead goes by the rules or waits in the pool."""
    pool = await active_pool(session, input.pool_id) if input.pool_id is not None else None
    lead = Lead(
        name=clean_text(input.name, "name", limit=300, required=True), company_name=clean_text(input.company_name, "companyName"),
        title=clean_text(input.title, "title", limit=200), emails=_strings(input.emails, "emails"),
        phones=_strings(input.phones, "phones"), website=clean_text(input.website, "website"),
        source=clean_text(input.source, "source", limit=100), campaign=clean_text(input.campaign, "campaign", limit=200),
        region=clean_text(input.region, "region", limit=100), industry=clean_text(input.industry, "industry", limit=100),
        notes=input.notes, tags=_tags(input.tags), score=_score(input.score), next_follow_up_on=input.next_follow_up_on,
        pool_id=pool.id if pool else None, status="new",
        custom_fields=await crm.clean_custom_fields(session, "lead", input.custom_fields, None),
    )
    channel_rows(0, lead.emails, lead.phones)  # invalid addresses and numbers are refused before anything is written
    if input.campaign_id is not None:
        await _set_campaign(session, lead, input.campaign_id)
    how = None
    if input.owner_id is not None:
        lead.owner_id = await crm.resolve_owner(session, access, input.owner_id, "ownerId", "lead")
    else:
        picked = await crm.assign(runtime, session, "lead", lead)
        if picked is not None:
            lead.owner_id, how = picked.user_id, f"assigned by rule {picked.rule_name}"
        elif pool is None:
            lead.owner_id = access.user_id
    lead.claimed_at = utcnow() if lead.owner_id is not None else None
    session.add(lead)
    await session.flush()
    await _set_channels(session, lead)
    history.record(session, lead, "created", how)
    await scoring.rescore(session, [lead])
    return lead


@strawberry.type
class LeadQuery:
    @strawberry.field(description="Leads the caller may read (their scope, and the waiting leads of their pools).")
    @requires("lead", "read")
    async def leads(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                    last: int | None = None, before: str | None = None, filter: LeadFilter | None = None,
                    order_by: LeadOrder = LeadOrder.CREATED,
                    direction: Annotated[crm.SortDirection, strawberry.argument(description="Ascending or descending.")] = crm.SortDirection.DESC) -> t.LeadConnection:
        stmt = select(Lead).where(visible(info.context), *conditions(filter),
                                  *await crm.custom_field_conditions(info, Lead, "lead", filter.custom_fields if filter else None))
        return await crm.list_page(info, stmt, order=ORDERS[order_by], direction=direction,
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="One lead; null when missing, deleted or not visible to the caller.")
    @requires("lead", "read")
    async def lead(self, info: strawberry.Info, id: strawberry.ID) -> t.Lead | None:
        lead_id = try_parse_id(id)
        return await lead_loader(info.context).load(lead_id) if lead_id else None


@strawberry.type
class LeadMutation:
    @strawberry.mutation(description="Capture a lead. Duplicates (same e-mail or phone) are flagged on `duplicates`, not refused.")
    @requires("lead", "write")
    async def create_lead(self, info: strawberry.Info, input: CreateLeadInput) -> t.LeadPayload:
        async def work(session):
            return t.LeadPayload(lead=await add_lead(session, info.context.runtime, info.context.access, input))

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="Change a lead; CONFLICT when `version` is not the current one.")
    @requires("lead", "write")
    async def update_lead(self, info: strawberry.Info, input: UpdateLeadInput) -> t.LeadPayload:
        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.id, resource="lead", version=input.version)
            if input.name is not UNSET:
                lead.name = clean_text(input.name, "name", limit=300, required=True)
            for field, limit in (("company_name", 300), ("title", 200), ("website", 300), ("source", 100), ("campaign", 200),
                                 ("region", 100), ("industry", 100)):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(lead, field, clean_text(value, field, limit=limit))
            if input.notes is not UNSET:
                lead.notes = input.notes
            if input.tags is not UNSET:
                lead.tags = _tags(input.tags or [])
            if input.score is not UNSET:
                lead.score = _score(input.score or 0)
            if input.next_follow_up_on is not UNSET:
                lead.next_follow_up_on = input.next_follow_up_on
            if input.campaign_id is not UNSET:
                await _set_campaign(session, lead, input.campaign_id)
            if input.custom_fields is not UNSET:
                lead.custom_fields = await crm.clean_custom_fields(session, "lead", input.custom_fields, lead.custom_fields)
            if input.emails is not UNSET or input.phones is not UNSET:
                if input.emails is not UNSET:
                    lead.emails = _strings(input.emails or [], "emails")
                if input.phones is not UNSET:
                    lead.phones = _strings(input.phones or [], "phones")
                await _set_channels(session, lead)
            await scoring.rescore(session, [lead])
            lead.updated_at = utcnow()
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="The lead was worked: its status becomes WORKING and the pool's recycling clock starts again.")
    @requires("lead", "write")
    async def follow_up_lead(self, info: strawberry.Info, input: FollowUpLeadInput) -> t.LeadPayload:
        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.lead_id, resource="lead", field="leadId")
            if lead.status not in OPEN:
                raise Invalid.one("leadId", "INVALID", f"a {lead.status} lead is not followed up any more")
            lead.status, lead.last_follow_up_at, lead.updated_at = "working", utcnow(), utcnow()
            if input.next_follow_up_on is not None:
                lead.next_follow_up_on = input.next_follow_up_on
            history.record(session, lead, "followed_up", clean_text(input.note, "note", limit=500))
            await session.flush()
            await scoring.rescore(session, [lead])
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="Soft delete: the lead leaves lists and pools; restoreLead brings it back.")
    @requires("lead", "write")
    async def delete_lead(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Lead, input.id, resource="lead")

    @strawberry.mutation(description="Bring a deleted lead back.")
    @requires("lead", "write")
    async def restore_lead(self, info: strawberry.Info, input: IdInput) -> t.LeadPayload:
        return await crm.restore(info, Lead, input.id, resource="lead", payload=t.LeadPayload, field="lead")

    @strawberry.mutation(description="The lead is worth pursuing: QUALIFIED (it can still be converted).")
    @requires("lead", "write")
    async def qualify_lead(self, info: strawberry.Info, input: LeadIdInput) -> t.LeadPayload:
        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.lead_id, resource="lead", field="leadId")
            if lead.status not in OPEN:
                raise Invalid.one("leadId", "INVALID", f"a {lead.status} lead cannot be qualified")
            lead.status, lead.updated_at = "qualified", utcnow()
            history.record(session, lead, "qualified")
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="The lead is not worth pursuing: UNQUALIFIED, with the reason.")
    @requires("lead", "write")
    async def disqualify_lead(self, info: strawberry.Info, input: DisqualifyLeadInput) -> t.LeadPayload:
        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.lead_id, resource="lead", field="leadId")
            reason = clean_text(input.reason, "reason", limit=500, required=True)
            if lead.status == "converted":
                raise Invalid.one("leadId", "INVALID", "a converted lead cannot be disqualified")
            lead.status, lead.disqualify_reason, lead.updated_at = "unqualified", reason, utcnow()
            history.record(session, lead, "disqualified", reason)
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="Turn a lead into a customer (or attach it to `customerId`) and a contact, in one "
                         "transaction; with sales enabled, `createOpportunity` opens a deal too. A lead converts once.")
    @requires("lead", "write")
    async def convert_lead(self, info: strawberry.Info, input: ConvertLeadInput) -> ConvertLeadPayload:
        from crm.plugins.leads.conversion import convert

        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.lead_id, resource="lead", field="leadId")
            customer, contact, created = await convert(session, info.context, lead, input)
            return ConvertLeadPayload(lead=lead, customer=customer, contact_id=contact.id,
                                      created=[CreatedRecord(resource=r, id=i) for r, i in created])

        return await mutation(info, ConvertLeadPayload, work)
