"""Approvals, registered like any plugin: the tables, the resource, the API. Modules declare what takes approval with
`crm_register_approval_targets` and follow their records through `crm_on_approval_submitted` / `_decided`."""

from __future__ import annotations

from crm.approvals import models
from crm.approvals.schema import ApprovalMutation, ApprovalQuery
from crm.declarations import READ_ALL_GRANTS, GraphQLContribution, Resource
from crm.hookspecs import hookimpl


@hookimpl
def crm_register_models():
    return [models.ApprovalChain, models.ApprovalStep, models.ApprovalRequest, models.ApprovalAssignment, models.ApprovalDecision]


@hookimpl
def crm_register_permissions():
    return [Resource("approval_chain", "Approval chains: which records need whose approval.", default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[ApprovalQuery], mutation=[ApprovalMutation], nodes={"ApprovalRequest": "approvalRequest"})
