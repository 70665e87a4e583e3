"""Campaigns: what they cost, whom they target, and the leads they bring; numbers computed in SQL."""

from __future__ import annotations

import enum
from typing import Annotated, Optional
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import strawberry
from sqlalchemy import and_, case, func, literal, or_, select

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.leads.models import Campaign as CampaignModel
from crm.plugins.leads.models import CampaignMember as Member
from crm.plugins.leads.models import Lead
from crm.plugins.leads.schema.leads import LeadFilter, conditions, visible

UNSET = strawberry.UNSET


@strawberry.enum(description="How a campaign reaches people.")
class CampaignChannel(str, enum.Enum):
    EMAIL = "email"
    PHONE = "phone"
    SEARCH = "search"
    SOCIAL = "social"
    EVENT = "event"
    DIRECT_MAIL = "direct_mail"
    WEB = "web"
    REFERRAL = "referral"


@strawberry.enum(description="Where a campaign is in its life.")
class CampaignStatus(str, enum.Enum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    ABORTED = "aborted"


@strawberry.enum(description="How a member answered: RESPONDED counts towards the response rate.")
class CampaignMemberStatus(str, enum.Enum):
    TARGETED = "targeted"
    SENT = "sent"
    RESPONDED = "responded"
    OPTED_OUT = "opted_out"


@strawberry.enum(description="What each row of a campaign report is for.")
class CampaignGroup(enum.Enum):
    CAMPAIGN = "campaign"
    CHANNEL = "channel"
    SOURCE = "source"


@strawberry.type(description="A marketing campaign: its channel, budget and cost, period, members and the leads it brought.")
class Campaign(crm.Node):
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    channel: CampaignChannel = strawberry.field(description="How it reaches people.")
    status: CampaignStatus = strawberry.field(description="Planned, active, completed or aborted.")
    starts_on: date | None = strawberry.field(description="Its first day.")
    ends_on: date | None = strawberry.field(description="Its last day.")
    currency: str
    budget: Decimal = strawberry.field(description="What it may cost, in its currency.")
    actual_cost: Decimal = strawberry.field(description="What it cost, in its currency.")
    description: str | None = strawberry.field(description="What it is about.")
    owner_id: strawberry.ID
    version: int

    @strawberry.field(description="Its members, in the order they were added.")
    @crm.inherited
    async def members(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None) -> CampaignMemberConnection:
        return await crm.list_page(info, select(Member), order=[Member.id], first=first, after=after, last=last, before=before,
                                   parent=Member.campaign_id, parent_id=self.id)


@strawberry.type(description="A lead or contact a campaign reaches, and whether they responded.")
class CampaignMember:
    id: strawberry.ID
    lead_id: strawberry.ID | None
    contact_id: strawberry.ID | None
    status: CampaignMemberStatus = strawberry.field(description="Targeted, sent, responded or opted out.")
    added_at: datetime = strawberry.field(description="When they were added.")
    responded_at: datetime | None = strawberry.field(description="When they responded.")


@strawberry.type(description="What a campaign brought, counting the leads the caller may read. Money in the campaign's currency. "
                 "Other modules add to it by name (with sales: won revenue and return on investment).")
class CampaignStats:
    campaign_id: strawberry.ID
    currency: str
    members: int = strawberry.field(description="How many it reaches.")
    responded: int = strawberry.field(description="Members who responded.")
    response_rate: float | None = strawberry.field(description="responded / members")
    leads: int = strawberry.field(description="Leads it brought.")
    qualified: int = strawberry.field(description="Leads qualified or converted.")
    converted: int = strawberry.field(description="Of those, leads converted.")
    conversion_rate: float | None = strawberry.field(description="converted / leads")
    cost: Decimal = strawberry.field(description="What it cost, in its currency.")
    cost_per_lead: Decimal | None = strawberry.field(description="cost / leads.")
    cost_per_conversion: Decimal | None = strawberry.field(description="cost / converted.")


@strawberry.type(description="One campaign, channel or lead source of a campaign report.")
class CampaignReportRow:
    key: str = strawberry.field(description="The campaign's name, the channel or the lead source.")
    members: int | None = strawberry.field(description="Members of the campaigns running in the period; null by lead source.")
    responded: int | None = strawberry.field(description="Members who responded; null by lead source.")
    leads: int = strawberry.field(description="Leads created in the period.")
    qualified: int = strawberry.field(description="Of those, leads qualified.")
    converted: int = strawberry.field(description="Of those, leads converted.")
    conversion_rate: float | None = strawberry.field(description="converted / leads.")
    cost: Decimal | None = strawberry.field(description="In the reporting currency; null when grouped by lead source.")
    cost_per_lead: Decimal | None = strawberry.field(description="cost / leads.")
    cost_per_conversion: Decimal | None = strawberry.field(description="cost / converted.")


@strawberry.type(description="Leads and cost of the campaigns of a period, in the reporting currency.")
class CampaignReport:
    currency: str
    rows: list[CampaignReportRow] = strawberry.field(description="One row per campaign, channel or lead source.")
    unconverted: list[crm.UnconvertedAmount] = strawberry.field(description="Campaign costs left out for want of an exchange rate.")


CampaignConnection = crm.connection_type("Campaign", Campaign)
CampaignMemberConnection = crm.connection_type("CampaignMember", CampaignMember)
CampaignPayload = crm.payload_type("Campaign", campaign=Campaign)
CampaignMembersPayload = crm.payload_type("CampaignMembers", added=(int, "Members added (those already in it are skipped)."))
CampaignMemberPayload = crm.payload_type("CampaignMember", member=CampaignMember)
CampaignTasksPayload = crm.payload_type("CampaignTasks", created=(int, "Tasks created (members without an owner get none)."))
EXPORT_LIMIT = 50_000


@strawberry.input
class CreateCampaignInput:
    name: str
    channel: CampaignChannel
    status: CampaignStatus = CampaignStatus.PLANNED
    starts_on: date | None = None
    ends_on: date | None = None
    currency: str | None = strawberry.field(default=None, description="Defaults to the reporting currency.")
    budget: Decimal = Decimal(0)
    actual_cost: Decimal = Decimal(0)
    description: str | None = None
    owner_id: strawberry.ID | None = None


@strawberry.input(description="Change a campaign; only the fields given change.")
class UpdateCampaignInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    channel: CampaignChannel | None = UNSET
    status: CampaignStatus | None = UNSET
    starts_on: date | None = UNSET
    ends_on: date | None = UNSET
    budget: Decimal | None = UNSET
    actual_cost: Decimal | None = UNSET
    description: str | None = UNSET


@strawberry.input(description="Add members at once: by id, or every lead or customer a list filter finds (their contacts).")
class AddCampaignMembersInput:
    campaign_id: strawberry.ID
    lead_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    contact_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    lead_filter: LeadFilter | None = strawberry.field(default=None, description="Add the leads this filter lists (those the caller may read).")
    customer_filter: crm.CustomerFilter | None = strawberry.field(default=None, description="Add the contacts of the customers this filter lists.")


@strawberry.input(description="A task for the owner of each member (a lead's owner; the customer's owner for a contact).")
class CreateCampaignTasksInput:
    campaign_id: strawberry.ID
    subject: str = strawberry.field(description="The task's subject.")
    due_at: datetime | None = strawberry.field(default=None, description="When the tasks are due.")
    status: CampaignMemberStatus | None = strawberry.field(default=None, description="Only members with this status.")


@strawberry.input
class SetCampaignMemberStatusInput:
    member_id: strawberry.ID = strawberry.field(description="The campaign member, by id.")
    status: CampaignMemberStatus = strawberry.field(description="The new status.")


def _money(value: Decimal, field: str) -> Decimal:
    if value < 0:
        raise Invalid.one(field, "INVALID", f"{field} cannot be negative")
    return value


def _dates(campaign: CampaignModel) -> None:
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise Invalid.one("endsOn", "INVALID", "a campaign ends on or after it starts")


async def _unique_name(session, name: str, own_id: int | None) -> str:
    if await session.scalar(select(CampaignModel.id).where(CampaignModel.name == name, CampaignModel.id != (own_id or 0))):
        raise Invalid.one("name", "DUPLICATE", f"a campaign named {name} exists already")
    return name


def _rate(part, whole):
    return round(part / whole, 4) if whole else None


def _per(cost: Decimal | None, count: int, currency: str) -> Decimal | None:
    return crm.round_money(cost / count, currency) if cost is not None and count else None


def _lead_counts():
    return (func.count(Lead.id).label("leads"),
            func.coalesce(func.sum(case((Lead.status.in_(("qualified", "converted")), 1), else_=0)), 0).label("qualified"),
            func.coalesce(func.sum(case((Lead.status == "converted", 1), else_=0)), 0).label("converted"))


async def _insert_members(session, campaign_id: int, column, ids, now) -> int:
    """Every record `ids` selects becomes a member, in one INSERT ... SELECT; those in the campaign already are kept."""
    rows = ids.add_columns(literal(campaign_id, crm.ID), literal("targeted"), literal(now, crm.UTCDateTime()))
    stmt = crm.upsert(session, Member).from_select([column, "campaign_id", "status", "added_at"], rows).on_conflict_do_nothing()
    return len((await session.execute(stmt.returning(Member.id))).all())


def _lead_members(ctx, campaign_id: int, status: str | None):
    stmt = (select(Member.id.label("member_id"), Member.status, Lead.id.label("lead_id"), Lead.name, Lead.emails, Lead.phones,
                   Lead.owner_id).join(Lead, Lead.id == Member.lead_id)
            .where(Member.campaign_id == campaign_id, Lead.deleted_at.is_(None), visible(ctx)))
    return stmt.where(Member.status == status) if status else stmt


def _contact_members(ctx, campaign_id: int, status: str | None):
    channel = crm.Channel.__table__
    first = lambda kind: (select(func.min(channel.c.value)).where(channel.c.contact_id == crm.Contact.id, channel.c.kind == kind)  # noqa: E731
                          .correlate(crm.Contact).scalar_subquery())
    stmt = (select(Member.id.label("member_id"), Member.status, crm.Contact.id.label("contact_id"), crm.Contact.name,
                   crm.Contact.customer_id, crm.Customer.owner_id, first("email").label("email"), first("phone").label("phone"))
            .join(crm.Contact, crm.Contact.id == Member.contact_id).join(crm.Customer, crm.Customer.id == crm.Contact.customer_id)
            .where(Member.campaign_id == campaign_id, crm.Contact.deleted_at.is_(None), crm.Customer.deleted_at.is_(None),
                   ctx.access.filter(crm.Customer, "customer"), ctx.access.filter(crm.Contact, "contact")))
    return stmt.where(Member.status == status) if status else stmt


@strawberry.type
class CampaignQuery:
    @strawberry.field(description="Campaigns the caller may read, newest first.")
    @requires("campaign", "read")
    async def campaigns(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None,
                        status: Annotated[CampaignStatus | None, strawberry.argument(description="Only campaigns in this status.")] = None,
                        channel: Annotated[CampaignChannel | None, strawberry.argument(description="Only campaigns of this channel.")] = None) -> CampaignConnection:
        stmt = select(CampaignModel).where(CampaignModel.deleted_at.is_(None), info.context.access.filter(CampaignModel, "campaign"))
        if status:
            stmt = stmt.where(CampaignModel.status == status.value)
        if channel:
            stmt = stmt.where(CampaignModel.channel == channel.value)
        return await crm.list_page(info, stmt, order=[CampaignModel.id], direction=crm.SortDirection.DESC,
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="One campaign; null when there is none the caller may read.")
    @requires("campaign", "read")
    async def campaign(self, info: strawberry.Info, id: strawberry.ID) -> Campaign | None:
        cid = try_parse_id(id)
        return await crm.visible_loader(info.context, CampaignModel, "campaign").load(cid) if cid else None

    @strawberry.field(description="Members, responses, leads, qualified, converted and what each cost; null outside the caller's scope.")
    @requires("campaign", "read")
    async def campaign_stats(self, info: strawberry.Info, campaign_id: strawberry.ID) -> Optional[crm.api_type("CampaignStats")]:  # noqa: UP007 - lazy
        ctx = info.context
        campaign = await crm.visible_loader(ctx, CampaignModel, "campaign").load(try_parse_id(campaign_id) or 0)
        if campaign is None:
            return None
        members = select(func.count(Member.id), func.coalesce(func.sum(case((Member.status == "responded", 1), else_=0)), 0)).where(
            Member.campaign_id == campaign.id)
        leads = select(*_lead_counts()).where(Lead.campaign_id == campaign.id, Lead.deleted_at.is_(None), visible(ctx))
        async with ctx.db.read() as session:
            total, responded = (await session.execute(members)).one()
            n, qualified, converted = (await session.execute(leads)).one()
        cost = campaign.actual_cost
        return CampaignStats(campaign_id=campaign.id, currency=campaign.currency, members=total, responded=responded,
                             response_rate=_rate(responded, total), leads=n, qualified=qualified, converted=converted,
                             conversion_rate=_rate(converted, n), cost=cost, cost_per_lead=_per(cost, n, campaign.currency),
                             cost_per_conversion=_per(cost, converted, campaign.currency))

    @strawberry.field(description="Leads created in the period (those the caller may read) by campaign, channel or source, with "
                      "what the campaigns running in the period cost, in the reporting currency.")
    @requires("campaign", "read")
    async def campaign_report(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                              group_by: CampaignGroup = CampaignGroup.CAMPAIGN) -> CampaignReport:
        ctx = info.context
        if to < from_:
            raise crm.bad_input("to", "to is before from")
        lo, hi = datetime.combine(from_, time(), UTC), datetime.combine(to + timedelta(days=1), time(), UTC)
        key = {CampaignGroup.CAMPAIGN: CampaignModel.name, CampaignGroup.CHANNEL: CampaignModel.channel,
               CampaignGroup.SOURCE: func.coalesce(Lead.source, "")}[group_by]
        leads = (select(key.label("key"), *_lead_counts()).select_from(Lead)
                 .join(CampaignModel, CampaignModel.id == Lead.campaign_id, isouter=group_by == CampaignGroup.SOURCE)
                 .where(Lead.deleted_at.is_(None), Lead.created_at >= lo, Lead.created_at < hi, visible(ctx)))
        if group_by != CampaignGroup.SOURCE:
            leads = leads.where(CampaignModel.deleted_at.is_(None), ctx.access.filter(CampaignModel, "campaign"))
        costs: dict[str, Decimal] = {}
        members: dict[str, tuple[int, int]] = {}
        conv = await crm.Conversion.for_request(ctx)
        missing = crm.Unconverted()
        async with ctx.db.read() as session:
            counted = (await session.execute(leads.group_by(key))).all()
            if group_by != CampaignGroup.SOURCE:
                running = and_(CampaignModel.deleted_at.is_(None), ctx.access.filter(CampaignModel, "campaign"),
                               or_(CampaignModel.starts_on.is_(None), CampaignModel.starts_on <= to),
                               or_(CampaignModel.ends_on.is_(None), CampaignModel.ends_on >= from_))
                fx = conv.at(CampaignModel.currency, func.coalesce(CampaignModel.starts_on, literal(utcnow().date())))
                raw = crm.money_raw(CampaignModel.actual_cost)
                per = fx.rows(select(key.label("key"), CampaignModel.currency, fx.amount(raw).label("cost"), *fx.flags(raw, "cost")).where(running))
                reached = (select(key.label("key"), func.count(Member.id), func.coalesce(func.sum(case((Member.status == "responded", 1), else_=0)), 0))
                           .select_from(Member).join(CampaignModel, CampaignModel.id == Member.campaign_id).where(running).group_by(key))
                members = {k: (n, r) for k, n, r in (await session.execute(reached)).all()}
                summed = select(per.c.key, per.c.currency, func.sum(per.c.cost), func.sum(per.c.missing), func.sum(per.c.missing_cost))
                for k, currency, amount, missing_count, missing_raw in (await session.execute(summed.group_by(per.c.key, per.c.currency))).all():
                    costs[k] = costs.get(k, Decimal(0)) + crm.raw_to_money(amount or 0)
                    if missing_count:
                        missing.add(currency, missing_count, missing_raw)
        currency = ctx.settings.currency
        keys = sorted({r.key for r in counted} | set(costs) | set(members))
        by_key = {r.key: r for r in counted}
        rows = []
        for k in keys:
            r = by_key.get(k)
            n, q, c = (r.leads, r.qualified, r.converted) if r else (0, 0, 0)
            cost = costs.get(k, Decimal(0)) if group_by != CampaignGroup.SOURCE else None
            reach = members.get(k, (0, 0)) if group_by != CampaignGroup.SOURCE else (None, None)
            rows.append(CampaignReportRow(key=k, members=reach[0], responded=reach[1], leads=n, qualified=q, converted=c,
                                          conversion_rate=_rate(c, n),
                                          cost=crm.round_money(cost, currency) if cost is not None else None,
                                          cost_per_lead=_per(cost, n, currency), cost_per_conversion=_per(cost, c, currency)))
        return CampaignReport(currency=currency, rows=rows, unconverted=crm.unconverted_list(missing))


    @strawberry.field(description="The campaign's members the caller may read as CSV (kind, name, email, phone, status, owner), "
                      "for a mailing tool; at most 50,000 rows.")
    @requires("campaign", "read")
    async def export_campaign_members(self, info: strawberry.Info, campaign_id: strawberry.ID,
                                      status: Annotated[CampaignMemberStatus | None, strawberry.argument(description="Only members in this status.")] = None) -> str:
        import csv
        import io

        ctx = info.context
        campaign = await crm.visible_loader(ctx, CampaignModel, "campaign").load(try_parse_id(campaign_id) or 0)
        if campaign is None:
            raise crm.bad_input("campaignId", "campaign not found")
        wanted = status.value if status else None
        async with ctx.db.read() as session:
            leads = (await session.execute(_lead_members(ctx, campaign.id, wanted).order_by(Member.id).limit(EXPORT_LIMIT))).all()
            contacts = (await session.execute(_contact_members(ctx, campaign.id, wanted).order_by(Member.id).limit(EXPORT_LIMIT))).all()
            owners = {u.id: u.email for u in (await session.scalars(select(crm.User).where(
                crm.User.id.in_({r.owner_id for r in (*leads, *contacts) if r.owner_id})))).all()}
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["kind", "name", "email", "phone", "status", "owner"])
        for r in leads:
            writer.writerow(["lead", r.name, (r.emails or [""])[0], (r.phones or [""])[0], r.status, owners.get(r.owner_id, "")])
        for r in contacts:
            writer.writerow(["contact", r.name, r.email or "", r.phone or "", r.status, owners.get(r.owner_id, "")])
        return out.getvalue()


