"""Customers and contacts: the centre of the core, registered like any plugin."""

from sqlalchemy import String, and_, cast, false, literal, or_, select

from crm.audit.models import AuditEntry
from crm.customers.models import Channel, Contact, CustomerTag, CustomFieldDefinition, Customer
from crm.customers import bulk
from crm.customers.schema.analysis import CustomerAnalysisQuery
from crm.customers.schema.bulk import TARGET, CustomerBulkMutation
from crm.customers.schema.csv_api import CustomerCsvMutation, CustomerCsvQuery
from crm.customers.schema.custom_fields import CustomFieldMutation, CustomFieldQuery
from crm.customers.schema.data_quality import DataQualityMutation, DataQualityQuery
from crm.customers.schema.mutations import CustomerMutation
from crm.customers.schema.queries import CustomerFilterCore, CustomerOrderCore, CustomerQuery
from crm.customers.schema.types import ContactType, CustomerSummaryType, CustomerType
from crm.declarations import READ_ALL_GRANTS, SCOPED_GRANTS, BulkTarget, CustomerReference, GraphQLContribution, Resource, TimelineSource
from crm.hookspecs import hookimpl
from crm.models import Model



def _owned_models() -> dict[str, type]:
    """Mapped classes whose rows have owners, by resource: the ones whose change entries need a per-record check."""
    out = {}
    for mapper in Model.registry.mappers:
        cls = mapper.class_
        resource = getattr(cls, "__resource__", "")
        if resource and "owner_id" in mapper.columns and "id" in mapper.columns:
            out.setdefault(resource, cls)
    return out


def change_entries(access, customer_ids):
    """Changes to the customer and its records, from the audit trail, each only when the caller may read the record it
    is about: a colleague's deal on a customer the caller reads leaves no trace in the caller's timeline."""
    owned = _owned_models()
    readable = []
    for (resource, action), scope in access.grants.items():
        if action != "read":
            continue
        model = owned.get(resource)
        if scope == "all" or resource == "customer":  # the timeline's own customer was read-checked already
            readable.append(AuditEntry.resource == resource)
        elif model is not None:
            visible = select(cast(model.id, String)).where(access.filter(model, resource))
            if hasattr(model, "customer_id"):
                visible = visible.where(model.customer_id.in_(customer_ids))
            readable.append(and_(AuditEntry.resource == resource, AuditEntry.record_id.in_(visible)))
    return select(
        AuditEntry.customer_id.label("customer_id"),
        (literal("audit:") + cast(AuditEntry.id, String)).label("id"),
        AuditEntry.at.label("occurred_at"),
        literal("change").label("kind"),
        (AuditEntry.resource + literal(" ") + AuditEntry.action).label("title"),
        literal(None, String).label("body"),
        AuditEntry.resource.label("record_type"),
        AuditEntry.record_id.label("record_id"),
        AuditEntry.actor_id.label("actor_id"),
    ).where(AuditEntry.customer_id.in_(customer_ids), or_(*readable) if readable else false())


@hookimpl
def crm_register_models():
    return [Customer, CustomerTag, Channel, Contact, CustomFieldDefinition]


@hookimpl
def crm_register_permissions():
    return [
        Resource("customer", "Companies and people the business deals with.", default_grants=SCOPED_GRANTS),
        Resource("contact", "People at customers.", default_grants=SCOPED_GRANTS),
        Resource("custom_field", "Definitions of custom fields.", default_grants=READ_ALL_GRANTS, owned=False),
    ]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(
        query=[CustomerQuery, CustomFieldQuery, DataQualityQuery, CustomerCsvQuery, CustomerAnalysisQuery],
        mutation=[CustomerMutation, CustomFieldMutation, DataQualityMutation, CustomerCsvMutation, CustomerBulkMutation],
        types={"Customer": CustomerType, "Contact": ContactType, "CustomerSummary": CustomerSummaryType,
               "CustomerFilter": CustomerFilterCore, "CustomerOrder": CustomerOrderCore},
        nodes={"Customer": "customer", "Contact": "contact"},
    )


@hookimpl
def crm_register_commands(cli):
    from crm.cli import export_cli, import_cli
    from crm.customers.commands import register

    register(import_cli, export_cli)


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("changes", "customer", ("change",), change_entries)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(Contact, label="contacts"), CustomerReference(Channel, label="emails and phones")]


@hookimpl
def crm_register_bulk_targets():
    return [BulkTarget(TARGET, "customer", bulk.apply)]
