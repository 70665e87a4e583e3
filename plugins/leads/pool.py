"""The shared pool: claims, hand-overs, releases and recycling, decided in the database.

A claim locks the lead's row (PostgreSQL `FOR UPDATE`; SQLite has one writer at a time), so of two reps claiming
one lead at the same moment the second sees it owned and gets CONFLICT. The claim limit is counted under a lock of
the rep's membership row, so one rep's concurrent claims take turns and cannot pass the limit together.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, insert, literal, or_, select, update

import crm
from crm import Invalid, utcnow
from crm.plugins.leads import history
from crm.plugins.leads.models import OPEN, Lead, LeadEvent, LeadPool, LeadPoolMember


def locked(session, stmt):
    """`stmt` locking the rows it reads where the database can (PostgreSQL); SQLite has one writer at a time."""
    return stmt.with_for_update() if session.bind.dialect.name == "postgresql" else stmt


async def is_member(session, pool_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return await session.scalar(select(LeadPoolMember.user_id).where(LeadPoolMember.pool_id == pool_id, LeadPoolMember.user_id == user_id)) is not None


async def claim(session, lead_id: int, user_id: int) -> Lead:
    lead = await session.scalar(locked(session, select(Lead).where(Lead.id == lead_id)))
    if lead is None or lead.deleted_at is not None or lead.pool_id is None:
        raise Invalid.one("leadId", "NOT_FOUND", "lead not found in a pool")
    membership = await session.scalar(locked(session, select(LeadPoolMember).where(
        LeadPoolMember.pool_id == lead.pool_id, LeadPoolMember.user_id == user_id)))
    if membership is None:
        raise Invalid.one("leadId", "NOT_FOUND", "lead not found in a pool you are a member of")
    if lead.owner_id is not None:
        raise Invalid.one("leadId", "CONFLICT", "someone claimed this lead first")
    if lead.status not in OPEN:
        raise Invalid.one("leadId", "INVALID", f"a {lead.status} lead cannot be claimed")
    pool = await session.get(LeadPool, lead.pool_id)
    if pool.claim_limit is not None:
        held = await session.scalar(select(func.count()).select_from(Lead).where(
            Lead.pool_id == pool.id, Lead.owner_id == user_id, Lead.status.in_(OPEN), Lead.deleted_at.is_(None)))
        if held >= pool.claim_limit:
            raise Invalid.one("leadId", "LIMIT_REACHED", f"you hold {held} open leads of {pool.name}, its limit; work or release one first")
    lead.owner_id, lead.claimed_at, lead.updated_at = user_id, utcnow(), utcnow()
    history.record(session, lead, "claimed")
    return lead


def hand_over(session, lead: Lead, owner_id: int, kind: str, detail: str | None = None) -> None:
    lead.owner_id, lead.claimed_at, lead.updated_at = owner_id, utcnow(), utcnow()
    history.record(session, lead, kind, detail)


def release(session, lead: Lead, kind: str, reason: str | None) -> None:
    lead.owner_id, lead.claimed_at, lead.updated_at = None, None, utcnow()
    history.record(session, lead, kind, reason)


def neglected(pool: LeadPool, now):
    """The condition of this pool's leads that its recycling rule takes back."""
    reasons = []
    if pool.recycle_after_days is not None:
        cutoff = now - timedelta(days=pool.recycle_after_days)
        reasons.append(func.coalesce(Lead.last_follow_up_at, Lead.claimed_at) < cutoff)
    if pool.convert_within_days is not None:
        reasons.append(Lead.claimed_at < now - timedelta(days=pool.convert_within_days))
    return or_(*reasons) if reasons else None


async def recycle(runtime, batch: int = 5000) -> int:
    """Scheduled: leads of every active pool that their owner neglected go back to the pool. A lead is taken back
    once: the condition no longer holds after it (no owner), so a second run, or a second worker, finds nothing.

    Set-based, a batch per transaction: the due leads are locked (PostgreSQL `FOR UPDATE SKIP LOCKED`: a lead being
    changed right now waits for the next run), then one UPDATE takes them back (with a version step, so an edit made
    from an older read gets CONFLICT), one INSERT writes their history and one their audit entries."""
    total = 0
    async with runtime.db.read() as session:
        pools = (await session.scalars(select(LeadPool).where(LeadPool.active.is_(True), LeadPool.deleted_at.is_(None)))).all()
    for pool in pools:
        after = 0  # batches go forward by id: taken-back leads no longer match, and are not read again
        while True:
            now = utcnow()
            condition = neglected(pool, now)
            if condition is None:
                break
            async with runtime.db.write() as session:
                session.info["actor_id"] = None
                stmt = (select(Lead.id, Lead.owner_id, Lead.claimed_at, Lead.last_follow_up_at)
                        .where(Lead.id > after, Lead.pool_id == pool.id, Lead.owner_id.is_not(None), Lead.status.in_(OPEN),
                               Lead.deleted_at.is_(None), condition).order_by(Lead.id).limit(batch))
                if session.bind.dialect.name == "postgresql":
                    stmt = stmt.with_for_update(skip_locked=True)
                due = (await session.execute(stmt)).all()
                if due:
                    await _take_back(session, pool, due, now)
                    after = due[-1].id
            total += len(due)
            if len(due) < batch:
                break
    return total


async def _take_back(session, pool: LeadPool, due, now) -> None:
    ids = [row.id for row in due]
    # History and audit first, by INSERT ... SELECT (the rows never pass through Python), while the owner is still on the lead.
    why = literal(f"not converted within {pool.convert_within_days} days")
    if pool.recycle_after_days is not None:
        stale = func.coalesce(Lead.last_follow_up_at, Lead.claimed_at) < now - timedelta(days=pool.recycle_after_days)
        why = case((stale, literal(f"no follow-up for {pool.recycle_after_days} days")), else_=why)
    history_rows = select(Lead.id, literal(now, crm.UTCDateTime()), literal("recycled"), Lead.pool_id, why).where(Lead.id.in_(ids))
    await session.execute(insert(LeadEvent).from_select(["lead_id", "at", "kind", "pool_id", "detail"], history_rows))
    await crm.audit_select(session, "transfer", "lead", select(
        Lead.id, literal(None, crm.ID), crm.audit_changes(session, ("ownerId", Lead.owner_id, None), ("claimedAt", Lead.claimed_at, None)),
    ).where(Lead.id.in_(ids)))
    await session.execute(update(Lead).where(Lead.id.in_(ids))
                          .values(owner_id=None, claimed_at=None, updated_at=now, version=Lead.version + 1)
                          .execution_options(synchronize_session=False))