@strawberry.type
class CampaignMutation:
    @strawberry.mutation(description="Add a campaign.")
    @requires("campaign", "write")
    async def create_campaign(self, info: strawberry.Info, input: CreateCampaignInput) -> CampaignPayload:
        ctx = info.context

        async def work(session):
            campaign = CampaignModel(
                name=await _unique_name(session, clean_text(input.name, "name", limit=200, required=True), None),
                channel=input.channel.value, status=input.status.value, starts_on=input.starts_on, ends_on=input.ends_on,
                currency=crm.currency_code(input.currency, ctx.settings.currency), budget=_money(input.budget, "budget"),
                actual_cost=_money(input.actual_cost, "actualCost"), description=input.description,
                owner_id=await crm.resolve_owner(session, ctx.access, input.owner_id, "ownerId", "campaign") if input.owner_id else ctx.user_id,
            )
            _dates(campaign)
            session.add(campaign)
            await session.flush()
            return CampaignPayload(campaign=campaign)

        return await mutation(info, CampaignPayload, work)

    @strawberry.mutation(description="Change a campaign; CONFLICT when `version` is not the current one.")
    @requires("campaign", "write")
    async def update_campaign(self, info: strawberry.Info, input: UpdateCampaignInput) -> CampaignPayload:
        async def work(session):
            campaign = await fetch_for_write(session, info, CampaignModel, input.id, resource="campaign", version=input.version)
            if input.name is not UNSET:
                campaign.name = await _unique_name(session, clean_text(input.name, "name", limit=200, required=True), campaign.id)
            for field in ("channel", "status"):
                value = getattr(input, field)
                if value is not UNSET:
                    if value is None:
                        raise Invalid.one(field, "REQUIRED", f"a campaign has a {field}")
                    setattr(campaign, field, value.value)
            for field in ("starts_on", "ends_on", "description"):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(campaign, field, value)
            for field, name in (("budget", "budget"), ("actual_cost", "actualCost")):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(campaign, field, _money(value or Decimal(0), name))
            _dates(campaign)
            campaign.updated_at = utcnow()
            return CampaignPayload(campaign=campaign)

        return await mutation(info, CampaignPayload, work)

    @strawberry.mutation(description="Soft delete; restoreCampaign brings it back with its members.")
    @requires("campaign", "write")
    async def delete_campaign(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, CampaignModel, input.id, resource="campaign")

    @strawberry.mutation(description="Bring a deleted campaign back.")
    @requires("campaign", "write")
    async def restore_campaign(self, info: strawberry.Info, input: IdInput) -> CampaignPayload:
        return await crm.restore(info, CampaignModel, input.id, resource="campaign", payload=CampaignPayload, field="campaign")

    @strawberry.mutation(description="Target leads and customers' contacts the caller may read, in one statement per kind.")
    @requires("campaign", "write")
    async def add_campaign_members(self, info: strawberry.Info, input: AddCampaignMembersInput) -> CampaignMembersPayload:
        ctx = info.context

        async def work(session):
            campaign = await fetch_for_write(session, info, CampaignModel, input.campaign_id, resource="campaign", field="campaignId")
            now = utcnow()
            lead_conds = []
            if input.lead_ids:
                lead_conds.append(Lead.id.in_([parse_id(x, f"leadIds.{i}") for i, x in enumerate(input.lead_ids)]))
            if input.lead_filter is not None:
                lead_conds.append(and_(*conditions(input.lead_filter)))
            contact_conds = []
            if input.contact_ids:
                contact_conds.append(crm.Contact.id.in_([parse_id(x, f"contactIds.{i}") for i, x in enumerate(input.contact_ids)]))
            if input.customer_filter is not None:
                customers = select(crm.Customer.id).where(ctx.access.filter(crm.Customer, "customer"),
                                                          *await crm.customer_filter(info, input.customer_filter))
                contact_conds.append(crm.Contact.customer_id.in_(customers))
            if not (lead_conds or contact_conds):
                raise Invalid.one(None, "REQUIRED", "name leads or contacts, or give a lead or customer filter")
            added = 0
            if lead_conds:
                leads = select(Lead.id).where(or_(*lead_conds), Lead.deleted_at.is_(None), visible(ctx))
                added += await _insert_members(session, campaign.id, "lead_id", leads, now)
            if contact_conds:
                contacts = select(crm.Contact.id).where(or_(*contact_conds), crm.Contact.deleted_at.is_(None),
                                                        ctx.access.filter(crm.Contact, "contact"))
                added += await _insert_members(session, campaign.id, "contact_id", contacts, now)
            return CampaignMembersPayload(added=added)

        return await mutation(info, CampaignMembersPayload, work)

    @strawberry.mutation(description="Record how a member answered; RESPONDED stamps the response time.")
    @requires("campaign", "write")
    async def set_campaign_member_status(self, info: strawberry.Info, input: SetCampaignMemberStatusInput) -> CampaignMemberPayload:
        async def work(session):
            member = await session.get(Member, parse_id(input.member_id, "memberId"))
            if member is None:
                raise Invalid.one("memberId", "NOT_FOUND", "campaign member not found")
            await fetch_for_write(session, info, CampaignModel, member.campaign_id, resource="campaign", field="memberId")
            member.status = input.status.value
            member.responded_at = utcnow() if input.status == CampaignMemberStatus.RESPONDED else member.responded_at
            return CampaignMemberPayload(member=member)

        return await mutation(info, CampaignMemberPayload, work)

    @strawberry.mutation(description="Follow-up tasks for the campaign's members: one per member the caller may read that has "
                         "an owner, assigned to that owner (a lead's task is about the lead, a contact's is on its customer).")
    @requires("activity", "write")
    async def create_campaign_tasks(self, info: strawberry.Info, input: CreateCampaignTasksInput) -> CampaignTasksPayload:
        ctx = info.context

        async def work(session):
            campaign = await fetch_for_write(session, info, CampaignModel, input.campaign_id, resource="campaign", field="campaignId",
                                             action="read")
            subject = clean_text(input.subject, "subject", limit=500, required=True)
            wanted = input.status.value if input.status else None
            now = utcnow()

            def task(**fields):
                return crm.Activity(kind="task", subject=subject, occurred_at=now, due_at=input.due_at, done=False,
                                    owner_id=ctx.user_id, **fields)

            leads = (await session.execute(_lead_members(ctx, campaign.id, wanted).where(Lead.owner_id.is_not(None)))).all()
            contacts = (await session.execute(_contact_members(ctx, campaign.id, wanted))).all()
            tasks = [task(customer_id=None, record_type="lead", record_id=str(r.lead_id), assignee_id=r.owner_id) for r in leads]
            on_contacts = [(r.contact_id, task(customer_id=r.customer_id, assignee_id=r.owner_id)) for r in contacts]
            session.add_all([*tasks, *(t for _, t in on_contacts)])
            await session.flush()
            session.add_all(crm.ActivityContact(activity_id=t.id, contact_id=c) for c, t in on_contacts)
            return CampaignTasksPayload(created=len(tasks) + len(on_contacts))

        return await mutation(info, CampaignTasksPayload, work)
