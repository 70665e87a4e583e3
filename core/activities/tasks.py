"""`crm.add_tasks`: tasks made by the system in bulk (a bulk job's follow-ups, overdue reminders, SLA warnings), one
INSERT and one audit INSERT for all of them, each assigned to and owned by its assignee so that they see and close it."""

from __future__ import annotations

from crm.activities.models import Activity
from crm.audit.listener import audit_snapshot, record_many
from crm.db import insert_rows
from crm.models import utcnow


async def add_tasks(session, tasks: list[dict]) -> list[int]:
    """Make a task per dict of `tasks`: customer_id, subject, assignee_id, and optionally body, due_at,
    record_type and record_id (the record it is about). Returns the new activities' ids, in order."""
    now = utcnow()
    rows = [{"customer_id": t["customer_id"], "kind": "task", "subject": t["subject"][:500], "body": t.get("body"), "direction": None,
             "occurred_at": now, "duration_minutes": None, "outcome": None, "record_type": t.get("record_type"),
             "record_id": str(t["record_id"]) if t.get("record_id") is not None else None, "due_at": t.get("due_at"),
             "assignee_id": t["assignee_id"], "done": False, "done_at": None, "created_at": now, "updated_at": now,
             "owner_id": t["assignee_id"], "deleted_at": None, "version": 1} for t in tasks]
    ids = await insert_rows(session, Activity.__table__, rows)
    await record_many(session, "create", "activity", [(i, audit_snapshot(Activity, row), row["customer_id"]) for i, row in zip(ids, rows)])
    return ids


__all__ = ["add_tasks"]
