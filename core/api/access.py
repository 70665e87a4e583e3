"""Access checks: one mechanism that every resolver passes through.

Every resolver in the schema is wrapped by exactly one of these decorators, and tests/test_access_walk.py fails
when a resolver is not:

- `@requires("customer", "read")`: the caller needs that grant, in any scope. Lists then narrow by scope in SQL
  with `access.filter(Model, "customer")`; single records are checked with `access.permits(...)`.
- `@authenticated`: any logged-in caller (e.g. `me`).
- `@public`: anyone (e.g. `login`).
- `@inherited`: reads only data of its parent object, which was authorised when it was loaded (e.g. `totalCount`).

Plain attribute fields need no decorator: their object was authorised by the resolver that returned it.
Decisions come from the caller's grants table (crm.identity.policy), so a check is a dict lookup.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true, union

from crm.api.errors import forbidden, unauthenticated
from crm.identity.models import Team, TeamMember
from crm.identity.policy import Grants, scope_covers

ACCESS_ATTR = "__crm_access__"


class Access:
    """What the caller may do, for one request."""

    def __init__(self, user_id: int | None, grants: Grants, session_factory=None):
        self.user_id = user_id
        self.grants = grants
        self._session_factory = session_factory
        self._team_ids: frozenset[int] | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def scope(self, resource: str, action: str = "read") -> str | None:
        return self.grants.get((resource, action))

    def can(self, resource: str, action: str = "read", scope: str = "own") -> bool:
        granted = self.grants.get((resource, action))
        return granted is not None and scope_covers(granted, scope)

    def require(self, resource: str, action: str = "read") -> str:
        if self.user_id is None:
            raise unauthenticated()
        scope = self.grants.get((resource, action))
        if scope is None:
            raise forbidden(f"you may not {action} {resource} records; ask an admin for a role that grants it")
        return scope

    def _team_members(self):
        my_teams = union(
            select(TeamMember.team_id).where(TeamMember.user_id == self.user_id),
            select(Team.id).where(Team.manager_id == self.user_id),
        )
        return select(TeamMember.user_id).where(TeamMember.team_id.in_(my_teams.scalar_subquery()))

    def filter(self, model: Any, resource: str, action: str = "read", owner_column: Any = None) -> ColumnElement[bool]:
        """The SQL condition that keeps only records the caller may `action`. Raises FORBIDDEN without any grant."""
        scope = self.require(resource, action)
        column = owner_column if owner_column is not None else model.owner_id
        if scope == "all":
            return true()
        if scope == "team":
            return or_(column == self.user_id, column.in_(self._team_members().scalar_subquery()))
        return column == self.user_id

    def filter_or_none(self, model: Any, resource: str, action: str = "read", owner_column: Any = None) -> ColumnElement[bool]:
        """Like `filter`, but a caller without the grant simply sees nothing (for optional parts such as a timeline)."""
        if self.user_id is None or (resource, action) not in self.grants:
            return false()
        return self.filter(model, resource, action, owner_column)

    async def team_user_ids(self) -> frozenset[int]:
        if self._team_ids is None:
            async with self._session_factory() as session:
                self._team_ids = frozenset((await session.scalars(self._team_members())).all())
        return self._team_ids

    async def permits(self, resource: str, action: str, owner_id: int | None) -> bool:
        """May the caller `action` this one record? Records without an owner need the `all` scope."""
        scope = self.require(resource, action)
        if scope == "all":
            return True
        if owner_id is None:
            return False
        if owner_id == self.user_id:
            return True
        return scope == "team" and owner_id in await self.team_user_ids()


def _wrap(fn: Callable, check: Callable[[Any], None], marker: tuple) -> Callable:
    if "info" not in inspect.signature(fn).parameters:
        raise TypeError(f"{fn.__qualname__}: a guarded resolver must take an `info` parameter")
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            check(kwargs["info"].context)
            return await fn(*args, **kwargs)

    else:

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            check(kwargs["info"].context)
            return fn(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, marker)
    return wrapper


def requires(resource: str, action: str = "read", *, or_null: bool = False) -> Callable[[Callable], Callable]:
    """The caller needs `action` on `resource`. With `or_null=True` a caller without it gets null instead of an
    error (for optional parts of a view, such as one plugin's numbers in a customer summary)."""
    if action not in ("read", "write"):
        raise ValueError(f"action must be read or write, not {action!r}")

    def decorate(fn: Callable) -> Callable:
        if not or_null:
            return _wrap(fn, lambda ctx: ctx.access.require(resource, action), ("requires", resource, action))
        is_async = inspect.iscoroutinefunction(fn)

        @functools.wraps(fn)
        async def async_wrapper(*args, **kwargs):
            access = kwargs["info"].context.access
            if access.user_id is None or (resource, action) not in access.grants:
                return None
            return await fn(*args, **kwargs)

        @functools.wraps(fn)
        def sync_wrapper(*args, **kwargs):
            access = kwargs["info"].context.access
            if access.user_id is None or (resource, action) not in access.grants:
                return None
            return fn(*args, **kwargs)

        wrapper = async_wrapper if is_async else sync_wrapper
        setattr(wrapper, ACCESS_ATTR, ("requires", resource, action))
        return wrapper

    return decorate


def _must_be_logged_in(ctx) -> None:
    if ctx.access.user_id is None:
        raise unauthenticated()


def authenticated(fn: Callable) -> Callable:
    return _wrap(fn, _must_be_logged_in, ("authenticated",))


def public(fn: Callable) -> Callable:
    return _wrap(fn, lambda ctx: None, ("public",))


def inherited(fn: Callable) -> Callable:
    return _wrap(fn, lambda ctx: None, ("inherited",))


def access_of(resolver: Callable | None) -> tuple | None:
    return getattr(resolver, ACCESS_ATTR, None)
