"""A campaign's return: won deals whose campaign is the campaign's name (sales' `campaign` field, which conversion
fills from the lead), summed in SQL in the reporting currency at their close date."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

import crm
from crm.plugins.leads.models import Campaign
from crm.plugins.sales.analysis import live, raw_amount, won_day
from crm.plugins.sales.models import Opportunity


async def won_revenue(ctx, campaign_ids: list[int]) -> list[tuple[Decimal, int]]:
    """(won revenue, won deals) per campaign, the deals the caller may read, in the reporting currency."""
    conv = await crm.Conversion.for_request(ctx)
    fx = conv.at(Opportunity.currency, won_day())
    deals = fx.rows(select(Campaign.id.label("campaign_id"), fx.amount(raw_amount()).label("won"))
                    .join(Opportunity, func.lower(Opportunity.campaign) == func.lower(Campaign.name))
                    .where(Campaign.id.in_(campaign_ids), Opportunity.status == "won", live(ctx.access)))
    stmt = select(deals.c.campaign_id, func.sum(deals.c.won), func.count()).group_by(deals.c.campaign_id)
    async with ctx.db.read() as session:
        found = {cid: (crm.raw_to_money(won or 0), n) for cid, won, n in (await session.execute(stmt)).all()}
    return [found.get(i, (Decimal(0), 0)) for i in campaign_ids]
