"""Merging customers: every record that points at a source customer moves to the target, in one transaction.

What moves is not known to the core: every module lists its customer columns through
`crm_register_customer_references`, and merging re-points each of them with one UPDATE. The sources are soft
deleted (so they can be looked at later), the target keeps its own values and takes the sources' values only
where it has none, and the audit trail records the merge on the target and on every source.

A merge moves only what the caller may change: when a source has records of an owned kind (a colleague's deal, an
admin's note) outside the caller's write scope, the merge is refused and says how many, dry run included. Every
moved record steps its `version` (so a front-end holding it sees a conflict, not a silent change) and gets an audit
entry of its own.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import case, delete, false, func, insert, not_, select, update

from crm.api.errors import Invalid
from crm.audit.listener import entry, record
from crm.audit.models import AuditEntry
from crm.customers.models import Channel, Contact, Customer, CustomerTag
from crm.events import publish
from crm.models import utcnow

FILLABLE = ("industry", "size", "region", "source", "website", "website_domain", "notes")


@dataclasses.dataclass
class Change:
    what: str
    count: int


def _owned_resource(runtime, model) -> str | None:
    """The resource whose write scope decides who may move `model`'s rows, when its rows have owners."""
    resource = getattr(model, "__resource__", "")
    declared = runtime.resources.get(resource)
    if declared is None or not declared.owned or not hasattr(model, "owner_id"):
        return None
    return resource


async def _refuse_what_the_caller_may_not_move(session, runtime, access, source_ids: list[int]) -> None:
    for ref in runtime.customer_references:
        resource = _owned_resource(runtime, ref.model)
        if resource is None:
            continue
        writable = access.filter(ref.model, resource, "write") if access.can(resource, "write") else false()
        column = getattr(ref.model, ref.column)
        hidden = await session.scalar(select(func.count()).select_from(ref.model).where(column.in_(source_ids), not_(writable)))
        if hidden:
            label = ref.label or ref.model.__tablename__
            raise Invalid.one("sourceIds", "FORBIDDEN", f"the customers to merge have {hidden} {label} you may not change; "
                                                        "ask someone who may change them to merge, or to move them first")


async def _move(session, ref, source_ids: list[int], target_id: int) -> int:
    """Re-point one reference's rows at the target: a version step for versioned records, an audit entry each."""
    column = getattr(ref.model, ref.column)
    resource = getattr(ref.model, "__resource__", "")
    values = {ref.column: target_id}
    if hasattr(ref.model, "version"):
        values["version"] = ref.model.version + 1
    moved = []
    if resource:
        moved = (await session.execute(select(ref.model.id, column).where(column.in_(source_ids)))).all()
    result = await session.execute(
        update(ref.model).where(column.in_(source_ids)).values(values).execution_options(synchronize_session=False)
    )
    if moved:
        changes = lambda old: [{"field": "customerId", "old": str(old), "new": str(target_id)}]  # noqa: E731
        await session.execute(insert(AuditEntry), [
            entry(session.sync_session, "update", resource, row_id, changes(old), target_id) for row_id, old in moved
        ])
    return result.rowcount


async def disabled_plugins_with_tables(runtime) -> list[str]:
    """Installed plugins that are disabled while their tables are still there. Only enabled plugins say which of their
    records point at customers, so a merge would leave such a plugin's records pointing at a deleted customer. Read
    before the merge's write transaction: the migration state is read on a connection of its own."""
    disabled = set(runtime.installed) - set(runtime.enabled)
    if not disabled:
        return []
    return sorted(b.name for b in await runtime.migrator.status() if b.name in disabled and b.current is not None)


def _refuse_while_disabled(plugins: list[str]) -> None:
    if plugins:
        raise Invalid.one(None, "PLUGIN_DISABLED", f"the plugin {', '.join(plugins)} is disabled but its tables may hold records of these "
                                                   f"customers; enable it (crm plugins enable {plugins[0]}) before merging, so nothing is left behind")


