"""Data quality through GraphQL: likely duplicates of a customer, and merging customers."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from crm.api.access import requires
from crm.api.errors import Invalid, UserError
from crm.api.ids import parse_id, try_parse_id
from crm.api.mutations import fetch_for_write, mutation
from crm.customers.duplicates import find_duplicates
from crm.customers.merge import disabled_plugins_with_tables, merge
from crm.customers.models import Customer
from crm.customers.schema.types import CustomerRef

MAX_SOURCES = 20


@strawberry.type(description="A customer that may be the same as the one asked about, and why.")
class DuplicateCandidate:
    customer: CustomerRef = strawberry.field(description="The customer that looks like a duplicate.")
    score: float = strawberry.field(description="0 to 1: how likely it is the same customer.")
    reasons: list[str] = strawberry.field(description="Why: the same email, phone, website, or a similar name.")


@strawberry.type(description="One kind of change a merge makes (or would make, in a dry run).")
class MergeChange:
    what: str = strawberry.field(description="The kind of records moved (contacts, activities, deals, ...).")
    count: int = strawberry.field(description="How many.")


@strawberry.input
class MergeCustomersInput:
    target_id: strawberry.ID = strawberry.field(description="The customer that stays.")
    source_ids: list[strawberry.ID] = strawberry.field(description="Customers merged into the target, then deleted (restorable).")
    dry_run: bool = strawberry.field(default=False, description="Only report what would change; write nothing.")


@strawberry.type
class MergeCustomersPayload:
    customer: CustomerRef | None = None
    changes: list[MergeChange] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DataQualityQuery:
    @strawberry.field(description="Customers the caller may read that are likely the same as this one, most likely first.")
    @requires("customer", "read")
    async def duplicate_customers(self, info: strawberry.Info, customer_id: strawberry.ID, first: int = 10) -> list[DuplicateCandidate]:
        ctx = info.context
        visible = ctx.access.filter(Customer, "customer")
        record_id = try_parse_id(customer_id)
        if record_id is None:
            return []
        async with ctx.db.read() as session:
            customer = await session.scalar(select(Customer).where(Customer.id == record_id, Customer.deleted_at.is_(None), visible))
            if customer is None:
                return []
            found = await find_duplicates(session, customer, visible, max(1, min(first, 50)))
        return [DuplicateCandidate(customer=c.customer, score=c.score, reasons=c.reasons) for c in found]


@strawberry.type
class DataQualityMutation:
    @strawberry.mutation(description="Move everything of the source customers to the target and delete the sources. "
                                     "Needs write access to all of them. With `dryRun`, only says what would change.")
    @requires("customer", "write")
    async def merge_customers(self, info: strawberry.Info, input: MergeCustomersInput) -> MergeCustomersPayload:
        blocked = await disabled_plugins_with_tables(info.context.runtime)

        async def work(session):
            target_id = parse_id(input.target_id, "targetId")
            source_ids = [parse_id(raw, f"sourceIds.{i}") for i, raw in enumerate(input.source_ids)]
            if not source_ids:
                raise Invalid.one("sourceIds", "REQUIRED", "name at least one customer to merge into the target")
            if len(set(source_ids)) > MAX_SOURCES:
                raise Invalid.one("sourceIds", "INVALID", f"merge at most {MAX_SOURCES} customers at once")
            if target_id in source_ids:
                raise Invalid.one("sourceIds", "INVALID", "the target cannot also be a source")
            target = await fetch_for_write(session, info, Customer, target_id, resource="customer", field="targetId")
            sources = [
                await fetch_for_write(session, info, Customer, sid, resource="customer", field=f"sourceIds.{i}")
                for i, sid in enumerate(dict.fromkeys(source_ids))
            ]
            changes = await merge(session, info.context.runtime, info.context.access, target, sources, dry_run=input.dry_run,
                                  disabled_with_tables=blocked)
            return MergeCustomersPayload(customer=target, changes=[MergeChange(what=c.what, count=c.count) for c in changes])

        return await mutation(info, MergeCustomersPayload, work)
