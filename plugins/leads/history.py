"""The lead's history: one immutable row per event, written in the transaction that made it."""

from __future__ import annotations

from crm import utcnow
from crm.plugins.leads.models import Lead, LeadEvent


def record(session, lead: Lead, kind: str, detail: str | None = None, *, actor_id: int | None = None, at=None) -> None:
    actor = actor_id if actor_id is not None else session.info.get("actor_id")
    session.add(LeadEvent(lead_id=lead.id, at=at or utcnow(), kind=kind, actor_id=actor, owner_id=lead.owner_id, pool_id=lead.pool_id,
                          detail=detail))
