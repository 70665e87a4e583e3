from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from crm.api import refs
from sqlalchemy import select

from crm.api.access import inherited
from crm.api.errors import UserError
from crm.api.types import api_type
from crm.identity.models import Role, Team, TeamMember, User
from crm.identity.policy import role_subject, user_subject
from crm.api.nodes import Node

UserRef = api_type("User")


@strawberry.enum(description="What a grant allows: reading records, or changing them.")
class Action(enum.Enum):
    READ = "read"
    WRITE = "write"


@strawberry.enum(description="Which records a grant covers: the caller's own, their teams', or all.")
class Scope(enum.Enum):
    OWN = "own"
    TEAM = "team"
    ALL = "all"


@strawberry.type(description="Permission to read or write one kind of record, within a scope.")
class Grant:
    resource: str
    action: Action = strawberry.field(description="Reading or changing.")
    scope: Scope = strawberry.field(description="Which records: own, team or all.")


@strawberry.input(description="One grant of a role: an action on a kind of record, within a scope.")
class GrantInput:
    resource: str
    action: Action
    scope: Scope


def _grants_of(rules) -> list[Grant]:
    return sorted(
        (Grant(resource=r[1], action=Action(r[2]), scope=Scope(r[3])) for r in rules),
        key=lambda g: (g.resource, g.action.value),
    )


async def _load_by_ids(ctx, model, ids):
    async with ctx.db.read() as session:
        rows = {r.id: r for r in (await session.scalars(select(model).where(model.id.in_(set(ids))))).all()}
    return [rows.get(i) for i in ids]


def user_loader(ctx):
    return ctx.loader("core.user", lambda ids: _load_by_ids(ctx, User, ids))


def role_loader(ctx):
    return ctx.loader("core.role", lambda ids: _load_by_ids(ctx, Role, ids))


@strawberry.type(name="RoleCore", description="A named set of grants, assigned to users.")
class RoleType:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    description: str = strawberry.field(description="What it is for.")
    builtin: bool = strawberry.field(description="A role the CRM comes with (admin, sales rep, ...): it may be changed, not deleted.")

    @strawberry.field(description="What it allows.")
    @inherited
    def grants(self, info: strawberry.Info) -> list[Grant]:
        return _grants_of(info.context.runtime.policy.enforcer.get_filtered_policy(0, role_subject(self.id)))


@strawberry.type(name="TeamCore", description="People who work together: a grant with scope TEAM covers what its members own.")
class TeamType:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")

    @strawberry.field(description="Its manager: approves for the team, gets what escalates.")
    @inherited
    async def manager(self, info: strawberry.Info) -> UserRef | None:
        return await user_loader(info.context).load(self.manager_id) if self.manager_id else None

    @strawberry.field(description="Its members.")
    @inherited
    async def members(self, info: strawberry.Info) -> list[UserRef]:
        ctx = info.context

        async def load(team_ids):
            async with ctx.db.read() as session:
                rows = (
                    await session.execute(
                        select(TeamMember.team_id, User).join(User, User.id == TeamMember.user_id)
                        .where(TeamMember.team_id.in_(team_ids)).order_by(User.name)
                    )
                ).all()
            by_team: dict[int, list] = {t: [] for t in team_ids}
            for team_id, user in rows:
                by_team[team_id].append(user)
            return [by_team[t] for t in team_ids]

        return await ctx.loader("core.team.members", load).load(self.id)


@strawberry.type(name="UserCore", description="Someone who logs in.")
class UserType(Node):
    id: strawberry.ID
    email: str = strawberry.field(description="Their login and address.")
    name: str = strawberry.field(description="Their name.")
    is_active: bool = strawberry.field(description="A deactivated user cannot log in; what they own stays theirs.")
    created_at: datetime
    last_login_at: datetime | None = strawberry.field(description="When they last logged in.")

    @strawberry.field(description="Their roles: their grants are the widest of these.")
    @inherited
    async def roles(self, info: strawberry.Info) -> list[refs.Role]:
        ctx = info.context
        links = ctx.runtime.policy.enforcer.get_filtered_grouping_policy(0, user_subject(self.id))
        ids = [int(link[1].split(":", 1)[1]) for link in links if link[1].startswith("role:")]
        roles = await role_loader(ctx).load_many(ids)
        return sorted((r for r in roles if r), key=lambda r: r.name)

    @strawberry.field(description="Teams they are in.")
    @inherited
    async def teams(self, info: strawberry.Info) -> list[refs.Team]:
        ctx = info.context

        async def load(user_ids):
            async with ctx.db.read() as session:
                rows = (
                    await session.execute(
                        select(TeamMember.user_id, Team).join(Team, Team.id == TeamMember.team_id)
                        .where(TeamMember.user_id.in_(user_ids)).order_by(Team.name)
                    )
                ).all()
            by_user: dict[int, list] = {u: [] for u in user_ids}
            for user_id, team in rows:
                by_user[user_id].append(team)
            return [by_user[u] for u in user_ids]

        return await ctx.loader("core.user.teams", load).load(self.id)

    @strawberry.field(description="What this user may do: the widest scope per resource and action over all their roles.")
    @inherited
    async def effective_grants(self, info: strawberry.Info) -> list[Grant]:
        grants = await info.context.runtime.policy.grants(user_subject(self.id))
        return _grants_of([(None, res, act, scope) for (res, act), scope in grants.items()])


@strawberry.type(name="ApiKey", description="A key a program uses instead of a password; its secret is shown once.")
class ApiKeyType:
    id: strawberry.ID
    name: str = strawberry.field(description="What the key is for, as its creator named it.")
    prefix: str = strawberry.field(description="The first characters of the key, to recognise it (the key itself is shown once, when created).")
    created_at: datetime
    last_used_at: datetime | None = strawberry.field(description="When a request last used it.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked; a revoked key is refused.")

    @strawberry.field(description="The role whose grants the key has.")
    @inherited
    async def role(self, info: strawberry.Info) -> refs.Role | None:
        return await role_loader(info.context).load(self.role_id)


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(default=None, description="The bearer token: send it as `Authorization: Bearer <token>`; null when refused.")
    user: UserRef | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UserPayload:
    user: UserRef | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RolePayload:
    role: refs.Role | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TeamPayload:
    team: refs.Team | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKeyType | None = None
    secret: str | None = strawberry.field(default=None, description="The key itself. Shown once; store it now.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ErrorsPayload:
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Whether a user may do something, and which grant decides it.")
class AccessExplanation:
    allowed: bool = strawberry.field(description="Whether the user may do it.")
    reason: str = strawberry.field(description="Why, in words: the grant that decides, or what is missing.")
    scope: Scope | None = strawberry.field(default=None, description="The scope of the deciding grant; null when none applies.")
    role: refs.Role | None = strawberry.field(default=None, description="The role whose grant decides; null when none does.")
