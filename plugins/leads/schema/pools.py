"""Lead pools: their settings and members, the waiting leads, and claims, hand-overs and releases."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import delete, insert, select

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.leads import pool as pools
from crm.plugins.leads.models import OPEN, Lead, LeadPool, LeadPoolMember
from crm.plugins.leads.schema import types as t
from crm.plugins.leads.schema.leads import LeadFilter, active_pool, conditions

UNSET = strawberry.UNSET


@strawberry.input
class LeadPoolInput:
    name: str
    description: str | None = None
    member_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    claim_limit: int | None = None
    recycle_after_days: int | None = None
    convert_within_days: int | None = None
    active: bool = True


@strawberry.input(description="Replace a pool's settings and members.")
class UpdateLeadPoolInput:
    id: strawberry.ID
    version: int
    pool: LeadPoolInput = strawberry.field(description="The pool's settings (all of them).")


@strawberry.input
class ClaimLeadInput:
    lead_id: strawberry.ID


@strawberry.input
class AssignLeadInput:
    lead_id: strawberry.ID
    owner_id: strawberry.ID


@strawberry.input
class ReleaseLeadInput:
    lead_id: strawberry.ID
    reason: str = strawberry.field(description="Why it goes back to the pool.")
    pool_id: strawberry.ID | None = strawberry.field(default=None, description="Into this pool; defaults to the lead's own.")


def _positive(value: int | None, field: str) -> int | None:
    if value is not None and value < 1:
        raise Invalid.one(field, "INVALID", f"{field} is at least 1 (or null for none)")
    return value


async def _fill(session, pool: LeadPool, data: LeadPoolInput) -> None:
    name = clean_text(data.name, "name", limit=200, required=True)
    if await session.scalar(select(LeadPool.id).where(LeadPool.name == name, LeadPool.id != (pool.id or 0))):
        raise Invalid.one("name", "DUPLICATE", f"a pool named {name} exists already")
    pool.name, pool.description, pool.active = name, data.description, data.active
    pool.claim_limit = _positive(data.claim_limit, "claimLimit")
    pool.recycle_after_days = _positive(data.recycle_after_days, "recycleAfterDays")
    pool.convert_within_days = _positive(data.convert_within_days, "convertWithinDays")
    await session.flush()
    members = list(dict.fromkeys(parse_id(m, f"memberIds.{i}") for i, m in enumerate(data.member_ids)))
    active = set((await session.scalars(select(crm.User.id).where(crm.User.id.in_(members), crm.User.is_active.is_(True)))).all())
    for i, m in enumerate(members):
        if m not in active:
            raise Invalid.one(f"memberIds.{i}", "NOT_FOUND", "no active user with this ID")
    await session.execute(delete(LeadPoolMember).where(LeadPoolMember.pool_id == pool.id))
    if members:
        await session.execute(insert(LeadPoolMember), [{"pool_id": pool.id, "user_id": m} for m in members])


async def _may_read_pool(info, pool_id: int) -> bool:
    if info.context.access.scope("lead", "read") == "all":
        return True
    async with info.context.db.read() as session:
        return await pools.is_member(session, pool_id, info.context.user_id)


@strawberry.type
class PoolQuery:
    @strawberry.field(description="Every lead pool, by name.")
    @requires("lead_pool", "read")
    async def lead_pools(self, info: strawberry.Info) -> list[t.LeadPool]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(LeadPool).where(LeadPool.deleted_at.is_(None)).order_by(LeadPool.name))).all())

    @strawberry.field(description="The open leads waiting in a pool, oldest first; for its members (and whoever reads every lead).")
    @requires("lead", "read")
    async def lead_pool(self,
                        info: strawberry.Info,
                        pool_id: Annotated[strawberry.ID, strawberry.argument(description="The pool, by id.")],
                        first: int | None = None,
                        after: str | None = None,
                        last: int | None = None, before: str | None = None,
                        filter: LeadFilter | None = None) -> t.LeadConnection:
        pid = try_parse_id(pool_id) or 0
        if not await _may_read_pool(info, pid):
            stmt = select(Lead).where(Lead.id.is_(None))  # not a member: an empty page, like a pool that does not exist
        else:
            stmt = select(Lead).where(Lead.pool_id == pid, Lead.owner_id.is_(None), Lead.status.in_(OPEN), *conditions(filter))
        return await crm.list_page(info, stmt, order=[Lead.created_at, Lead.id],
                                   first=first, after=after, last=last, before=before)


@strawberry.type
class PoolMutation:
    @strawberry.mutation(description="Add a lead pool.")
    @requires("lead_pool", "write")
    async def create_lead_pool(self, info: strawberry.Info, input: LeadPoolInput) -> t.LeadPoolPayload:
        async def work(session):
            pool = LeadPool(name="", active=True)
            session.add(pool)
            await _fill(session, pool, input)
            return t.LeadPoolPayload(pool=pool)

        return await mutation(info, t.LeadPoolPayload, work)

    @strawberry.mutation(description="Replace a pool's settings and members; CONFLICT when `version` is not the current one.")
    @requires("lead_pool", "write")
    async def update_lead_pool(self, info: strawberry.Info, input: UpdateLeadPoolInput) -> t.LeadPoolPayload:
        async def work(session):
            pool = await fetch_for_write(session, info, LeadPool, input.id, resource="lead_pool", version=input.version)
            await _fill(session, pool, input.pool)
            pool.updated_at = utcnow()
            return t.LeadPoolPayload(pool=pool)

        return await mutation(info, t.LeadPoolPayload, work)

    @strawberry.mutation(description="Soft delete: the pool takes no more leads; its leads keep their owners.")
    @requires("lead_pool", "write")
    async def delete_lead_pool(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, LeadPool, input.id, resource="lead_pool")

    @strawberry.mutation(description="Bring a deleted lead pool back.")
    @requires("lead_pool", "write")
    async def restore_lead_pool(self, info: strawberry.Info, input: IdInput) -> t.LeadPoolPayload:
        return await crm.restore(info, LeadPool, input.id, resource="lead_pool", payload=t.LeadPoolPayload, field="pool")

    @strawberry.mutation(description="Take a waiting lead from a pool you are a member of. Of two reps claiming one lead at "
                         "once, one gets it and the other CONFLICT; at the pool's claim limit, LIMIT_REACHED.")
    @requires("lead", "write")
    async def claim_lead(self, info: strawberry.Info, input: ClaimLeadInput) -> t.LeadPayload:
        async def work(session):
            return t.LeadPayload(lead=await pools.claim(session, parse_id(input.lead_id, "leadId"), info.context.user_id))

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="Give a lead to a user: a lead you may change, or a waiting lead of a pool you manage "
                         "(team or all scope); the new owner must be within your scope.")
    @requires("lead", "write")
    async def assign_lead(self, info: strawberry.Info, input: AssignLeadInput) -> t.LeadPayload:
        ctx = info.context

        async def work(session):
            lead_id = parse_id(input.lead_id, "leadId")
            lead = await session.scalar(pools.locked(session, select(Lead).where(Lead.id == lead_id)))
            if lead is None or lead.deleted_at is not None:
                raise Invalid.one("leadId", "NOT_FOUND", "lead not found")
            if lead.owner_id is None:
                manages = ctx.access.scope("lead", "write") == "all" or (
                    ctx.access.scope("lead", "write") == "team" and lead.pool_id is not None
                    and await pools.is_member(session, lead.pool_id, ctx.user_id))
                if not manages:
                    raise Invalid.one("leadId", "NOT_FOUND", "lead not found")
            elif not await ctx.access.permits("lead", "write", lead.owner_id):
                raise Invalid.one("leadId", "NOT_FOUND", "lead not found")
            owner = await crm.resolve_owner(session, ctx.access, input.owner_id, "ownerId", "lead")
            pools.hand_over(session, lead, owner, "assigned")
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)

    @strawberry.mutation(description="Give a lead back to its pool (or another), with the reason; it waits there for a claim.")
    @requires("lead", "write")
    async def release_lead(self, info: strawberry.Info, input: ReleaseLeadInput) -> t.LeadPayload:
        async def work(session):
            lead = await fetch_for_write(session, info, Lead, input.lead_id, resource="lead", field="leadId")
            reason = clean_text(input.reason, "reason", limit=500, required=True)
            if input.pool_id is not None:
                lead.pool_id = (await active_pool(session, input.pool_id)).id
            if lead.pool_id is None:
                raise Invalid.one("poolId", "REQUIRED", "this lead belongs to no pool; name the pool to release it into")
            if lead.status not in OPEN:
                raise Invalid.one("leadId", "INVALID", f"a {lead.status} lead stays with its owner")
            pools.release(session, lead, "released", reason)
            return t.LeadPayload(lead=lead)

        return await mutation(info, t.LeadPayload, work)
