"""What leads became in sales: the won deals of converted leads (linked at conversion), counted per funnel group
and summed per campaign in the reporting currency at their close date, in SQL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

import crm
from crm.plugins.leads.funnel import GROUPS
from crm.plugins.leads.models import Lead
from crm.plugins.leads.schema.leads import visible
from crm.plugins.leads_sales.models import LeadOpportunity
from crm.plugins.sales.analysis import live, raw_amount, won_day
from crm.plugins.sales.models import Opportunity


def _won_deals(ctx):
    return (select(Lead).join(LeadOpportunity, LeadOpportunity.lead_id == Lead.id)
            .join(Opportunity, Opportunity.id == LeadOpportunity.opportunity_id)
            .where(Lead.deleted_at.is_(None), visible(ctx), Opportunity.status == "won", live(ctx.access)))


async def won_leads(ctx, group: str, lo: datetime, hi: datetime) -> dict[str, int]:
    """Leads created in [lo, hi) whose opportunity was won, per funnel group key (as text)."""
    key = GROUPS[group]()
    stmt = _won_deals(ctx).with_only_columns(key.label("key"), func.count()).where(Lead.created_at >= lo, Lead.created_at < hi).group_by(key)
    async with ctx.db.read() as session:
        return {str(k): n for k, n in (await session.execute(stmt)).all()}


async def won_revenue(ctx, campaign_ids: list[int]) -> list[tuple[Decimal, int]]:
    """(won revenue, won deals) per campaign: the won opportunities its leads became, in the reporting currency."""
    conv = await crm.Conversion.for_request(ctx)
    fx = conv.at(Opportunity.currency, won_day())
    deals = fx.rows(_won_deals(ctx).with_only_columns(Lead.campaign_id.label("campaign_id"), fx.amount(raw_amount()).label("won"))
                    .where(Lead.campaign_id.in_(campaign_ids)))
    stmt = select(deals.c.campaign_id, func.sum(deals.c.won), func.count()).group_by(deals.c.campaign_id)
    async with ctx.db.read() as session:
        found = {cid: (crm.raw_to_money(won or 0), n) for cid, won, n in (await session.execute(stmt)).all()}
    return [found.get(i, (Decimal(0), 0)) for i in campaign_ids]
