"""GraphQL of the lead funnel."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import strawberry

import crm
from crm import requires
from crm.plugins.leads import funnel
from crm.plugins.leads.schema.leads import visible


@strawberry.enum(description="What each row of the lead funnel is for.")
class LeadFunnelGroup(enum.Enum):
    ALL = "all"
    SOURCE = "source"
    CAMPAIGN = "campaign"
    OWNER = "owner"


@strawberry.type(description="Leads created in the period that reached each step (a later step counts the earlier ones). "
                 "Other modules add steps by name (with sales: won).")
class LeadFunnelRow:
    key: str = strawberry.field(description="The source, the campaign, the owner's global id (0: in a pool), or 'all'.")
    created: int = strawberry.field(description="Leads created in the period.")
    worked: int = strawberry.field(description="Followed up at least once.")
    qualified: int = strawberry.field(description="Of those, leads qualified.")
    converted: int = strawberry.field(description="Of those, leads converted.")
    worked_rate: float | None = strawberry.field(description="worked / created")
    qualified_rate: float | None = strawberry.field(description="qualified / worked")
    converted_rate: float | None = strawberry.field(description="converted / qualified")
    median_days_to_work: float | None = strawberry.field(description="From creation to the first follow-up.")
    median_days_to_qualify: float | None = strawberry.field(description="From the first follow-up to qualification.")
    median_days_to_convert: float | None = strawberry.field(description="From qualification to conversion.")
    # What the row counted, for other modules that add steps by name (sales' bridge: won).
    period: strawberry.Private[tuple] = ()
    group_key: strawberry.Private[str] = ""  # `key` as the database has it (an owner's number)
    group: strawberry.Private[str] = "all"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@strawberry.type
class FunnelQuery:
    @strawberry.field(description="From lead to customer: created, worked, qualified, converted, with rates and median days "
                      "between the steps, over the leads the caller may read.")
    @requires("lead", "read")
    async def lead_funnel(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                          group_by: LeadFunnelGroup = LeadFunnelGroup.ALL) -> list[crm.api_type("LeadFunnelRow")]:
        if to < from_:
            raise crm.bad_input("to", "to is before from")
        ctx = info.context
        lo, hi = datetime.combine(from_, time(), UTC), datetime.combine(to + timedelta(days=1), time(), UTC)
        rows = funnel.steps(visible(ctx), lo, hi, group_by.value)
        medians = {}
        async with ctx.db.read() as session:
            counted = (await session.execute(funnel.counts(rows))).all()
            for name, later, earlier in (("work", "worked_at", "created_at"), ("qualify", "qualified_at", "worked_at"),
                                         ("convert", "converted_at", "qualified_at")):
                medians[name] = {k: round(v, 2) for k, v in (await session.execute(funnel.median_days(rows, later, earlier))).all()}
        return [LeadFunnelRow(key=crm.report_key("User" if group_by is LeadFunnelGroup.OWNER else None, str(r.key)),
                              group_key=str(r.key), period=(lo, hi), group=group_by.value, created=r.created, worked=r.worked, qualified=r.qualified, converted=r.converted,
                              worked_rate=_rate(r.worked, r.created), qualified_rate=_rate(r.qualified, r.worked),
                              converted_rate=_rate(r.converted, r.qualified), median_days_to_work=medians["work"].get(r.key),
                              median_days_to_qualify=medians["qualify"].get(r.key), median_days_to_convert=medians["convert"].get(r.key))
                for r in sorted(counted, key=lambda r: str(r.key))]
