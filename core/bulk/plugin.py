"""Bulk jobs, registered like any plugin: the tables, the resource, progress through GraphQL, and the scheduled job
that resumes what a restart left. Modules declare what their jobs do with `crm_register_bulk_targets`."""

from __future__ import annotations

from datetime import timedelta

from crm.bulk import runner
from crm.bulk.models import BulkItem, BulkJob
from crm.bulk.schema import BulkJobMutation, BulkJobQuery
from crm.declarations import GraphQLContribution, Job, Resource
from crm.hookspecs import hookimpl

OWN_JOBS = {role: {"read": "own", "write": "own"} for role in ("manager", "sales_rep", "viewer")}


@hookimpl
def crm_register_models():
    return [BulkJob, BulkItem]


@hookimpl
def crm_register_permissions():
    return [Resource("bulk_job", "Work on many records at once: its progress, and stopping it.", default_grants=OWN_JOBS)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[BulkJobQuery], mutation=[BulkJobMutation], nodes={"BulkJob": "bulkJob"})


@hookimpl
def crm_register_jobs():
    return [Job("core.bulk_jobs", timedelta(seconds=30), runner.resume)]
