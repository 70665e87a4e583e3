"""Who is calling: bearer tokens (login sessions) and API keys, and throttling of failed logins."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update

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
    """Failed logins counted per account and per client address in the database, so all workers count together."""

    def __init__(self, settings):
        self.window = timedelta(seconds=settings.login_lockout_seconds)
        self.limits = {"account": settings.login_max_failures, "address": settings.login_max_failures_per_address}

    @staticmethod
    def keys(email: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("account", f"account:{email}")]
        if address:
            keys.append(("address", f"address:{address}"))
        return keys

    async def locked_for(self, session, email: str, address: str | None) -> int:
        """Seconds until the caller may try again (0: go ahead)."""
        now = utcnow()
        keys = [k for _, k in self.keys(email, address)]
        until = await session.scalar(
            select(LoginThrottle.locked_until).where(LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)
            .order_by(LoginThrottle.locked_until.desc()).limit(1)
        )
        return int((until - now).total_seconds()) + 1 if until else 0

    async def failed(self, session, email: str, address: str | None) -> None:
        now = utcnow()
        for kind, key in self.keys(email, address):
            row = await session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))
            if row is None:
                row = LoginThrottle(key=key, failures=0, window_started_at=now)
                session.add(row)
            elif now - row.window_started_at > self.window:
                row.failures, row.window_started_at, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= self.limits[kind]:
                row.locked_until = now + self.window
        await session.flush()

    async def succeeded(self, session, email: str) -> None:
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"account:{email}"))
