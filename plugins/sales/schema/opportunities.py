"""Opportunities: create, change, move through stages, win, lose, reopen; lists filtered by scope in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import strawberry
from sqlalchemy import delete, func, select
from strawberry.scalars import JSON

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.sales import history
from crm.plugins.catalogue.lines import LineInput, build_lines, totals
from crm.plugins.sales.models import Opportunity, OpportunityContact, OpportunityLine, Pipeline, Stage, StageVisit
from crm.plugins.catalogue.pricing import price_for_customer
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.enums import OpportunityStatus

UNSET = strawberry.UNSET


@strawberry.input
class OpportunityFilter:
    customer_id: strawberry.ID | None = None
    pipeline_id: strawberry.ID | None = None
    stage_id: strawberry.ID | None = None
    status: OpportunityStatus | None = strawberry.field(default=None, description="Only open, won or lost deals.")
    owner_id: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="Name contains this, ignoring case.")
    source: str | None = strawberry.field(default=None, description="Lead source, ignoring case.")
    campaign: str | None = strawberry.field(default=None, description="Campaign, ignoring case.")
    amount_min: Decimal | None = strawberry.field(default=None, description="Amount at least this, in the deal's own currency.")
    amount_max: Decimal | None = strawberry.field(default=None, description="Amount at most this, in the deal's own currency.")
    expected_close_from: date | None = strawberry.field(default=None, description="Expected close date on or after.")
    expected_close_to: date | None = strawberry.field(default=None, description="Expected close date on or before.")
    closed_from: date | None = strawberry.field(default=None, description="Won or lost on or after this day (UTC).")
    closed_to: date | None = strawberry.field(default=None, description="Won or lost on or before this day (UTC).")
    close_from: date | None = strawberry.field(description="Expected close date on or after (deprecated: expectedCloseFrom).", default=None, deprecation_reason="Use expectedCloseFrom (the name says which date).")
    close_to: date | None = strawberry.field(description="Expected close date on or before (deprecated: expectedCloseTo).", default=None, deprecation_reason="Use expectedCloseTo (the name says which date).")
    custom_fields: list[crm.CustomFieldFilter] | None = strawberry.field(default=None, description="All of these must match.")
    deleted: bool = strawberry.field(default=False, description="True: only deleted deals; false (the default): only those that are not.")


def opportunity_conditions(f: OpportunityFilter | None) -> list:
    f = f or OpportunityFilter()
    conds = [Opportunity.deleted_at.is_not(None) if f.deleted else Opportunity.deleted_at.is_(None)]
    for column, raw in ((Opportunity.customer_id, f.customer_id), (Opportunity.pipeline_id, f.pipeline_id),
                        (Opportunity.stage_id, f.stage_id), (Opportunity.owner_id, f.owner_id)):
        if raw is not None:
            conds.append(column == try_parse_id(raw))
    if f.status:
        conds.append(Opportunity.status == f.status.value)
    if term := crm.search_term(f.search):
        conds.append(Opportunity.name.ilike(f"%{term}%"))
    for column, value in ((Opportunity.source, f.source), (Opportunity.campaign, f.campaign)):
        if value and value.strip():
            conds.append(func.lower(column) == value.strip().lower())
    if f.amount_min is not None:
        conds.append(Opportunity.amount >= f.amount_min)
    if f.amount_max is not None:
        conds.append(Opportunity.amount <= f.amount_max)
    expected_from, expected_to = f.expected_close_from or f.close_from, f.expected_close_to or f.close_to
    if expected_from:
        conds.append(Opportunity.expected_close_date >= expected_from)
    if expected_to:
        conds.append(Opportunity.expected_close_date <= expected_to)
    if f.closed_from:
        conds.append(Opportunity.closed_at >= datetime.combine(f.closed_from, time(), UTC))
    if f.closed_to:
        conds.append(Opportunity.closed_at < datetime.combine(f.closed_to + timedelta(days=1), time(), UTC))
    return conds


async def opportunity_filter(info, f: OpportunityFilter | None) -> list:
    """Every condition of an opportunity filter, custom fields included (their types come from the definitions)."""
    custom = await crm.custom_field_conditions(info, Opportunity, "opportunity", f.custom_fields if f else None)
    return [*opportunity_conditions(f), *custom]


async def list_opportunities(info, first, after, conditions, customer_id: int | None = None,
                             last: int | None = None, before: str | None = None) -> t.OpportunityConnection:
    """Opportunities the caller may read, newest first; with `customer_id`, one customer's, read for every customer
    of a list at once."""
    stmt = select(Opportunity).where(info.context.access.filter(Opportunity, "opportunity"), *conditions)
    return await crm.list_page(info, stmt, order=[Opportunity.id], direction=crm.SortDirection.DESC,
                               first=first, after=after, last=last, before=before,
                               parent=Opportunity.customer_id if customer_id is not None else None, parent_id=customer_id)


@strawberry.input
class CreateOpportunityInput:
    name: str
    customer_id: strawberry.ID
    pipeline_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the default pipeline.")
    stage_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the pipeline's first stage.")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the caller.")
    amount: Decimal | None = strawberry.field(default=None, description="Defaults to the lines' net total, or 0.")
    currency: str | None = strawberry.field(default=None, description="Defaults to the reporting currency.")
    probability: int | None = strawberry.field(default=None, description="Percent; defaults to the stage's.")
    expected_close_date: date | None = None
    source: str | None = None
    campaign: str | None = None
    competitors: list[str] | None = None
    next_step: str | None = None
    contact_ids: list[strawberry.ID] | None = None
    lines: list[LineInput] | None = None
    opened_at: datetime | None = strawberry.field(default=None, description="When the deal was opened; defaults to now (set it when importing).")
    custom_fields: JSON | None = strawberry.field(default=None, description="Values of the custom fields admins defined for opportunities, by key.")


@strawberry.input(description="Change an opportunity; only the fields given change. Stages move with moveOpportunity.")
class UpdateOpportunityInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    amount: Decimal | None = UNSET
    currency: str | None = UNSET
    probability: int | None = strawberry.field(default=UNSET, description="null goes back to the stage's probability.")
    expected_close_date: date | None = UNSET
    source: str | None = UNSET
    campaign: str | None = UNSET
    competitors: list[str] | None = UNSET
    next_step: str | None = UNSET
    contact_ids: list[strawberry.ID] | None = UNSET
    lines: list[LineInput] | None = UNSET
    owner_id: strawberry.ID | None = UNSET
    custom_fields: JSON | None = strawberry.field(default=UNSET, description="The custom fields given change; the others stay.")


@strawberry.input
class MoveOpportunityInput:
    id: strawberry.ID
    stage_id: strawberry.ID
    version: int
    at: datetime | None = strawberry.field(default=None, description="When it moved; defaults to now.")


@strawberry.input
class WinOpportunityInput:
    id: strawberry.ID
    version: int
    closed_at: datetime | None = strawberry.field(default=None, description="Defaults to now; set it to record history.")


@strawberry.input
class LoseOpportunityInput:
    id: strawberry.ID
    version: int
    reason: str = strawberry.field(description="Why it was lost.")
    closed_at: datetime | None = strawberry.field(default=None, description="When it was lost; now when left out.")


@strawberry.input
class ReopenOpportunityInput:
    id: strawberry.ID
    version: int
    stage_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the last open stage it was in.")
    at: datetime | None = strawberry.field(default=None, description="When it reopened; now when left out.")


def _probability(value: int) -> int:
    if not 0 <= value <= 100:
        raise Invalid.one("probability", "INVALID", "probability is a percentage from 0 to 100")
    return value


def _amount(value: Decimal) -> Decimal:
    if value < 0:
        raise Invalid.one("amount", "INVALID", "an amount cannot be negative")
    return value


async def _set_contacts(session, ctx, opp: Opportunity, raw_ids) -> None:
    ids = [parse_id(raw, f"contactIds.{i}") for i, raw in enumerate(raw_ids or [])]
    if ids:
        found = set((await session.scalars(select(crm.Contact.id).where(
            crm.Contact.id.in_(ids), crm.Contact.customer_id == opp.customer_id, crm.Contact.deleted_at.is_(None),
            ctx.access.filter(crm.Contact, "contact"),
        ))).all())
        for i, contact_id in enumerate(ids):
            if contact_id not in found:
                raise Invalid.one(f"contactIds.{i}", "NOT_FOUND", "no such contact at this customer")
    await session.execute(delete(OpportunityContact).where(OpportunityContact.opportunity_id == opp.id))
    session.add_all(OpportunityContact(opportunity_id=opp.id, contact_id=c) for c in dict.fromkeys(ids))


async def _set_lines(session, opp: Opportunity, inputs) -> Decimal:
    await session.execute(delete(OpportunityLine).where(OpportunityLine.opportunity_id == opp.id))

    async def price(product):
        return await price_for_customer(session, product, opp.customer_id, opp.currency, utcnow().date())

    lines = await build_lines(session, OpportunityLine, inputs or [], price, opp.currency, opportunity_id=opp.id)
    seen = set()
    for line in lines:  # see OpportunityLine.product_first
        line.product_first = line.product_id is None or line.product_id not in seen
        seen.add(line.product_id)
    session.add_all(lines)
    return totals(lines)[0]


async def add_opportunity(session, ctx, input: CreateOpportunityInput) -> Opportunity:
    """Validate and open one opportunity as the caller of `ctx` (a request's context): what createOpportunity does, and
    what other modules call to open a deal (the leads bridge, on conversion)."""
    stmt = select(crm.Customer).where(crm.Customer.id == parse_id(input.customer_id, "customerId"))
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # a merge of this customer waits, or has moved it already
    customer = await session.scalar(stmt)
    if customer is None or customer.deleted_at is not None or not await ctx.access.permits("customer", "read", customer.owner_id):
        raise Invalid.one("customerId", "NOT_FOUND", "customer not found")
    if input.pipeline_id is not None:
        pipeline = await session.get(Pipeline, parse_id(input.pipeline_id, "pipelineId"))
    else:
        pipeline = await session.scalar(select(Pipeline).where(Pipeline.is_default.is_(True), Pipeline.deleted_at.is_(None)))
    if pipeline is None or pipeline.deleted_at is not None:
        raise Invalid.one("pipelineId", "NOT_FOUND", "pipeline not found")
    if input.stage_id is not None:
        stage = await history.stage_in_pipeline(session, input.stage_id, pipeline.id)
    else:
        stage = await history.stage_of_kind(session, pipeline.id, "open")
    opened_at = history.check_time(input.opened_at, None, "openedAt")
    owner_id = await crm.resolve_owner(session, ctx.access, input.owner_id, "ownerId", "opportunity") if input.owner_id else ctx.user_id
    opp = Opportunity(
        name=clean_text(input.name, "name", limit=300, required=True), customer_id=customer.id, pipeline_id=pipeline.id,
        stage_id=stage.id, status=stage.kind, owner_id=owner_id, amount=_amount(input.amount or Decimal(0)),
        currency=crm.currency_code(input.currency, ctx.settings.currency),
        probability=_probability(input.probability) if input.probability is not None else stage.probability,
        probability_set=input.probability is not None, expected_close_date=input.expected_close_date,
        source=clean_text(input.source, "source", limit=100), campaign=clean_text(input.campaign, "campaign", limit=200),
        competitors=[c.strip() for c in input.competitors or [] if c.strip()], next_step=input.next_step,
        opened_at=opened_at, stage_entered_at=opened_at,
        custom_fields=await crm.clean_custom_fields(session, "opportunity", input.custom_fields, None),
    )
    session.add(opp)
    await session.flush()
    await history.enter_stage(session, opp, stage, opened_at)
    if input.probability is not None:
        opp.probability = input.probability
    await _set_contacts(session, ctx, opp, input.contact_ids)
    if input.lines:
        net = await _set_lines(session, opp, input.lines)
        if input.amount is None:
            opp.amount = net
    history.snapshot(session, opp, opened_at)
    return opp


@strawberry.type
class OpportunityQuery:
    @strawberry.field(description="Opportunities the caller may read, newest first.")
    @requires("opportunity", "read")
    async def opportunities(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                            last: int | None = None, before: str | None = None,
                            filter: OpportunityFilter | None = None) -> t.OpportunityConnection:
        return await list_opportunities(info, first, after, await opportunity_filter(info, filter), last=last, before=before)

    @strawberry.field(description="One opportunity; null when missing, deleted or outside the caller's scope.")
    @requires("opportunity", "read")
    async def opportunity(self, info: strawberry.Info, id: strawberry.ID) -> t.Opportunity | None:
        opp_id = try_parse_id(id)
        return await crm.visible_loader(info.context, Opportunity, "opportunity").load(opp_id) if opp_id else None


@strawberry.type
class OpportunityMutation:
    @strawberry.mutation(description="Open an opportunity; it starts in its pipeline's first stage unless told otherwise.")
    @requires("opportunity", "write")
    async def create_opportunity(self, info: strawberry.Info, input: CreateOpportunityInput) -> t.OpportunityPayload:
        async def work(session):
            return t.OpportunityPayload(opportunity=await add_opportunity(session, info.context, input))

        return await mutation(info, t.OpportunityPayload, work)

    @strawberry.mutation(description="Change an opportunity; refused with CONFLICT when `version` is not the current one.")
    @requires("opportunity", "write")
    async def update_opportunity(self, info: strawberry.Info, input: UpdateOpportunityInput) -> t.OpportunityPayload:
        async def work(session):
            opp = await fetch_for_write(session, info, Opportunity, input.id, resource="opportunity", version=input.version)
            before = (opp.amount, opp.probability, opp.expected_close_date)
            if input.name is not UNSET:
                opp.name = clean_text(input.name, "name", limit=300, required=True)
            if input.currency is not UNSET:
                opp.currency = crm.currency_code(input.currency, info.context.settings.currency)
            if input.lines is not UNSET:
                net = await _set_lines(session, opp, input.lines)
                if input.amount is UNSET:
                    opp.amount = net
            if input.amount is not UNSET:
                opp.amount = _amount(input.amount if input.amount is not None else Decimal(0))
            if input.probability is not UNSET:
                if opp.status != "open":
                    raise Invalid.one("probability", "INVALID", "a closed opportunity's probability follows its outcome")
                if input.probability is None:
                    stage = await session.get(Stage, opp.stage_id)
                    opp.probability, opp.probability_set = stage.probability, False
                else:
                    opp.probability, opp.probability_set = _probability(input.probability), True
            if input.expected_close_date is not UNSET:
                opp.expected_close_date = input.expected_close_date
            for field, limit in (("source", 100), ("campaign", 200)):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(opp, field, clean_text(value, field, limit=limit))
            if input.competitors is not UNSET:
                opp.competitors = [c.strip() for c in input.competitors or [] if c.strip()]
            if input.next_step is not UNSET:
                opp.next_step = input.next_step
            if input.contact_ids is not UNSET:
                await _set_contacts(session, info.context, opp, input.contact_ids)
            if input.custom_fields is not UNSET:
                opp.custom_fields = await crm.clean_custom_fields(session, "opportunity", input.custom_fields, opp.custom_fields)
            if input.owner_id is not UNSET:
                if input.owner_id is None:
                    raise Invalid.one("ownerId", "REQUIRED", "every opportunity has an owner")
                opp.owner_id = await crm.resolve_owner(session, info.context.access, input.owner_id, "ownerId", "opportunity")
            opp.updated_at = utcnow()
            if (opp.amount, opp.probability, opp.expected_close_date) != before:
                history.snapshot(session, opp, utcnow())
            return t.OpportunityPayload(opportunity=opp)

        return await mutation(info, t.OpportunityPayload, work)

    @strawberry.mutation(description="Move an open opportunity to another stage of its pipeline (won and lost stages: use win/lose).")
    @requires("opportunity", "write")
    async def move_opportunity(self, info: strawberry.Info, input: MoveOpportunityInput) -> t.OpportunityPayload:
        async def work(session):
            opp = await fetch_for_write(session, info, Opportunity, input.id, resource="opportunity", version=input.version)
            if opp.status != "open":
                raise Invalid.one("id", "INVALID", f"this opportunity is {opp.status}; reopen it first")
            stage = await history.stage_in_pipeline(session, input.stage_id, opp.pipeline_id)
            if stage.kind != "open":
                raise Invalid.one("stageId", "INVALID", f"use {'win' if stage.kind == 'won' else 'lose'}Opportunity to close it")
            if stage.id == opp.stage_id:
                raise Invalid.one("stageId", "INVALID", "the opportunity is in this stage already")
            at = history.check_time(input.at, opp, "at")
            await history.enter_stage(session, opp, stage, at)
            history.snapshot(session, opp, at)
            return t.OpportunityPayload(opportunity=opp)

        return await mutation(info, t.OpportunityPayload, work)

    @strawberry.mutation(description="Mark a deal won: it moves to the pipeline's won stage.")
    @requires("opportunity", "write")
    async def win_opportunity(self, info: strawberry.Info, input: WinOpportunityInput) -> t.OpportunityPayload:
        return await _close(info, input.id, input.version, "won", input.closed_at, None)

    @strawberry.mutation(description="Mark a deal lost, with the reason.")
    @requires("opportunity", "write")
    async def lose_opportunity(self, info: strawberry.Info, input: LoseOpportunityInput) -> t.OpportunityPayload:
        return await _close(info, input.id, input.version, "lost", input.closed_at, input.reason)

    @strawberry.mutation(description="Bring a won or lost opportunity back into an open stage.")
    @requires("opportunity", "write")
    async def reopen_opportunity(self, info: strawberry.Info, input: ReopenOpportunityInput) -> t.OpportunityPayload:
        async def work(session):
            opp = await fetch_for_write(session, info, Opportunity, input.id, resource="opportunity", version=input.version)
            if opp.status == "open":
                raise Invalid.one("id", "INVALID", "this opportunity is open already")
            if input.stage_id is not None:
                stage = await history.stage_in_pipeline(session, input.stage_id, opp.pipeline_id)
                if stage.kind != "open":
                    raise Invalid.one("stageId", "INVALID", "reopen into an open stage")
            else:
                stage = await session.scalar(
                    select(Stage).join(StageVisit, StageVisit.stage_id == Stage.id)
                    .where(StageVisit.opportunity_id == opp.id, Stage.kind == "open").order_by(StageVisit.entered_at.desc()).limit(1)
                ) or await history.stage_of_kind(session, opp.pipeline_id, "open")
            at = history.check_time(input.at, opp, "at")
            await history.enter_stage(session, opp, stage, at)
            history.snapshot(session, opp, at)
            return t.OpportunityPayload(opportunity=opp)

        return await mutation(info, t.OpportunityPayload, work)

    @strawberry.mutation(description="Soft delete: the opportunity leaves lists, analysis and the timeline, and can be restored.")
    @requires("opportunity", "write")
    async def delete_opportunity(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Opportunity, input.id, resource="opportunity")

    @strawberry.mutation(description="Bring a deleted deal back.")
    @requires("opportunity", "write")
    async def restore_opportunity(self, info: strawberry.Info, input: IdInput) -> t.OpportunityPayload:
        return await crm.restore(info, Opportunity, input.id, resource="opportunity", payload=t.OpportunityPayload, field="opportunity")


async def _close(info, raw_id, version: int, kind: str, closed_at: datetime | None, reason: str | None) -> t.OpportunityPayload:
    async def work(session):
        opp = await fetch_for_write(session, info, Opportunity, raw_id, resource="opportunity", version=version)
        if opp.status != "open":
            raise Invalid.one("id", "INVALID", f"this opportunity is {opp.status} already")
        lost_reason = clean_text(reason, "reason", limit=500, required=True) if kind == "lost" else None
        at = history.check_time(closed_at, opp, "closedAt")
        stage = await history.stage_of_kind(session, opp.pipeline_id, kind)
        await history.enter_stage(session, opp, stage, at)
        opp.lost_reason = lost_reason
        history.snapshot(session, opp, at)
        return t.OpportunityPayload(opportunity=opp)

    return await mutation(info, t.OpportunityPayload, work)
