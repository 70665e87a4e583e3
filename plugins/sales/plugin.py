"""The sales plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from datetime import timedelta


import crm
from crm import (READ_ALL_GRANTS, SCOPED_GRANTS, ApprovalTarget, BenchData, ChangeRule, ConsolePage, CustomerReference, DemoData, GraphQLContribution, Job, Resource,
                 TimelineSource, ValueSource, hookimpl)
from crm.plugins.sales import history, hookspecs, jobs, models, sources
from crm.plugins.sales.models import Opportunity, Quote
from crm.plugins.sales.models import Order as OrderModel
from crm.plugins.sales.schema.analysis import SalesAnalysisQuery
from crm.plugins.sales.schema.customer import CustomerSales, SummarySales
from crm.plugins.sales.schema.customer_list import CustomerFilterSales, CustomerOrderSales
from crm.plugins.sales.schema.documents import DocumentMutation, DocumentQuery
from crm.plugins.sales.schema.opportunities import OpportunityMutation, OpportunityQuery
from crm.plugins.sales.schema.pipelines import PipelineMutation, PipelineQuery
from crm.plugins.sales.schema.targets import TargetMutation, TargetQuery
from crm.plugins.sales.schema.types import Order


@hookimpl
def crm_add_hookspecs(pm):
    pm.add_hookspecs(hookspecs)


@hookimpl
def crm_register_models():
    return [models.Pipeline, models.Stage, models.Opportunity, models.OpportunityContact, models.StageVisit, models.OpportunityChange,
            models.OpportunityLine, models.Quote, models.QuoteLine,
            models.Order, models.OrderLine, models.SalesTarget]


@hookimpl
def crm_register_permissions():
    return [
        Resource("opportunity", "Deals in a pipeline.", default_grants=SCOPED_GRANTS),
        Resource("quote", "Quotes sent to customers.", default_grants=SCOPED_GRANTS),
        Resource("order", "Orders placed by customers.", default_grants=SCOPED_GRANTS),
        Resource("pipeline", "Pipelines and their stages.", default_grants=READ_ALL_GRANTS, owned=False),
        Resource("sales_target", "Sales targets of users and teams.", default_grants=READ_ALL_GRANTS, owned=False),
    ]


@hookimpl
def crm_register_approval_targets():
    from crm.plugins.sales.approvals import quote_facts

    # A quote can need approval before it is sent: admins make a chain for "quote" (e.g. a step when discount >= 15).
    return [ApprovalTarget("quote", Quote, quote_facts, fields=("discount", "currency"),
                           ready=lambda q: None if q.status == "draft" else f"a {q.status} quote is not submitted for approval")]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(
        query=[PipelineQuery, OpportunityQuery, SalesAnalysisQuery, DocumentQuery, TargetQuery],
        mutation=[PipelineMutation, OpportunityMutation, DocumentMutation, TargetMutation],
        types={"Order": Order},
        nodes={"Opportunity": "opportunity", "Quote": "quote", "Order": "order"},
        extends={"Customer": [CustomerSales], "CustomerSummary": [SummarySales], "CustomerFilter": [CustomerFilterSales],
                 "CustomerOrder": [CustomerOrderSales]},
    )


@hookimpl
def crm_register_timeline_sources():
    return [
        TimelineSource("opportunities", "opportunity", ("opportunity_won", "opportunity_lost"), sources.closed_opportunities),
        TimelineSource("orders", "order", ("order_confirmed",), sources.confirmed_orders),
    ]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(Opportunity, label="opportunities"), CustomerReference(Quote, label="quotes"),
            CustomerReference(OrderModel, label="orders")]


@hookimpl
def crm_register_value_sources():
    return [ValueSource("won opportunities", "opportunity", sources.won_value),
            ValueSource("confirmed orders", "order", sources.order_value)]


@hookimpl
def crm_register_change_rules():
    return [ChangeRule("stage visits follow their deal", Opportunity, ("owner_id", "deleted_at"), history.visits_follow_their_deal)]


@hookimpl
def crm_register_jobs():
    return [Job("sales.expire_quotes", timedelta(hours=1), jobs.expire_quotes)]


@hookimpl
def crm_register_bench_data():
    from crm.plugins.sales import bench

    return [BenchData("sales", bench.TABLES, bench.generate, order=200, prepare=bench.prepare)]


@hookimpl
def crm_register_demo_data():
    from crm.plugins.sales.demo import load

    return [DemoData("sales", load, order=200)]





@hookimpl
def crm_register_saved_lists():
    return [crm.SavedList("opportunities", "opportunity", "OpportunityFilter", None)]


@hookimpl
def crm_register_console_pages():
    # A deal's own page (/deals/ID) opens from the board; it needs no entry of its own.
    return [ConsolePage("/pipeline", "Pipeline", "opportunity"), ConsolePage("/forecast", "Forecast", "opportunity")]
