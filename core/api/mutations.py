"""Running a mutation: one short write transaction; a refusal rolls everything back and returns typed errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from crm.api import lengths  # noqa: F401  (installs the flush check: no overlong text reaches a column)
from crm.api.errors import Invalid, UserError, conflict, not_found
from crm.api.ids import parse_id
from crm.api.payloads import DeletePayload
from crm.models import utcnow

P = TypeVar("P")


async def mutation(info, payload: Callable[..., P], work: Callable[[AsyncSession], Awaitable[P]]) -> P:
    """Run `work(session)` in a write transaction as the caller; `payload(errors=[...])` when it is refused.

    The session knows the caller (`session.info["actor_id"]`) so the audit trail records who did it.
    """
    ctx = info.context
    try:
        async with ctx.db.write() as session:
            session.info["actor_id"] = ctx.user_id
            session.info["runtime"] = ctx.runtime
            result = await work(session)
            await session.flush()
    except Invalid as exc:
        _check_codes(ctx, exc.errors)
        return payload(errors=exc.errors)
    except StaleDataError:
        return payload(errors=[UserError(field="version", code="CONFLICT", message="the record was changed meanwhile; reload it and try again")])
    if session.info.get("policy_changed"):
        await ctx.runtime.policy.refresh(force=True)
    return result


def _check_codes(ctx, errors: list[UserError]) -> None:
    """A code no module declared is a programming error: refused outright where CRM_STRICT_ERROR_CODES is set (tests),
    logged otherwise, so that clients only ever see codes docs/api.md lists."""
    unknown = sorted({e.code for e in errors} - ctx.runtime.error_codes.keys())
    if not unknown:
        return
    if ctx.settings.strict_error_codes:
        raise RuntimeError(f"undeclared error codes {unknown}: declare them with crm_register_error_codes")
    logging.getLogger("crm.api").warning("undeclared error codes %s", unknown)


async def fetch_for_write(
    session: AsyncSession, info, model: type, raw_id: Any, *, resource: str, field: str = "id",
    version: int | None = None, include_deleted: bool = False, action: str = "write", owner_attr: str = "owner_id",
    access=None,
) -> Any:
    """Load one record for a change, locked where the database can, checking scope and version.

    Outside the caller's scope a record is reported NOT_FOUND, exactly like one that does not exist: callers learn
    nothing about records they may not see. `access` instead of `info` (None) for work outside a request (imports).
    """
    access = access or info.context.access
    record_id = parse_id(raw_id, field)
    stmt = select(model).where(model.id == record_id)
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    record = await session.scalar(stmt)
    label = resource.replace("_", " ")
    if record is None or (not include_deleted and getattr(record, "deleted_at", None) is not None):
        raise not_found(field, label)
    if not await access.permits(resource, action, getattr(record, owner_attr, None)):
        raise not_found(field, label)
    if version is not None and record.version != version:
        raise conflict(label, record.version)
    return record


async def soft_delete(info, model: type, raw_id: Any, *, resource: str) -> Any:
    """The one delete of a record: it leaves lists, analysis and timelines, and `restore` brings it back (audited
    as a delete). NOT_FOUND when missing, already deleted or outside the caller's write scope."""
    async def work(session):
        record = await fetch_for_write(session, info, model, raw_id, resource=resource)
        record.deleted_at = utcnow()
        return DeletePayload()

    return await mutation(info, DeletePayload, work)


async def restore(info, model: type, raw_id: Any, *, resource: str, payload: Callable[..., P], field: str,
                  check: Callable[[AsyncSession, Any], Awaitable[None]] | None = None) -> P:
    """Bring a soft-deleted record back: `payload(**{field: record})`; INVALID when it is not deleted. `check(session,
    record)` refuses what may not come back (a name taken since: DUPLICATE); a unique index that still refuses it
    (another request took the name at the same moment) is DUPLICATE too, never a server error."""

    async def work(session):
        record = await fetch_for_write(session, info, model, raw_id, resource=resource, include_deleted=True)
        if record.deleted_at is None:
            raise Invalid.one("id", "INVALID", f"this {resource.replace('_', ' ')} is not deleted")
        if check is not None:
            await check(session, record)
        record.deleted_at = None
        try:
            await session.flush()
        except IntegrityError:
            raise Invalid.one("id", "DUPLICATE", f"a {resource.replace('_', ' ')} like this one exists again: rename it first") from None
        return payload(**{field: record})

    return await mutation(info, payload, work)


async def fetch_linked(session: AsyncSession, info, resource: str | None, raw_id: Any, *, customer_id: int | None = None,
                       type_field: str = "recordType", id_field: str = "recordId") -> Any:
    """The record another one links to by (resource, id), e.g. an activity about a deal: it must be of a registered
    kind, exist, not be deleted, be readable by the caller and, when `customer_id` is given and the record has a
    customer, belong to that customer. Anything else is NOT_FOUND, whether missing or hidden, as in `fetch_for_write`."""
    model = info.context.runtime.models_by_resource.get(resource or "")
    if model is None or "id" not in model.__mapper__.columns:
        raise Invalid.one(type_field, "INVALID", f"{resource!r} is not a kind of record that can be linked")
    record = await session.get(model, parse_id(raw_id, id_field))
    label = resource.replace("_", " ")
    if record is None or getattr(record, "deleted_at", None) is not None:
        raise not_found(id_field, label)
    if not info.context.access.can(resource, "read"):
        raise not_found(id_field, label)
    if not await info.context.access.permits(resource, "read", getattr(record, "owner_id", None)):
        raise not_found(id_field, label)
    if customer_id is not None and getattr(record, "customer_id", customer_id) != customer_id:
        raise Invalid.one(id_field, "INVALID", f"the {label} belongs to another customer")
    return record

