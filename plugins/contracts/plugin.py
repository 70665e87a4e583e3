"""The contracts plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from datetime import timedelta

import crm
from crm import SCOPED_GRANTS, AttachmentTarget, BenchData, ConsolePage, DemoData, CustomerReference, GraphQLContribution, Job, Resource, TimelineSource, hookimpl
from crm.plugins.contracts import approvals, hookspecs, jobs, models, renewals, sources
from crm.plugins.contracts.schema.contracts import ContractMutation, ContractQuery, CustomerContracts, SummaryContracts
from crm.plugins.contracts.schema.payments import PaymentMutation, PaymentQuery, ReceivablesQuery
from crm.plugins.contracts.schema.types import Contract


@hookimpl
def crm_add_hookspecs(pm):
    pm.add_hookspecs(hookspecs)


@hookimpl
def crm_register_models():
    return [models.Contract, models.ContractSignatory, models.ContractEvent, models.Installment, models.Payment, models.PaymentAllocation]


@hookimpl
def crm_register_permissions():
    return [Resource("contract", "Contracts with customers: their terms, approval, signing and end.", default_grants=SCOPED_GRANTS),
            # Payments of a contract belong to its owner: finance may record them without changing contracts.
            Resource("payment", "Payments received for contracts, and what is overdue.", default_grants=SCOPED_GRANTS)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[ContractQuery, PaymentQuery, ReceivablesQuery], mutation=[ContractMutation, PaymentMutation],
                               types={"Contract": Contract}, nodes={"Contract": "contract"},
                               extends={"Customer": [CustomerContracts], "CustomerSummary": [SummaryContracts]})


@hookimpl
def crm_register_attachment_targets():
    return [AttachmentTarget("contract", models.Contract)]  # the signed document, annexes, correspondence


@hookimpl
def crm_register_approval_targets():
    return [approvals.TARGET]


@hookimpl
async def crm_on_approval_submitted(session, request, record):
    if request.resource == "contract":
        await approvals.submitted(session, request, record)


@hookimpl
async def crm_on_approval_decided(session, request, record):
    if request.resource == "contract" and record is not None:
        await approvals.decided(session, request, record)


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("contract life", "contract", tuple(f"contract_{k}" for k in sources.KINDS), sources.contract_life)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(models.Contract, label="contracts")]


@hookimpl
def crm_register_jobs():
    return [Job("contracts.expire", timedelta(hours=1), jobs.expire), Job("contracts.remind_overdue", timedelta(hours=1), jobs.remind_overdue),
            Job("contracts.renewals", timedelta(hours=1), renewals.run)]


@hookimpl
def crm_register_bench_data():
    from crm.plugins.contracts import bench

    return [BenchData("contracts", bench.TABLES, bench.generate, order=300)]


@hookimpl
def crm_register_demo_data():
    from crm.plugins.contracts.demo import load

    return [DemoData("contracts", load, order=300)]



@hookimpl
def crm_register_saved_lists():
    return [crm.SavedList("contracts", "contract", "ContractFilter", None)]


@hookimpl
def crm_register_console_pages():
    return [ConsolePage("/contracts", "Contracts", "contract")]
