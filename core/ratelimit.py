"""`wait = await crm.rate_limit(session, key, limit, window_seconds)`: count one hit of `key` (a public form from one
address, ...); 0 while the window has at most `limit` hits, else the seconds until the window ends.

Counted by the database, so every worker counts together, in the core's throttle table (keys `rate:<key>`): a fixed
window that starts at a key's first hit. Run it in its own transaction when the hit must count even if the request
is refused afterwards.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from crm.identity.models import LoginThrottle
from crm.models import utcnow


async def rate_limit(session, key: str, limit: int, window_seconds: int) -> int:
    key = f"rate:{key}"[:400]
    now = utcnow()
    window = timedelta(seconds=window_seconds)
    await session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.window_started_at < now - window)
                          .values(failures=0, window_started_at=now))
    bump = update(LoginThrottle).where(LoginThrottle.key == key).values(failures=LoginThrottle.failures + 1).returning(LoginThrottle.failures)
    hits = (await session.execute(bump)).scalar()
    if hits is None:
        try:
            async with session.begin_nested():
                session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
            hits = 1
        except IntegrityError:  # another worker counted this key's first hit meanwhile
            hits = (await session.execute(bump)).scalar()
    if hits <= limit:
        return 0
    started = await session.scalar(select(LoginThrottle.window_started_at).where(LoginThrottle.key == key))
    return max(1, int((started + window - now).total_seconds()) + 1)
