"""What sales adds to a campaign's numbers: won revenue and the return on what the campaign cost."""

from __future__ import annotations

from decimal import Decimal

import strawberry

import crm
from crm.plugins.leads.models import Campaign
from crm.plugins.leads_sales.returns import won_leads, won_revenue


def _loader(ctx):
    async def load(ids):
        return await won_revenue(ctx, list(ids))

    return ctx.loader("leads_sales:won", load)


@strawberry.type
class CampaignSales:
    @strawberry.field(description="Won deals with this campaign, in the reporting currency (those the caller may read).")
    @crm.requires("opportunity", "read")
    async def won_revenue(self, info: strawberry.Info) -> Decimal:
        won, _ = await _loader(info.context).load(int(self.campaign_id))
        return won

    @strawberry.field(description="Deals won from its converted leads.")
    @crm.requires("opportunity", "read")
    async def won_deals(self, info: strawberry.Info) -> int:
        _, count = await _loader(info.context).load(int(self.campaign_id))
        return count

    @strawberry.field(description="(won revenue - cost) / cost, both in the reporting currency; null without cost or a rate.")
    @crm.requires("opportunity", "read")
    async def roi(self, info: strawberry.Info) -> float | None:
        ctx = info.context
        won, _ = await _loader(ctx).load(int(self.campaign_id))
        campaign = await crm.by_id_loader(ctx, Campaign).load(int(self.campaign_id))
        cost = await crm.convert_amount(ctx, self.cost, self.currency, campaign.starts_on if campaign else None)
        if not cost:
            return None
        return round(float((won - cost) / cost), 4)


def _won_loader(ctx):
    async def load(keys):
        return [await won_leads(ctx, *key) for key in keys]

    return ctx.loader("leads_sales:funnel-won", load)


@strawberry.type
class FunnelSales:
    @strawberry.field(description="Converted leads whose opportunity was won (the last step, from lead to won deal).")
    @crm.requires("opportunity", "read")
    async def won(self, info: strawberry.Info) -> int:
        counts = await _won_loader(info.context).load((self.group, *self.period))
        return counts.get(self.group_key, 0)

    @strawberry.field(description="won / converted")
    @crm.requires("opportunity", "read")
    async def won_rate(self, info: strawberry.Info) -> float | None:
        counts = await _won_loader(info.context).load((self.group, *self.period))
        return round(counts.get(self.group_key, 0) / self.converted, 4) if self.converted else None
