from __future__ import annotations

from typing import Annotated

import strawberry

from crm.api import refs
from sqlalchemy import func, or_, select

from crm.api.inputs import search_term
from crm.api.access import authenticated, requires
from crm.api.ids import try_parse_id
from crm.api.pagination import connection_type, list_page
from crm.identity.models import ApiKey, Role, Team, User
from crm.identity.schema.explain import explain_access
from crm.identity.schema.types import AccessExplanation, Action, ApiKeyType

UserConnection = connection_type("User", refs.User)


@strawberry.input
class UserFilter:
    search: str | None = strawberry.field(default=None, description="Prefix of the name or email, any case.")
    active: bool | None = None


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The caller, with roles, teams and effective grants.")
    @authenticated
    async def me(self, info: strawberry.Info) -> refs.User | None:
        async with info.context.db.read() as session:
            return await session.get(User, info.context.user_id)

    @strawberry.field(description="Users the caller may read.")
    @requires("user", "read")
    async def users(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, filter: UserFilter | None = None
    ) -> UserConnection:
        ctx = info.context
        stmt = select(User).where(ctx.access.filter(User, "user", owner_column=User.id))
        if filter and (term := search_term(filter.search)):
            term = term.lower() + "%"
            stmt = stmt.where(or_(func.lower(User.name).like(term), User.email.like(term)))
        if filter and filter.active is not None:
            stmt = stmt.where(User.is_active.is_(filter.active))
        return await list_page(info, stmt, order=[User.id], first=first, after=after, last=last, before=before)

    @strawberry.field(description="One user; null when there is none the caller may read.")
    @requires("user", "read")
    async def user(self, info: strawberry.Info, id: strawberry.ID) -> refs.User | None:
        ctx = info.context
        user_id = try_parse_id(id)
        if user_id is None:
            return None
        async with ctx.db.read() as session:
            return await session.scalar(select(User).where(User.id == user_id, ctx.access.filter(User, "user", owner_column=User.id)))

    @strawberry.field(description="Every role, with its grants.")
    @requires("role", "read")
    async def roles(self, info: strawberry.Info) -> list[refs.Role]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Role).order_by(Role.name))).all())

    @strawberry.field(description="Every kind of record a role can grant access to, from the core and enabled plugins.")
    @requires("role", "read")
    def resources(self, info: strawberry.Info) -> list[str]:
        return sorted(info.context.runtime.resources)

    @strawberry.field(description="Every team, with its manager and members.")
    @requires("team", "read")
    async def teams(self, info: strawberry.Info) -> list[refs.Team]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Team).order_by(Team.name))).all())

    @strawberry.field(description="Every API key, active and revoked (the keys themselves are never shown again).")
    @requires("api_key", "read")
    async def api_keys(self, info: strawberry.Info) -> list[ApiKeyType]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(ApiKey).order_by(ApiKey.id))).all())

    @strawberry.field(description="Whether `userId` may `action` `resource` (a given record, or in general), and why. "
                                  "Anyone may ask about themselves; asking about others needs read on roles.")
    @authenticated
    async def explain_access(
        self,
        info: strawberry.Info,
        resource: str,
        action: Annotated[Action, strawberry.argument(description="Reading or changing.")],
        user_id: strawberry.ID,
        record_id: strawberry.ID | None = None
    ) -> AccessExplanation:
        ctx = info.context
        admin = ctx.access.can("role", "read")
        if not admin and try_parse_id(user_id) != ctx.user_id:
            ctx.access.require("role", "read")  # FORBIDDEN, as for any grant one lacks
        # About oneself, a record one may not read is "no such record": the answer must not reveal that it exists.
        return await explain_access(ctx, resource, action.value, user_id, record_id, hide_unreadable=not admin)
