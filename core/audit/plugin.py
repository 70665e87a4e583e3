"""The audit trail's API: `auditLog`, for those granted read on `audit` (admins by default)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.api import refs
from sqlalchemy import select
from strawberry.scalars import JSON

from crm.api.access import inherited, requires
from crm.api.global_ids import from_global, reference_type, report_key
from crm.api.ids import try_parse_id
from crm.api.pagination import SortDirection, connection_type, list_page
from crm.declarations import GraphQLContribution, Resource
from crm.hookspecs import hookimpl
from crm.audit.models import AuditEntry
from crm.identity.schema.types import user_loader


@strawberry.type(description="One change to one record.")
class FieldChange:
    field: str = strawberry.field(description="The field, as the API names it.")
    old: JSON | None = strawberry.field(description="Its value before.")
    new: JSON | None = strawberry.field(description="Its value after.")


@strawberry.type(name="AuditEntry", description="One change to one record: who made it, when, and each field's old and new value.")
class AuditEntryType:
    id: strawberry.ID
    at: datetime = strawberry.field(description="When the change was made.")
    action: str = strawberry.field(description="create, update, delete, restore, or a verb a module records (transfer, merge, ...).")
    resource: str
    record_id: str
    customer_id: strawberry.ID | None

    @strawberry.field(description="Each field that changed, with its old and new value.")
    @inherited
    def changes(self, info: strawberry.Info) -> list[FieldChange]:
        # A changed reference (ownerId, customerId) shows the ids the API gives out, as the record's own field does.
        schema = info.schema
        type_name = schema.resource_types.get(self.resource)
        out = []
        for c in self.changes:
            kind = reference_type(schema._schema, type_name, c["field"])
            out.append(FieldChange(field=c["field"], old=report_key(kind, c.get("old")), new=report_key(kind, c.get("new"))))
        return out

    @strawberry.field(description="Who made the change; null for the system's jobs.")
    @inherited
    async def actor(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.actor_id) if self.actor_id else None


AuditEntryConnection = connection_type("AuditEntry", AuditEntryType)


@strawberry.input
class AuditFilter:
    resource: str | None = strawberry.field(default=None, description="Only changes to this kind of record.")
    record_id: strawberry.ID | None = None
    customer_id: strawberry.ID | None = None
    actor_id: strawberry.ID | None = None
    action: str | None = strawberry.field(default=None, description="Only this action (create, update, delete, ...).")
    from_: datetime | None = strawberry.field(description="Only changes at or after this time.", default=None, name="from")
    to: datetime | None = strawberry.field(default=None, description="Only changes before this time.")


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Every change to business records, newest first.")
    @requires("audit", "read")
    async def audit_log(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, filter: AuditFilter | None = None
    ) -> AuditEntryConnection:
        stmt = select(AuditEntry)
        f = filter or AuditFilter()
        if f.resource:
            stmt = stmt.where(AuditEntry.resource == f.resource)
        if f.record_id:
            # A record's global id, or what the entry stores for records without a number (a plugin's name).
            found = from_global(str(f.record_id))
            stmt = stmt.where(AuditEntry.record_id == (found[1] if found else str(f.record_id)))
        if f.customer_id:
            stmt = stmt.where(AuditEntry.customer_id == try_parse_id(f.customer_id))
        if f.actor_id:
            stmt = stmt.where(AuditEntry.actor_id == try_parse_id(f.actor_id))
        if f.action:
            stmt = stmt.where(AuditEntry.action == f.action)
        if f.from_:
            stmt = stmt.where(AuditEntry.at >= f.from_)
        if f.to:
            stmt = stmt.where(AuditEntry.at < f.to)
        return await list_page(info, stmt, order=[AuditEntry.id], direction=SortDirection.DESC,
                               first=first, after=after, last=last, before=before)


@hookimpl
def crm_register_models():
    return [AuditEntry]


@hookimpl
def crm_register_permissions():
    return [Resource("audit", "The audit trail: who changed what, when.", owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[AuditQuery])
