"""What sales adds to the core's types, by name: Customer.opportunities/orders and the sales numbers of the summary."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy import case, func, select

import crm
from crm import requires
from crm.plugins.sales.models import Opportunity, Order
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.documents import list_documents
from crm.plugins.sales.schema.opportunities import OpportunityFilter, list_opportunities, opportunity_filter


@strawberry.type
class CustomerSales:
    @strawberry.field(description="This customer's opportunities that the caller may read, newest first.")
    @requires("opportunity", "read")
    async def opportunities(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                            last: int | None = None, before: str | None = None,
                            filter: OpportunityFilter | None = None) -> t.OpportunityConnection:
        return await list_opportunities(info, first, after, await opportunity_filter(info, filter), customer_id=self.id,
                                        last=last, before=before)

    @strawberry.field(description="This customer's orders that the caller may read, newest first.")
    @requires("order", "read")
    async def orders(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> t.OrderConnection:
        return await list_documents(info, Order, "order", first, after, [], customer_id=self.id, last=last, before=before)


def opportunity_totals_loader(ctx):
    """Per customer, in the reporting currency: open count and value, won value, and the deals no rate converts.
    One query for a whole list; a won deal converts at its close date, an open one at its expected close date."""
    async def load(ids):
        conv = await crm.Conversion.for_request(ctx)
        raw = crm.money_raw(Opportunity.amount)
        is_open = Opportunity.status == "open"
        fx = conv.at(Opportunity.currency, case((is_open, Opportunity.expected_close_date), else_=crm.utc_date(Opportunity.closed_at)))
        deals = fx.rows(select(
            Opportunity.customer_id, Opportunity.currency, case((is_open, 1), else_=0).label("open_count"),
            case((is_open, fx.amount(raw)), else_=0).label("open_value"), case((is_open, 0), else_=fx.amount(raw)).label("won"),
            *fx.flags(raw, "amount"),
        ).where(Opportunity.customer_id.in_(ids), Opportunity.deleted_at.is_(None), Opportunity.status.in_(("open", "won")),
                ctx.access.filter(Opportunity, "opportunity")))
        c = deals.c
        stmt = select(c.customer_id, c.currency, *[func.sum(c[n]) for n in ("open_count", "open_value", "won", "missing", "missing_amount")]
                      ).group_by(c.customer_id, c.currency)
        found: dict[int, list] = {}
        async with ctx.db.read() as session:
            for cid, currency, n, open_value, won, missing, missing_raw in (await session.execute(stmt)).all():
                totals = found.setdefault(cid, [0, Decimal(0), Decimal(0), crm.Unconverted()])
                totals[0] += int(n or 0)
                totals[1] += crm.raw_to_money(open_value)
                totals[2] += crm.raw_to_money(won)
                if missing:
                    totals[3].add(currency, missing, missing_raw)
        return [found.get(i, (0, Decimal(0), Decimal(0), crm.Unconverted())) for i in ids]

    return ctx.loader("sales.customer.totals", load)


@strawberry.type
class SummarySales:
    @strawberry.field(description="Open deals (with sales).")
    @requires("opportunity", "read", or_null=True)
    async def open_opportunity_count(self, info: strawberry.Info) -> int | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[0]

    @strawberry.field(description="Open pipeline value in the reporting currency (each deal at its expected close date's rate).")
    @requires("opportunity", "read", or_null=True)
    async def open_pipeline_value(self, info: strawberry.Info) -> Decimal | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[1]

    @strawberry.field(description="All won deals' value in the reporting currency (each at its close date's rate).")
    @requires("opportunity", "read", or_null=True)
    async def lifetime_revenue(self, info: strawberry.Info) -> Decimal | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[2]

    @strawberry.field(description="Open and won deals that no exchange rate converts: left out of the two values above.")
    @requires("opportunity", "read", or_null=True)
    async def unconverted_opportunities(self, info: strawberry.Info) -> list[crm.UnconvertedAmount] | None:
        return crm.unconverted_list((await opportunity_totals_loader(info.context).load(self.customer_id))[3])
