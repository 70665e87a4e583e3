"""Sales' scheduled work (registered in plugin.py; the scheduler runs each on one worker at a time)."""

from __future__ import annotations

from sqlalchemy import select

from crm import utcnow
from crm.plugins.sales.models import Quote


async def expire_quotes(runtime) -> None:
    """Scheduled: drafts and sent quotes past their validity become expired."""
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        stale = (await session.scalars(select(Quote).where(Quote.status.in_(("draft", "sent")), Quote.valid_until < utcnow().date()))).all()
        for quote in stale:
            quote.status = "expired"
