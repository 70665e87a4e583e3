"""SLA policies through GraphQL: admins (resource `sla_policy`) write them; a new ticket takes the first that matches."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires
from crm.plugins.service.models import SlaPolicy
from crm.plugins.service.schema import types as t

UNSET = strawberry.UNSET
YEAR_MINUTES = 366 * 24 * 60


@strawberry.input
class CreateSlaPolicyInput:
    name: str
    calendar_id: strawberry.ID = strawberry.field(description="The business calendar its minutes are counted in.")
    first_response_minutes: int
    resolution_minutes: int
    priority: t.TicketPriority | None = strawberry.field(default=None, description="Only tickets of this priority (none: any).")
    channel: t.TicketChannel | None = None
    category: str | None = None
    customer_tag: str | None = strawberry.field(default=None, description="Only tickets of customers with this tag (e.g. vip).")
    warn_minutes: int = 60
    position: int = 0
    active: bool = True


@strawberry.input(description="Change a policy; only the fields given change. Tickets keep the targets they were given.")
class UpdateSlaPolicyInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    calendar_id: strawberry.ID | None = UNSET
    first_response_minutes: int | None = UNSET
    resolution_minutes: int | None = UNSET
    priority: t.TicketPriority | None = UNSET
    channel: t.TicketChannel | None = UNSET
    category: str | None = UNSET
    customer_tag: str | None = UNSET
    warn_minutes: int | None = UNSET
    position: int | None = UNSET
    active: bool | None = UNSET


def _tag(raw: str | None) -> str | None:
    """Tags are kept lower-case on customers (the core's clean_tags); compare alike."""
    return (clean_text(raw, "customerTag", limit=100) or "").lower() or None


async def _check(session, policy: SlaPolicy) -> None:
    errors = []
    for field, value in (("firstResponseMinutes", policy.first_response_minutes), ("resolutionMinutes", policy.resolution_minutes)):
        if value is None or not 1 <= value <= YEAR_MINUTES:
            errors.append(crm.UserError(field=field, code="INVALID", message="give 1 to 527,040 working minutes"))
    if not 0 <= policy.warn_minutes <= YEAR_MINUTES:
        errors.append(crm.UserError(field="warnMinutes", code="INVALID", message="give 0 to 527,040 working minutes"))
    if not errors and policy.resolution_minutes < policy.first_response_minutes:
        errors.append(crm.UserError(field="resolutionMinutes", code="INVALID", message="resolution cannot be due before the first response"))
    if await crm.working_time(session, policy.calendar_id) is None:
        errors.append(crm.UserError(field="calendarId", code="NOT_FOUND", message="no business calendar with this ID"))
    if errors:
        raise Invalid(*errors)


@strawberry.type
class SlaPolicyQuery:
    @strawberry.field(description="SLA policies in the order they are tried.")
    @requires("sla_policy", "read")
    async def sla_policies(self, info: strawberry.Info) -> list[t.SlaPolicyType]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(SlaPolicy).where(SlaPolicy.deleted_at.is_(None))
                                               .order_by(SlaPolicy.position, SlaPolicy.id))).all())


@strawberry.type
class SlaPolicyMutation:
    @strawberry.mutation(description="Add a policy; it is tried in `position` order with the others.")
    @requires("sla_policy", "write")
    async def create_sla_policy(self, info: strawberry.Info, input: CreateSlaPolicyInput) -> t.SlaPolicyPayload:
        async def work(session):
            policy = SlaPolicy(name=clean_text(input.name, "name", required=True, limit=100), calendar_id=parse_id(input.calendar_id, "calendarId"),
                               first_response_minutes=input.first_response_minutes, resolution_minutes=input.resolution_minutes,
                               priority=input.priority.value if input.priority else None, channel=input.channel.value if input.channel else None,
                               category=clean_text(input.category, "category", limit=100) or None, customer_tag=_tag(input.customer_tag),
                               warn_minutes=input.warn_minutes,
                               position=input.position, active=input.active)
            await _check(session, policy)
            session.add(policy)
            await session.flush()
            return t.SlaPolicyPayload(policy=policy)

        return await mutation(info, t.SlaPolicyPayload, work)

    @strawberry.mutation(description="Change a policy; CONFLICT when `version` is not the current one.")
    @requires("sla_policy", "write")
    async def update_sla_policy(self, info: strawberry.Info, input: UpdateSlaPolicyInput) -> t.SlaPolicyPayload:
        async def work(session):
            policy = await fetch_for_write(session, info, SlaPolicy, input.id, resource="sla_policy", version=input.version)
            if input.name is not UNSET:
                policy.name = clean_text(input.name, "name", required=True, limit=100)
            if input.calendar_id is not UNSET:
                if input.calendar_id is None:
                    raise Invalid.one("calendarId", "REQUIRED", "a policy counts in a business calendar")
                policy.calendar_id = parse_id(input.calendar_id, "calendarId")
            for field in ("first_response_minutes", "resolution_minutes", "warn_minutes", "position", "active"):
                value = getattr(input, field)
                if value is not UNSET and value is not None:
                    setattr(policy, field, value)
            for field in ("priority", "channel"):
                value = getattr(input, field)
                if value is not UNSET:
                    setattr(policy, field, value.value if value else None)
            if input.category is not UNSET:
                policy.category = clean_text(input.category, "category", limit=100) or None
            if input.customer_tag is not UNSET:
                policy.customer_tag = _tag(input.customer_tag)
            await _check(session, policy)
            policy.updated_at = crm.utcnow()
            return t.SlaPolicyPayload(policy=policy)

        return await mutation(info, t.SlaPolicyPayload, work)

    @strawberry.mutation(description="Soft delete: new tickets no longer take it; restoreSlaPolicy brings it back.")
    @requires("sla_policy", "write")
    async def delete_sla_policy(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, SlaPolicy, input.id, resource="sla_policy")

    @strawberry.mutation(description="Bring a deleted SLA policy back.")
    @requires("sla_policy", "write")
    async def restore_sla_policy(self, info: strawberry.Info, input: IdInput) -> t.SlaPolicyPayload:
        return await crm.restore(info, SlaPolicy, input.id, resource="sla_policy", payload=t.SlaPolicyPayload, field="policy")
