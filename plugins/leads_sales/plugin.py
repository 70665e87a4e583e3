"""The bridge's hooks: it listens to leads' conversion and opens the deal with sales' own rules."""

from __future__ import annotations

from crm import GraphQLContribution, hookimpl
from crm.plugins.leads_sales.models import LeadOpportunity
from crm.plugins.leads_sales.schema import CampaignSales, FunnelSales
from crm.plugins.sales.schema.opportunities import CreateOpportunityInput, add_opportunity


@hookimpl
async def crm_on_lead_converted(session, context, lead, customer, contact, options):
    if not options.get("create_opportunity"):
        return
    opportunity = await add_opportunity(session, context, CreateOpportunityInput(
        name=options.get("opportunity_name") or f"{customer.name}: {lead.name}", customer_id=str(customer.id),
        owner_id=str(lead.owner_id) if lead.owner_id else None, amount=options.get("amount"), source=lead.source,
        campaign=lead.campaign, contact_ids=[str(contact.id)],
    ))
    session.add(LeadOpportunity(lead_id=lead.id, opportunity_id=opportunity.id))
    options["created"].append(("opportunity", opportunity.id))


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(extends={"CampaignStats": [CampaignSales], "LeadFunnelRow": [FunnelSales]})


@hookimpl
def crm_register_models():
    return [LeadOpportunity]
