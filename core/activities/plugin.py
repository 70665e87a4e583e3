"""Activities: the touchpoints part of the core, registered like any plugin."""

from sqlalchemy import literal, select, type_coerce

from crm.activities.models import Activity, ActivityContact
from crm.activities.schema.api import ActivityMutation, ActivityQuery
from crm.activities.schema.types import ActivityType
from crm.customers.timeline import timeline_columns
from crm.declarations import SCOPED_GRANTS, CustomerReference, GraphQLContribution, Resource, TimelineSource, ValueSource
from crm.hookspecs import hookimpl
from crm.models import Money



def activity_entries(access, customer_ids):
    return select(*timeline_columns(Activity, "activity", occurred_at=Activity.occurred_at, kind=Activity.kind,
                                    title=Activity.subject, body=Activity.body)).where(
        Activity.customer_id.in_(customer_ids), Activity.deleted_at.is_(None), access.filter_or_none(Activity, "activity"))


def activity_value(access):
    """Every touchpoint counts for recency and frequency; activities carry no money."""
    return select(
        Activity.customer_id.label("customer_id"), Activity.occurred_at.label("occurred_at"), type_coerce(literal(0), Money()).label("amount"),
    ).where(Activity.customer_id.is_not(None), Activity.deleted_at.is_(None), Activity.kind != "task", access.filter_or_none(Activity, "activity"))


@hookimpl
def crm_register_value_sources():
    return [ValueSource("activities", "activity", activity_value)]


@hookimpl
def crm_register_models():
    return [Activity, ActivityContact]


@hookimpl
def crm_register_permissions():
    return [Resource("activity", "Calls, emails, meetings, visits, notes and tasks.", default_grants=SCOPED_GRANTS)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[ActivityQuery], mutation=[ActivityMutation], types={"Activity": ActivityType})


@hookimpl
def crm_register_timeline_sources():
    kinds = ("call", "email", "meeting", "visit", "note", "task")
    return [TimelineSource("activities", "activity", kinds, activity_entries)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(Activity, label="activities")]
