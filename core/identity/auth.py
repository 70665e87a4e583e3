"""Who is calling: bearer tokens (login sessions) and API keys, and throttling of failed logins."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from crm.identity.models import ApiKey, LoginThrottle, Token, User
from crm.identity.policy import apikey_subject, user_subject
from crm.models import utcnow

TOKEN_PREFIX = "crm_"
API_KEY_PREFIX = "crmk_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Principal:
    user_id: int
    subject: str  # the Casbin subject whose grants apply
    token_id: int | None = None
    api_key_id: int | None = None


async def issue_token(session, user_id: int, ttl_hours: float) -> str:
    token = new_secret(TOKEN_PREFIX)
    now = utcnow()
    session.add(Token(user_id=user_id, token_hash=digest(token), created_at=now, expires_at=now + timedelta(hours=ttl_hours)))
    await session.flush()
    return token


async def authenticate(db, authorization: str | None) -> Principal | None:
    """The principal for an `Authorization: Bearer ...` header; None when absent, invalid, expired or revoked."""
    if not authorization or not authorization.lower().startswith("bearer "):
        return None
    secret = authorization[7:].strip()
    now = utcnow()
    async with db.read() as session:
        if secret.startswith(API_KEY_PREFIX):
            row = (
                await session.execute(
                    select(ApiKey.id, ApiKey.user_id, ApiKey.last_used_at)
                    .join(User, User.id == ApiKey.user_id)
                    .where(ApiKey.key_hash == digest(secret), ApiKey.revoked_at.is_(None), User.is_active.is_(True))
                )
            ).first()
            if row is None:
                return None
            key_id, user_id, last_used = row
        else:
            row = (
                await session.execute(
                    select(Token.id, Token.user_id)
                    .join(User, User.id == Token.user_id)
                    .where(
                        Token.token_hash == digest(secret),
                        Token.revoked_at.is_(None),
                        Token.expires_at > now,
                        User.is_active.is_(True),
                    )
                )
            ).first()
            return Principal(user_id=row[1], subject=user_subject(row[1]), token_id=row[0]) if row else None
    if last_used is None or now - last_used > timedelta(minutes=1):  # a write per minute, not per request
        async with db.write() as session:
            await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))
    return Principal(user_id=user_id, subject=apikey_subject(key_id), api_key_id=key_id)


class Throttle:
    """Failed logins, counted in the database so every worker counts together, in two ways:

    - per account *and* client address: after `login_max_failures` failures each further try from that address
      waits, 1 s doubling up to `login_lockout_seconds`. Nobody can lock an account for its owner, who logs in
      from their own address; an administrator can clear the count (`unlockLogin`).
    - per client address: after `login_max_failures_per_address` failures over any accounts, wrong passwords from
      that address are answered THROTTLED (same doubling wait), so one address cannot spray guesses across many
      accounts; correct passwords still log in, so colleagues behind the same NAT are not shut out.

    Counts are forgotten `login_lockout_seconds` after the first failure of a window.
    """

    def __init__(self, settings):
        self.window = timedelta(seconds=settings.login_lockout_seconds)
        self.free = {"pair": settings.login_max_failures, "address": settings.login_max_failures_per_address}

    @staticmethod
    def pair_key(email: str, address: str | None) -> str:
        return f"pair:{email}|{address or '-'}"

    @staticmethod
    def address_key(address: str | None) -> str | None:
        return f"address:{address}" if address else None

    async def wait(self, session, key: str | None) -> int:
        """Seconds until `key` may try again (0: go ahead)."""
        if key is None:
            return 0
        now = utcnow()
        until = await session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key, LoginThrottle.locked_until > now))
        return int((until - now).total_seconds()) + 1 if until else 0

    async def failed(self, session, email: str, address: str | None) -> None:
        for kind, key in (("pair", self.pair_key(email, address)), ("address", self.address_key(address))):
            if key is not None:
                await self._count(session, kind, key)

    async def _count(self, session, kind: str, key: str) -> None:
        """One more failure for `key`, counted by the database, so concurrent failures are all counted."""
        now = utcnow()
        await session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.window_started_at < now - self.window)
                              .values(failures=0, window_started_at=now, locked_until=None))
        bump = update(LoginThrottle).where(LoginThrottle.key == key).values(failures=LoginThrottle.failures + 1).returning(LoginThrottle.failures)
        failures = (await session.execute(bump)).scalar()
        if failures is None:
            try:
                async with session.begin_nested():
                    session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
                failures = 1
            except IntegrityError:  # another worker counted this key's first failure meanwhile
                failures = (await session.execute(bump)).scalar()
        beyond = failures - self.free[kind]
        if beyond >= 0:
            delay = min(timedelta(seconds=2 ** min(beyond, 20)), self.window)
            await session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=now + delay))

    async def succeeded(self, session, email: str, address: str | None) -> None:
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == self.pair_key(email, address)))

    @staticmethod
    async def unlock(session, email: str) -> int:
        """Forget the failures of `email` from every address; how many addresses had any."""
        prefix = f"pair:{email}|"
        result = await session.execute(delete(LoginThrottle).where(func.substr(LoginThrottle.key, 1, len(prefix)) == prefix))
        return result.rowcount or 0