async def _duplicate_channels(session, target_id: int, source_ids: list[int]) -> list[int]:
    """The customer-level emails and phones that would repeat one already there once the sources' are moved (same
    kind and normalised value): the target's own are kept, then the earliest. A contact's channels stay its own."""
    rows = await session.execute(
        select(Channel.id, Channel.kind, Channel.normalized)
        .where(Channel.customer_id.in_([target_id, *source_ids]), Channel.contact_id.is_(None))
        .order_by(case((Channel.customer_id == target_id, 0), else_=1), Channel.id)
    )
    seen, repeated = set(), []
    for channel_id, kind, normalized in rows:
        if (kind, normalized) in seen:
            repeated.append(channel_id)
        seen.add((kind, normalized))
    return repeated


async def merge(session, runtime, access, target: Customer, sources: list[Customer], *, dry_run: bool,
                disabled_with_tables: list[str] = ()) -> list[Change]:
    """`disabled_with_tables`: what `disabled_plugins_with_tables` said before the transaction; the merge refuses then."""
    source_ids = [s.id for s in sources]
    changes: list[Change] = []
    _refuse_while_disabled(list(disabled_with_tables))
    await _refuse_what_the_caller_may_not_move(session, runtime, access, source_ids)
    duplicates = await _duplicate_channels(session, target.id, source_ids)
    had_primary = await session.scalar(
        select(func.count()).select_from(Contact).where(Contact.customer_id == target.id, Contact.is_primary.is_(True))
    )
    for ref in runtime.customer_references:
        column = getattr(ref.model, ref.column)
        label = ref.label or ref.model.__tablename__
        if dry_run:
            count = await session.scalar(select(func.count()).select_from(ref.model).where(column.in_(source_ids)))
        else:
            if ref.model is Contact and had_primary:
                await session.execute(update(Contact).where(Contact.customer_id.in_(source_ids)).values(is_primary=False))
            count = await _move(session, ref, source_ids, target.id)
        if count:
            changes.append(Change(f"moved {label}", count))
    if duplicates:
        changes.append(Change("collapsed duplicate emails and phones", len(duplicates)))
        if not dry_run:
            await session.execute(delete(Channel).where(Channel.id.in_(duplicates)))

    own_tags = set((await session.scalars(select(CustomerTag.tag).where(CustomerTag.customer_id == target.id))).all())
    new_tags = sorted(set((await session.scalars(select(CustomerTag.tag).where(CustomerTag.customer_id.in_(source_ids)))).all()) - own_tags)
    if new_tags:
        changes.append(Change(f"added tags {', '.join(new_tags)}", len(new_tags)))
        if not dry_run:
            session.add_all(CustomerTag(customer_id=target.id, tag=t) for t in new_tags)

    filled = {}
    for field in FILLABLE:
        if getattr(target, field) in (None, ""):
            value = next((getattr(s, field) for s in sources if getattr(s, field) not in (None, "")), None)
            if value is not None:
                filled[field] = value
    extra_fields = {k: v for s in reversed(sources) for k, v in (s.custom_fields or {}).items() if k not in (target.custom_fields or {})}
    for field in filled:
        if field != "website_domain":
            changes.append(Change(f"filled {field}", 1))
    for key in sorted(extra_fields):
        changes.append(Change(f"filled custom field {key}", 1))
    changes.append(Change("deleted merged customers", len(sources)))
    if dry_run:
        return changes

    for field, value in filled.items():
        setattr(target, field, value)
    if extra_fields:
        target.custom_fields = {**(target.custom_fields or {}), **extra_fields}
    target.updated_at = utcnow()
    now = utcnow()
    for source in sources:
        source.deleted_at = now
        await record(session, "merged", "customer", source.id, [{"field": "mergedInto", "old": None, "new": str(target.id)}], source.id)
    summary = [{"field": "mergedFrom", "old": None, "new": [str(i) for i in source_ids]}]
    summary += [{"field": c.what, "old": None, "new": c.count} for c in changes]
    await record(session, "merge", "customer", target.id, summary, target.id)
    await session.flush()
    await publish(session, "crm_on_customers_merged", target=target, source_ids=source_ids)
    return changes
