"""Merging customers: every record that points at a source customer moves to the target, in one transaction.

What moves is not known to the core: every module lists its customer columns through
`crm_register_customer_references`, and merging re-points each of them with one UPDATE. The sources are soft
deleted (so they can be looked at later), the target keeps its own values and takes the sources' values only
where it has none, and the audit trail records the merge on the target and on every source.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select, update

from crm.audit.listener import record
from crm.customers.models import Contact, Customer, CustomerTag
from crm.models import utcnow

FILLABLE = ("industry", "size", "region", "source", "website", "website_domain", "notes")


@dataclasses.dataclass
class Change:
    what: str
    count: int


async def merge(session, runtime, target: Customer, sources: list[Customer], *, dry_run: bool) -> list[Change]:
    source_ids = [s.id for s in sources]
    changes: list[Change] = []
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
            result = await session.execute(
                update(ref.model).where(column.in_(source_ids)).values({ref.column: target.id}).execution_options(synchronize_session=False)
            )
            count = result.rowcount
        if count:
            changes.append(Change(f"moved {label}", count))

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
    runtime.pm.hook.crm_on_customers_merged(session=session, target=target, source_ids=source_ids)
    return changes
