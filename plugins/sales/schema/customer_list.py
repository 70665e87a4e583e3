"""What sales adds to the core's customer list, by name: customers who won or lost a deal between two days, and the
list ordered by open pipeline or lifetime revenue. Both count only the deals the caller may read."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta

import strawberry
from sqlalchemy import func, select

import crm
from crm.plugins.sales.models import Opportunity


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


@strawberry.input
class CustomerFilterSales:
    deal_won_from: date | None = strawberry.field(default=None, description="Customers with a deal won on or after this day (UTC).")
    deal_won_to: date | None = strawberry.field(default=None, description="... and on or before this day.")
    deal_lost_from: date | None = strawberry.field(default=None, description="Customers with a deal lost on or after this day (UTC).")
    deal_lost_to: date | None = strawberry.field(default=None, description="... and on or before this day.")

    async def conditions(self, info) -> list:
        """The core's customer filter calls this for the fields above (crm.customer_filter)."""
        conds = []
        for status, low, high in (("won", self.deal_won_from, self.deal_won_to), ("lost", self.deal_lost_from, self.deal_lost_to)):
            if low is None and high is None:
                continue
            if low is not None and high is not None and high < low:
                raise crm.bad_input(f"filter.deal{status.title()}To", "the end is before the start")
            deal = [Opportunity.status == status, Opportunity.deleted_at.is_(None),
                    info.context.access.filter_or_none(Opportunity, "opportunity")]
            if low is not None:
                deal.append(Opportunity.closed_at >= _start(low))
            if high is not None:
                deal.append(Opportunity.closed_at < _start(high + timedelta(days=1)))
            # IN (the deals' customers), not EXISTS per customer: SQLite's planner would answer EXISTS through the
            # (status, closed_at) index, scanning every lost deal for every customer (40,000 x 50,000 rows).
            conds.append(crm.Customer.id.in_(select(Opportunity.customer_id).where(*deal)))
        return conds


@strawberry.enum(description="Customers ordered by what they are worth to the business.")
class CustomerValueOrder(enum.Enum):
    OPEN_PIPELINE = strawberry.enum_value("open_pipeline", description="Open deals' amount (`summary.openPipelineValue`).")
    LIFETIME_REVENUE = strawberry.enum_value("lifetime_revenue", description="Won deals' amount (`summary.lifetimeRevenue`).")


@strawberry.input
class CustomerOrderSales:
    value: CustomerValueOrder | None = strawberry.field(default=None, description="Order by a sales figure in the reporting "
                                                        "currency, in place of `field`; customers without deals count 0.")

    async def sort_value(self, info):
        """The core's customer list orders by this when `value` is given: summed per customer in one lookup of its deals
        (an index on customer_id), each converted as the summary converts it."""
        if self.value is None:
            return None
        is_open = self.value == CustomerValueOrder.OPEN_PIPELINE
        conv = await crm.Conversion.for_request(info.context)
        day = Opportunity.expected_close_date if is_open else crm.utc_date(Opportunity.closed_at)
        fx = conv.at(Opportunity.currency, day)
        total = fx.join(select(func.sum(fx.amount(crm.money_raw(Opportunity.amount))))).where(
            Opportunity.customer_id == crm.Customer.id, Opportunity.deleted_at.is_(None),
            Opportunity.status == ("open" if is_open else "won"), info.context.access.filter_or_none(Opportunity, "opportunity"))
        return func.coalesce(total.scalar_subquery(), 0)
