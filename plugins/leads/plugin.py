"""The leads plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from datetime import timedelta

import crm
from crm import (READ_ALL_GRANTS, SCOPED_GRANTS, AssignmentTarget, BenchData, ConsolePage, CustomerReference, DemoData, GraphQLContribution, HttpRoute, Job,
                 Resource, TimelineSource, hookimpl)
from crm.plugins.leads import duplicates, followups, hookspecs, jobs, models, sources, webform
from crm.plugins.leads.models import OPEN, Lead
from crm.plugins.leads.schema.campaigns import CampaignMutation, CampaignQuery, CampaignStats
from crm.plugins.leads.schema.forms import FormMutation, FormQuery
from crm.plugins.leads.schema.funnel import FunnelQuery, LeadFunnelRow
from crm.plugins.leads.schema.scoring import ScoringMutation, ScoringQuery
from crm.plugins.leads.schema.leads import LeadMutation, LeadQuery
from crm.plugins.leads.schema.pools import PoolMutation, PoolQuery


@hookimpl
def crm_add_hookspecs(pm):
    pm.add_hookspecs(hookspecs)


@hookimpl
def crm_register_models():
    return [models.LeadPool, models.LeadPoolMember, models.Lead, models.LeadChannel, models.LeadEvent, models.LeadForm, models.Campaign,
            models.CampaignMember, models.ScoringRule]


@hookimpl
def crm_register_permissions():
    return [
        Resource("lead", "Leads: people and companies that might buy.", default_grants=SCOPED_GRANTS),
        Resource("lead_pool", "Lead pools, their members and recycling rules.", default_grants=READ_ALL_GRANTS, owned=False),
        Resource("lead_form", "Web forms that make leads.", default_grants=READ_ALL_GRANTS, owned=False),
        Resource("campaign", "Marketing campaigns, their members and costs.", default_grants=SCOPED_GRANTS),
        Resource("lead_scoring", "The rules that score leads.", default_grants=READ_ALL_GRANTS, owned=False),
    ]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[LeadQuery, PoolQuery, FormQuery, CampaignQuery, FunnelQuery, ScoringQuery],
                               mutation=[LeadMutation, PoolMutation, FormMutation, CampaignMutation, ScoringMutation],
                               types={"CampaignStats": CampaignStats, "LeadFunnelRow": LeadFunnelRow},
                               nodes={"Lead": "lead", "Campaign": "campaign"})


@hookimpl
def crm_register_assignment_targets():
    return [AssignmentTarget("lead", Lead, fields=("source", "region", "industry", "campaign", "pool_id"),
                             open=lambda: Lead.status.in_(OPEN) & Lead.deleted_at.is_(None))]


@hookimpl
def crm_register_routes():
    return [HttpRoute("/forms/leads/{key}", webform.submit)]


@hookimpl
def crm_register_error_codes():
    return {"LIMIT_REACHED": "The caller holds as many open leads of the pool as it allows: work or release one first."}


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("leads", "lead", ("lead_converted",), sources.converted_leads),
            TimelineSource("lead life", "lead", tuple(f"lead_{k}" for k in sources.LIFE), sources.lead_life)]


@hookimpl
async def crm_on_activity_logged(session, activity):
    await followups.activity_logged(session, activity)


@hookimpl
async def crm_on_phone_rules_changed(session):
    await duplicates.renormalise(session)


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(Lead, label="converted leads")]


@hookimpl
def crm_register_jobs():
    return [Job("leads.recycle", timedelta(minutes=15), jobs.recycle_neglected_leads),
            Job("leads.rescore", timedelta(hours=1), jobs.rescore_aged_leads)]


@hookimpl
def crm_register_demo_data():
    from crm.plugins.leads.demo import load

    return [DemoData("leads", load, order=250)]


@hookimpl
def crm_register_bench_data():
    from crm.plugins.leads import bench

    return [BenchData("leads", bench.TABLES, bench.generate, order=250, prepare=bench.prepare)]


@hookimpl
def crm_register_commands(cli):
    from crm.plugins.leads import commands

    commands.register()


@hookimpl
def crm_register_saved_lists():
    return [crm.SavedList("leads", "lead", "LeadFilter", "LeadOrder")]


@hookimpl
def crm_register_console_pages():
    return [ConsolePage("/lead-pool", "Lead pool", "lead")]
