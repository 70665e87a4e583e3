"""Bulk work on customers (`bulkUpdateCustomers`): one batch of a job, set-based, as the user who started it.

Per batch: the customers still there and still within the user's write scope are locked (PostgreSQL), their tags
added and taken off, their owner changed, their version stepped once, one audit entry each; a task is made for each
(assigned to its owner unless one assignee was given, and owned by its assignee, who may then see and close it),
audited as its creation. The others are refused with the reason. All of it commits with the batch's items.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from crm.activities.tasks import add_tasks
from crm.audit.listener import record_many
from crm.customers.models import Customer, CustomerTag
from crm.models import utcnow

OUT_OF_SCOPE = "deleted, or no longer yours to change"
TABLE = Customer.__table__  # plain statements: the ORM's per-object version check is for one record at a time


async def apply(session, ctx, ids: list[int], params: dict) -> dict[int, str]:
    stmt = select(Customer.id, Customer.owner_id).where(Customer.id.in_(ids), Customer.deleted_at.is_(None),
                                                        ctx.access.filter(Customer, "customer", "write"))
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # a user's edit of one of these waits for the batch, then gets CONFLICT
    owners = dict((await session.execute(stmt)).all())
    refused = {i: OUT_OF_SCOPE for i in ids if i not in owners}
    changes: dict[int, list[dict]] = defaultdict(list)
    await _tags(session, owners, set(params.get("addTags") or ()), set(params.get("removeTags") or ()), changes)
    new_owner = params.get("ownerId")
    if new_owner is not None:
        moved = [c for c, owner in owners.items() if owner != new_owner]
        if moved:
            await session.execute(update(TABLE).where(TABLE.c.id.in_(moved)).values(owner_id=new_owner))
        for c in moved:
            changes[c].append({"field": "ownerId", "old": owners[c], "new": new_owner})
            owners[c] = new_owner
    if changes:
        now = utcnow()
        await session.execute(update(TABLE).where(TABLE.c.id.in_(list(changes))).values(version=TABLE.c.version + 1, updated_at=now))
        for action in ("transfer", "update"):
            entries = [(c, found, c) for c, found in changes.items() if any(x["field"] == "ownerId" for x in found) == (action == "transfer")]
            await record_many(session, action, "customer", entries)
    if params.get("task"):
        await _tasks(session, owners, params["task"])
    return refused


async def _tags(session, owners: dict[int, int], add: set[str], remove: set[str], changes) -> None:
    if not (add or remove) or not owners:
        return
    current: dict[int, set[str]] = defaultdict(set)
    for customer_id, tag in (await session.execute(select(CustomerTag.customer_id, CustomerTag.tag).where(
            CustomerTag.customer_id.in_(list(owners))))).all():
        current[customer_id].add(tag)
    new_rows, emptied = [], []
    for c in owners:
        old = current[c]
        new = (old | add) - remove
        if new != old:
            changes[c].append({"field": "tags", "old": sorted(old), "new": sorted(new)})
            new_rows += [{"customer_id": c, "tag": t} for t in sorted(new - old)]
            if old & remove:
                emptied.append(c)
    if emptied:
        await session.execute(delete(CustomerTag).where(CustomerTag.customer_id.in_(emptied), CustomerTag.tag.in_(sorted(remove))))
    if new_rows:
        await session.execute(insert(CustomerTag), new_rows)


async def _tasks(session, owners: dict[int, int], task: dict) -> None:
    due = datetime.fromisoformat(task["dueAt"]) if task.get("dueAt") else None
    await add_tasks(session, [{"customer_id": c, "subject": task["subject"], "body": task.get("body"), "due_at": due,
                               "assignee_id": task.get("assigneeId") or owner} for c, owner in owners.items()])
