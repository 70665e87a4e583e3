"""The CRM core. This module is the whole public surface for plugin authors:

    from crm import hookimpl, Manifest, Resource, GraphQLContribution, Model, BusinessRecord, requires

Everything else under `crm.` is internal and may change between releases of the same API_VERSION.
"""

from crm.version import API_VERSION, __version__

# The public surface is imported lazily: `import crm` must stay cheap, because the command line and every
# plugin manifest import it.
_PUBLIC = {
    "hookimpl": "crm.hookspecs",
    "hookspec": "crm.hookspecs",
    "publish": "crm.events",
    "Manifest": "crm.declarations",
    "SCOPED_GRANTS": "crm.declarations",
    "READ_ALL_GRANTS": "crm.declarations",
    "Resource": "crm.declarations",
    "GraphQLContribution": "crm.declarations",
    "TimelineSource": "crm.declarations",
    "timeline_columns": "crm.customers.timeline",
    "CustomerReference": "crm.declarations",
    "ChangeRule": "crm.declarations",
    "month_key": "crm.sqlfuncs",
    "quarter_key": "crm.sqlfuncs",
    "period_start": "crm.sqlfuncs",
    "period_label": "crm.sqlfuncs",
    "days_between": "crm.sqlfuncs",
    "days_after": "crm.sqlfuncs",
    "unindexed": "crm.sqlfuncs",
    "utc_date": "crm.sqlfuncs",
    "quantile": "crm.sqlfuncs",
    "next_number": "crm.sequences",
    # The audit trail of changes made by set-based statements (which the ORM's flush does not see).
    "audit_records": "crm.audit.listener",
    "audit_select": "crm.audit.listener",
    "audit_changes": "crm.audit.listener",
    "audit_snapshot": "crm.audit.listener",
    "audit_children": "crm.audit.listener",
    # Tasks made by the system in bulk (reminders, follow-ups, SLA warnings), audited.
    "add_tasks": "crm.activities.tasks",
    # Bulk writes of plain rows (jobs, imports): one executemany, the new ids back in order.
    "insert_rows": "crm.db",
    # INSERT ... ON CONFLICT of the session's database (rows made by whoever comes first).
    "upsert": "crm.db",
    # Assignment rules (leads, tickets): a plugin declares a target, admins write rules, crm.assign picks an owner.
    "AssignmentTarget": "crm.declarations",
    "assign": "crm.assignment.rules",
    # Approvals (contracts, quotes): a plugin declares a target; admins write chains; records go through them.
    "ApprovalTarget": "crm.declarations",
    "approval_required": "crm.approvals.schema",
    # Files attached to records (a storage backend: a local folder or S3-compatible).
    "AttachmentTarget": "crm.declarations",
    # Work on many records at once (tag 40,000 customers): a target, a job started by a mutation, batches that resume.
    "BulkTarget": "crm.declarations",
    "start_bulk_job": "crm.bulk.runner",
    "run_bulk_job": "crm.bulk.runner",
    # Business calendars (SLA targets, appointment slots): working hours in a time zone, less holidays.
    "WorkingTime": "crm.calendars.hours",
    "working_time": "crm.calendars.working",
    "working_time_of": "crm.calendars.working",
    "BusinessCalendar": "crm.calendars.models",
    # Lists users may save named views of (a filter and an order, shareable with a team).
    "SavedList": "crm.declarations",
    # Plain HTTP endpoints of plugins (public forms, webhooks) and a rate limit every worker counts together.
    "HttpRoute": "crm.declarations",
    "ConsolePage": "crm.declarations",
    # Commands of plugins (crm_register_commands): the `crm import` / `crm export` groups and their helpers.
    "import_cli": "crm.cli",
    "export_cli": "crm.cli",
    "console": "crm.cli",
    "column_map": "crm.cli",
    "run_command": "crm.cli",
    "fail": "crm.cli",
    "runtime_as": "crm.cli",
    "read_import_file": "crm.cli",
    "report_import": "crm.cli",
    "command_runtime": "crm.cli",
    # CSV files as people have them (any encoding, ; or , or tabs, cells over several lines), for every module's imports.
    "read_csv_file": "crm.csvfiles",
    "read_csv_text": "crm.csvfiles",
    "write_rejections": "crm.csvfiles",
    "rate_limit": "crm.ratelimit",
    "client_address": "crm.api.http",
    # Money in many currencies (crm.money): validation, rounding, conversion in SQL and for single amounts.
    "currency_code": "crm.money.currencies",
    "minor_units": "crm.money.currencies",
    "round_money": "crm.money.currencies",
    "raw_to_money": "crm.money.conversion",
    "money_raw": "crm.money.conversion",
    "Conversion": "crm.money.conversion",
    "Unconverted": "crm.money.conversion",
    "convert_amount": "crm.money.conversion",
    "convert_in": "crm.money.conversion",
    "exchange_rate": "crm.money.conversion",
    "UnconvertedAmount": "crm.money.schema",
    "unconverted_list": "crm.money.schema",
    "currency_argument": "crm.money.schema",
    "ValueSource": "crm.declarations",
    "Job": "crm.declarations",
    "run_batches": "crm.batches",
    "DemoData": "crm.declarations",
    "BenchData": "crm.declarations",
    "Model": "crm.models",
    "BusinessRecord": "crm.models",
    "Money": "crm.models",
    "Timestamped": "crm.models",
    "SoftDeletable": "crm.models",
    "Versioned": "crm.models",
    "UTCDateTime": "crm.models",
    "JSONType": "crm.models",
    "id_column": "crm.models",
    "utcnow": "crm.models",
    "ID": "crm.models.types",
    "requires": "crm.api.access",
    "authenticated": "crm.api.access",
    "public": "crm.api.access",
    "inherited": "crm.api.access",
    "Access": "crm.api.access",
    "UserError": "crm.api.errors",
    "CORE_ERROR_CODES": "crm.api.errors",
    "Invalid": "crm.api.errors",
    "api_type": "crm.api.types",
    "connection_type": "crm.api.pagination",
    "Node": "crm.api.nodes",
    "global_id": "crm.api.global_ids",
    "report_key": "crm.api.global_ids",
    "paginate": "crm.api.pagination",
    "paginate_each": "crm.api.pagination",
    "page_size": "crm.api.pagination",
    "SortDirection": "crm.api.pagination",
    "parse_id": "crm.api.ids",
    "try_parse_id": "crm.api.ids",
    "bad_input": "crm.api.errors",
    "mutation": "crm.api.mutations",
    "fetch_for_write": "crm.api.mutations",
    "soft_delete": "crm.api.mutations",
    "restore": "crm.api.mutations",
    "fetch_linked": "crm.api.mutations",
    "Context": "crm.api.context",
    "acting_as": "crm.api.context",
    "IdInput": "crm.api.inputs",
    "UNSET": "crm.api.inputs",
    "given": "crm.api.inputs",
    "clean_text": "crm.api.inputs",
    "search_term": "crm.api.inputs",
    "payload_type": "crm.api.payloads",
    "DeletePayload": "crm.api.payloads",
    "list_page": "crm.api.pagination",
    # Per-request batch loaders for any model: by id, visible to the caller, children of a parent.
    "by_id_loader": "crm.api.loaders",
    "visible_loader": "crm.api.loaders",
    "children_loader": "crm.api.loaders",
    "grouped": "crm.api.loaders",
    "resolve_owner": "crm.customers.schema.mutations",
    # Making customers and contacts from another module's records (a converted lead), with the core's own checks.
    "add_customer": "crm.customers.schema.mutations",
    "add_contact": "crm.customers.schema.mutations",
    "clean_tags": "crm.customers.schema.mutations",
    "CreateCustomerInput": "crm.customers.schema.mutations",
    "CreateContactInput": "crm.customers.schema.mutations",
    "LabeledValueInput": "crm.customers.schema.types",
    "CustomerKind": "crm.customers.schema.types",
    # The core's normal forms of e-mail addresses and phone numbers (duplicate checks compare these).
    "normalise_email": "crm.customers.normalise",
    "normalise_phone": "crm.customers.normalise",
    # Per-request loaders of core records, scoped to what the caller may read.
    "visible_customer_loader": "crm.customers.schema.queries",
    # The customer list's filter, for modules that act on "the customers who ..." (campaign members, bulk jobs).
    "CustomerFilter": "crm.customers.schema.queries",
    # Custom fields on plugin records (a `custom_fields` JSON column makes a model an entity admins define fields for).
    "clean_custom_fields": "crm.customers.schema.custom_fields",
    "custom_field_values": "crm.customers.schema.custom_fields",
    "custom_field_conditions": "crm.customers.schema.custom_fields",
    "custom_field_group_key": "crm.customers.schema.custom_fields",
    "CustomFieldValue": "crm.customers.schema.custom_fields",
    "CustomFieldFilter": "crm.customers.schema.custom_fields",
    "customer_filter": "crm.customers.schema.queries",
    "user_loader": "crm.identity.schema.types",
    # The core's models, for foreign keys and for reading records that plugins attach to.
    "Customer": "crm.customers.models",
    "Contact": "crm.customers.models",
    "CustomerTag": "crm.customers.models",
    "Channel": "crm.customers.models",
    "Activity": "crm.activities.models",
    "ActivityContact": "crm.activities.models",
    "User": "crm.identity.models",
    "Team": "crm.identity.models",
    "TeamMember": "crm.identity.models",
}

__all__ = ["API_VERSION", "__version__", *_PUBLIC]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'crm' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
