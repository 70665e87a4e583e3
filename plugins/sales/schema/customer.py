"""What sales adds to the core's types, by name: Customer.opportunities/orders and the sales numbers of the summary."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy import BigInteger, case, func, select, type_coerce

from crm import requires
from crm.plugins.sales.analysis import money
from crm.plugins.sales.models import Opportunity, Order
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.documents import list_documents
from crm.plugins.sales.schema.opportunities import OpportunityFilter, list_opportunities, opportunity_conditions


@strawberry.type
class CustomerSales:
    @strawberry.field(description="This customer's opportunities that the caller may read, newest first.")
    @requires("opportunity", "read")
    async def opportunities(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                            filter: OpportunityFilter | None = None) -> t.OpportunityConnection:
        return await list_opportunities(info, first, after, opportunity_conditions(filter), customer_id=self.id)

    @strawberry.field(description="This customer's orders that the caller may read, newest first.")
    @requires("order", "read")
    async def orders(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> t.OrderConnection:
        return await list_documents(info, Order, "order", first, after, [], customer_id=self.id)


def opportunity_totals_loader(ctx):
    """Per customer, in the reporting currency: open count and value, won value. One query for a whole list."""
    currency = ctx.settings.currency

    async def load(ids):
        raw = type_coerce(Opportunity.amount, BigInteger)
        stmt = (
            select(Opportunity.customer_id,
                   func.sum(case((Opportunity.status == "open", 1), else_=0)),
                   func.sum(case((Opportunity.status == "open", raw), else_=0)),
                   func.sum(case((Opportunity.status == "won", raw), else_=0)))
            .where(Opportunity.customer_id.in_(ids), Opportunity.deleted_at.is_(None), Opportunity.currency == currency,
                   ctx.access.filter(Opportunity, "opportunity"))
            .group_by(Opportunity.customer_id)
        )
        async with ctx.db.read() as session:
            found = {cid: (int(n or 0), money(open_value), money(won)) for cid, n, open_value, won in (await session.execute(stmt)).all()}
        return [found.get(i, (0, Decimal(0), Decimal(0))) for i in ids]

    return ctx.loader("sales.customer.totals", load)


@strawberry.type
class SummarySales:
    @strawberry.field
    @requires("opportunity", "read", or_null=True)
    async def open_opportunity_count(self, info: strawberry.Info) -> int | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[0]

    @strawberry.field(description="Open pipeline value in the reporting currency.")
    @requires("opportunity", "read", or_null=True)
    async def open_pipeline_value(self, info: strawberry.Info) -> Decimal | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[1]

    @strawberry.field(description="All won deals' value in the reporting currency.")
    @requires("opportunity", "read", or_null=True)
    async def lifetime_revenue(self, info: strawberry.Info) -> Decimal | None:
        return (await opportunity_totals_loader(info.context).load(self.customer_id))[2]
