"""Writes the audit trail from the ORM's own bookkeeping, so no change to an audited record can skip it.

Any mapped class with a `__resource__` is audited: after every flush, inserts, changed columns (old and new
value), soft deletes, restores and ownership transfers are written in the same transaction. Changes made with bulk
SQL statements bypass the ORM and must call `record()` themselves (merging customers does).
"""

from __future__ import annotations

import functools

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, event, func, insert, inspect, literal, null, select
from sqlalchemy.orm import Session

from crm.audit.models import AuditEntry
from crm.models import UTCDateTime, utcnow
from crm.models.types import ID

REDACTED = {"password_hash", "token_hash", "key_hash"}
NOT_AUDITED = {"updated_at", "version", "search_name", "website_domain"}  # derived or bookkeeping


@functools.lru_cache(maxsize=1024)  # a few hundred column names, asked for on every audited flush
def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _customer_id(obj: Any, resource: str) -> int | None:
    if resource == "customer":
        return obj.id
    return getattr(obj, "customer_id", None)


def entry(session: Session, action: str, resource: str, record_id: Any, changes: list[dict], customer_id: int | None = None) -> dict:
    return {
        "at": utcnow(),
        "actor_id": session.info.get("actor_id"),
        "action": action,
        "resource": resource,
        "record_id": str(record_id),
        "customer_id": customer_id,
        "changes": changes,
    }


async def record(session, action: str, resource: str, record_id: Any, changes: list[dict] | None = None, customer_id: int | None = None) -> None:
    """Write one audit entry by hand (for changes the ORM does not see: bulk updates, grants, memberships)."""
    await session.execute(insert(AuditEntry), [entry(session.sync_session, action, resource, record_id, changes or [], customer_id)])


async def record_many(session, action: str, resource: str, records) -> int:
    """Audit entries for changes made by bulk statements, one INSERT for all: `records` are (record_id, changes,
    customer_id) with changes as [{"field", "old", "new"}] (fields in camelCase, values as JSON). Public as
    `crm.audit_records`, for plugins whose set-based updates the ORM does not see."""
    rows = [entry(session.sync_session, action, resource, record_id, changes, customer_id) for record_id, changes, customer_id in records]
    if rows:
        await session.execute(insert(AuditEntry), rows)
    return len(rows)


def audit_changes(session, *changes: tuple[str, Any, Any]):
    """The `changes` of an audit entry built in SQL, for `audit_select`: `(field, old, new)` with field in camelCase and
    old, new SQL expressions (columns, `None`). PostgreSQL's json_build_*, SQLite's json_*: both give JSON null for NULL."""
    pg = session.bind.dialect.name == "postgresql"
    obj, arr = (func.json_build_object, func.json_build_array) if pg else (func.json_object, func.json_array)
    value = lambda v: null() if v is None else v  # noqa: E731 - the keyword NULL, which needs no parameter type
    return arr(*(obj(literal("field"), literal(field), literal("old"), value(old), literal("new"), value(new)) for field, old, new in changes))


async def audit_select(session, action: str, resource: str, stmt) -> None:
    """Audit entries for a set-based change, written by INSERT ... SELECT: `stmt` selects (record_id, customer_id,
    changes) per changed record (a customer_id of None typed: `literal(None, crm.ID)`), `changes` from `audit_changes`. Run it before the change when it reads old values.
    Public as `crm.audit_select`; `crm.audit_records` does the same from rows in Python."""
    rows = stmt.subquery()
    source = select(literal(utcnow(), UTCDateTime()), literal(session.info.get("actor_id"), ID), literal(action), literal(resource),
                    cast(rows.c[0], String), rows.c[1], rows.c[2])
    columns = ["at", "actor_id", "action", "resource", "record_id", "customer_id", "changes"]
    await session.execute(insert(AuditEntry).from_select(columns, source))


def _changes(obj: Any) -> list[dict]:
    state = inspect(obj)
    out = []
    for attr in state.mapper.column_attrs:
        if attr.key in NOT_AUDITED:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if attr.key in REDACTED:
            old, new = ("***" if old else None), "***"
        out.append({"field": camel(attr.key), "old": plain(old), "new": plain(new)})
    return out


def snapshot(mapper, value_of) -> list[dict]:
    """The changes of a "create" entry: every column with a value (`value_of(key)`), in the mapper's column order."""
    out = []
    for attr in mapper.column_attrs:
        if attr.key in NOT_AUDITED or attr.key in ("id", "created_at"):
            continue
        value = value_of(attr.key)
        if value is None or value == [] or value == {}:
            continue
        out.append({"field": camel(attr.key), "old": None, "new": "***" if attr.key in REDACTED else plain(value)})
    return out


def _snapshot(obj: Any) -> list[dict]:
    return snapshot(inspect(obj).mapper, lambda key: getattr(obj, key))


