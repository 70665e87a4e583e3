"""Assignment rules, registered like any plugin: the table, the resource, the API."""

from __future__ import annotations

from crm.assignment.models import AssignmentRule
from crm.assignment.schema import AssignmentMutation, AssignmentQuery
from crm.declarations import READ_ALL_GRANTS, GraphQLContribution, Resource
from crm.hookspecs import hookimpl


@hookimpl
def crm_register_models():
    return [AssignmentRule]


@hookimpl
def crm_register_permissions():
    return [Resource("assignment_rule", "Rules that give new records (leads, tickets) an owner.", default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[AssignmentQuery], mutation=[AssignmentMutation])
