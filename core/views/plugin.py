"""Saved views, registered like any plugin: the table, the resource, the API, and the core's own list (customers).
Modules declare their lists with `crm_register_saved_lists`."""

from __future__ import annotations

from crm.declarations import GraphQLContribution, Resource, SavedList
from crm.hookspecs import hookimpl
from crm.views.models import SavedView
from crm.views.schema import SavedViewMutation, SavedViewQuery

# Every role keeps views of its own; sharing with a team is how others see them.
OWN_VIEWS = {role: {"read": "own", "write": "own"} for role in ("manager", "sales_rep", "viewer")}


@hookimpl
def crm_register_models():
    return [SavedView]


@hookimpl
def crm_register_permissions():
    return [Resource("saved_view", "Named filters and orders of lists, per user, shareable with a team.", default_grants=OWN_VIEWS)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[SavedViewQuery], mutation=[SavedViewMutation])


@hookimpl
def crm_register_saved_lists():
    return [SavedList("customers", "customer", "CustomerFilter", "CustomerOrder")]
