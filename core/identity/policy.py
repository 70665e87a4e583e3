"""The permission policy: Casbin decides, a per-process table of grants answers fast.

Casbin holds the policy (model: rbac_model.conf; rules: the `core_casbin_rule` table, read through the async
SQLAlchemy adapter). A raw `enforce()` walks every rule, so it is never called per request or per row: the
first request of a subject asks Casbin for all of the subject's implicit grants once and keeps the widest scope
per (resource, action) in a dict. Any change to roles or grants bumps the `policy` counter in the database;
each worker polls that counter at most every `policy_check_seconds` and reloads when it moved, so a change
made through one worker holds in every worker within about that long.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import casbin
from casbin_async_sqlalchemy_adapter import Adapter
from sqlalchemy import select

from crm.declarations import SCOPES
from crm.identity.models import CasbinRule
from crm.system.models import Counter

MODEL_FILE = Path(__file__).with_name("rbac_model.conf")
SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}
POLICY_COUNTER = "policy"

Grants = dict[tuple[str, str], str]  # (resource, action) -> widest scope


def scope_covers(granted: str, asked: str) -> bool:
    return SCOPE_RANK.get(granted, -1) >= SCOPE_RANK.get(asked, len(SCOPES))


def widest(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if SCOPE_RANK[a] >= SCOPE_RANK[b] else b


def user_subject(user_id: int) -> str:
    return f"user:{user_id}"


def role_subject(role_id: int) -> str:
    return f"role:{role_id}"


def apikey_subject(key_id: int) -> str:
    return f"apikey:{key_id}"


class Policy:
    def __init__(self, database, check_seconds: float):
        self._db = database
        self._check_seconds = check_seconds
        adapter = Adapter(database.engine, db_class=CasbinRule)
        self.enforcer = casbin.AsyncEnforcer(str(MODEL_FILE), adapter)
        self.enforcer.add_function("scopeCovers", scope_covers)
        self.version: int | None = None
        self._checked_at = 0.0
        self._grants: dict[str, Grants] = {}
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        async with self._db.read() as session:
            version = await session.scalar(select(Counter.value).where(Counter.name == POLICY_COUNTER))
        await self.enforcer.load_policy()
        self._grants = {}
        self.version = version
        self._checked_at = time.monotonic()

    async def refresh(self, *, force: bool = False) -> None:
        """Reload when another worker (or this one) changed the policy. Cheap: one tiny query every few hundred ms."""
        if not force and time.monotonic() - self._checked_at < self._check_seconds:
            return
        async with self._lock:
            if not force and time.monotonic() - self._checked_at < self._check_seconds:
                return
            async with self._db.read() as session:
                version = await session.scalar(select(Counter.value).where(Counter.name == POLICY_COUNTER))
            self._checked_at = time.monotonic()
            if force or version != self.version:
                await self.load()

    async def grants(self, subject: str) -> Grants:
        cached = self._grants.get(subject)
        if cached is None:
            cached = {}
            for _sub, resource, action, scope in await self.enforcer.get_implicit_permissions_for_user(subject):
                cached[(resource, action)] = widest(cached.get((resource, action)), scope)
            self._grants[subject] = cached
        return cached

    def explain(self, subject: str, resource: str, action: str, scope: str) -> tuple[bool, list[str]]:
        """Casbin's own verdict and the rule that allowed it (empty when denied)."""
        return self.enforcer.enforce_ex(subject, resource, action, scope)