def audit_snapshot(model: type, values: dict) -> list[dict]:
    """The changes of the "create" entry of a `model` row written as plain `values` (crm.insert_rows), exactly as the
    ORM's flush would write them: for `crm.audit_records(session, "create", resource, [(id, changes, customer_id)])`.
    Public as `crm.audit_snapshot`."""
    return snapshot(model.__mapper__, values.get)


def note_children(session, obj: Any, field: str, old: list, new: list) -> None:
    """Record a change of `obj`'s child rows (a customer's tags, emails, phones), written by statements the ORM does
    not track, so that it goes into `obj`'s own audit entry as `field` with before/after lists. Call it before the
    flush that writes `obj`; noting the same field twice keeps the first `old` and the last `new`."""
    sync = getattr(session, "sync_session", session)
    notes = sync.info.setdefault("audit_children", {}).setdefault(id(obj), (obj, {}))[1]
    notes[field] = (notes[field][0] if field in notes else old, new)


audit_children = note_children  # public as `crm.audit_children`: a plugin's records have child rows too (a ticket's tags)


def _children(session: Session, obj: Any) -> list[dict]:
    noted = session.info.get("audit_children", {}).pop(id(obj), None)
    if noted is None:
        return []
    return [{"field": field, "old": old, "new": new} for field, (old, new) in noted[1].items() if old != new]


def write_audit(session: Session) -> None:
    """Called after every flush (crm.changes): the audit entries of what it wrote, in the same transaction."""
    rows = []
    for obj in session.new:
        resource = getattr(obj, "__resource__", "")
        if resource:
            rows.append(entry(session, "create", resource, obj.id, _snapshot(obj) + _children(session, obj), _customer_id(obj, resource)))
    for obj in session.dirty:
        resource = getattr(obj, "__resource__", "")
        if not resource or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changes(obj) + _children(session, obj)
        if changes:
            rows.append(entry(session, _action(changes, obj), resource, obj.id, changes, _customer_id(obj, resource)))
    for obj in session.deleted:
        resource = getattr(obj, "__resource__", "")
        if resource:
            rows.append(entry(session, "purge", resource, obj.id, [], _customer_id(obj, resource)))
    if rows:
        _write(session, rows)


def _action(changes: list[dict], obj: Any) -> str:
    fields = {c["field"] for c in changes}
    if fields == {"deletedAt"}:
        return "restore" if obj.deleted_at is None else "delete"
    return "transfer" if "ownerId" in fields else "update"


# One change is one entry: a mutation may flush a record more than once (a new deal is inserted, then its stage is
# set once it has an id), and each flush would otherwise write its own entry. The entries written in this transaction
# are remembered by record, and a later flush of the same record folds its changes into that entry.
WRITTEN = "audit_written"


def _write(session: Session, rows: list[dict]) -> None:
    table = AuditEntry.__table__
    connection = session.connection()
    written = session.info.setdefault(WRITTEN, {})
    fresh = []
    for row in rows:
        key = (row["resource"], row["record_id"])
        earlier = written.pop(key, None) if row["action"] != "purge" else None
        if earlier is None:
            fresh.append(row)
            continue
        _fold(earlier, row)
        if earlier["changes"]:
            connection.execute(table.update().where(table.c.id == earlier["id"]).values(action=earlier["action"], changes=earlier["changes"]))
            written[key] = earlier
        else:  # deleted and restored, or changed and changed back: nothing happened
            connection.execute(table.delete().where(table.c.id == earlier["id"]))
    if fresh:
        ids = connection.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), fresh).scalars().all()
        for row, entry_id in zip(fresh, ids):
            if row["action"] != "purge":
                written[(row["resource"], row["record_id"])] = {**row, "id": entry_id}


def _fold(earlier: dict, later: dict) -> None:
    """`earlier` becomes the one entry of both: each field's first old value and last new one; a field back where it
    started is dropped. A create stays a create (its snapshot shows the values the record was made with)."""
    changes = {c["field"]: dict(c) for c in earlier["changes"]}
    for change in later["changes"]:
        field = change["field"]
        changes[field] = {"field": field, "old": changes[field]["old"] if field in changes else change["old"], "new": change["new"]}
    if earlier["action"] == "create":
        earlier["changes"] = [c for c in changes.values() if c["new"] not in (None, [], {})]
        return
    earlier["changes"] = [c for c in changes.values() if c["old"] != c["new"]]
    fields = {c["field"] for c in earlier["changes"]}
    if fields == {"deletedAt"}:
        earlier["action"] = "restore" if earlier["changes"][0]["new"] is None else "delete"
    elif fields:
        earlier["action"] = "transfer" if "ownerId" in fields else "update"


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session: Session, transaction) -> None:
    # At the end of the transaction the entries are final; a savepoint rolled back may have taken some with it, so
    # later flushes write entries of their own rather than fold into rows that no longer exist.
    if transaction.parent is None or transaction.nested:
        session.info.pop(WRITTEN, None)


audit_records = record_many  # the public name (crm.audit_records)
