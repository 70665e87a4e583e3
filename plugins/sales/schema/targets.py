"""Sales targets: revenue, won deals or activities per user or team and period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy import select

import crm
from crm import IdInput, Invalid, fetch_for_write, mutation, parse_id, requires, utcnow
from crm.plugins.sales.models import SalesTarget
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.enums import TargetMetric



@strawberry.input(description="A target for exactly one of a user or a team.")
class SalesTargetInput:
    metric: TargetMetric
    period_start: date
    period_end: date
    value: Decimal
    user_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None


@strawberry.input
class UpdateSalesTargetInput:
    id: strawberry.ID
    version: int
    value: Decimal


async def _check(session, data: SalesTargetInput) -> tuple[int | None, int | None]:
    if data.period_end < data.period_start:
        raise Invalid.one("periodEnd", "INVALID", "the period ends before it starts")
    if data.value <= 0:
        raise Invalid.one("value", "INVALID", "a target is above 0")
    if (data.user_id is None) == (data.team_id is None):
        raise Invalid.one("userId", "INVALID", "set either userId or teamId")
    user_id = parse_id(data.user_id, "userId") if data.user_id is not None else None
    team_id = parse_id(data.team_id, "teamId") if data.team_id is not None else None
    if user_id and await session.get(crm.User, user_id) is None:
        raise Invalid.one("userId", "NOT_FOUND", "user not found")
    if team_id and await session.get(crm.Team, team_id) is None:
        raise Invalid.one("teamId", "NOT_FOUND", "team not found")
    return user_id, team_id


@strawberry.type
class TargetQuery:
    @strawberry.field(description="Targets of users and teams.")
    @requires("sales_target", "read")
    async def sales_targets(self, info: strawberry.Info, from_: Annotated[date | None, strawberry.argument(name="from")] = None,
                            to: date | None = None) -> list[t.SalesTarget]:
        stmt = select(SalesTarget).where(SalesTarget.deleted_at.is_(None)).order_by(SalesTarget.period_start, SalesTarget.id)
        if from_:
            stmt = stmt.where(SalesTarget.period_end >= from_)
        if to:
            stmt = stmt.where(SalesTarget.period_start <= to)
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt)).all())


@strawberry.type
class TargetMutation:
    @strawberry.mutation(description="Set a target for a user or team and a period.")
    @requires("sales_target", "write")
    async def create_sales_target(self, info: strawberry.Info, input: SalesTargetInput) -> t.SalesTargetPayload:
        async def work(session):
            user_id, team_id = await _check(session, input)
            target = SalesTarget(user_id=user_id, team_id=team_id, metric=input.metric.value, period_start=input.period_start,
                                 period_end=input.period_end, value=input.value)
            session.add(target)
            await session.flush()
            return t.SalesTargetPayload(target=target)

        return await mutation(info, t.SalesTargetPayload, work)

    @strawberry.mutation(description="Change a target's value.")
    @requires("sales_target", "write")
    async def update_sales_target(self, info: strawberry.Info, input: UpdateSalesTargetInput) -> t.SalesTargetPayload:
        async def work(session):
            target = await fetch_for_write(session, info, SalesTarget, input.id, resource="sales_target", version=input.version)
            if input.value <= 0:
                raise Invalid.one("value", "INVALID", "a target is above 0")
            target.value = input.value
            target.updated_at = utcnow()
            return t.SalesTargetPayload(target=target)

        return await mutation(info, t.SalesTargetPayload, work)

    @strawberry.mutation(description="Delete a target.")
    @requires("sales_target", "write")
    async def delete_sales_target(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, SalesTarget, input.id, resource="sales_target")

    @strawberry.mutation(description="Bring a deleted target back.")
    @requires("sales_target", "write")
    async def restore_sales_target(self, info: strawberry.Info, input: IdInput) -> t.SalesTargetPayload:
        return await crm.restore(info, SalesTarget, input.id, resource="sales_target", payload=t.SalesTargetPayload, field="target")
