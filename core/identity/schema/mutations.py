from __future__ import annotations

import asyncio

import strawberry
from sqlalchemy import delete, select, update

from crm.api.access import authenticated, public, requires
from crm.api.errors import Invalid, UserError
from crm.api.ids import parse_id
from crm.api.inputs import IdInput
from crm.api.mutations import fetch_for_write, mutation
from crm.audit.listener import record
from crm.identity.auth import API_KEY_PREFIX, Throttle, digest, issue_token, new_secret
from crm.identity.models import ApiKey, CasbinRule, Role, Team, TeamMember, Token, User
from crm.identity.passwords import check_password_policy, dummy_verify, hash_password, verify_password
from crm.identity.policy import apikey_subject, role_subject, user_subject
from crm.identity.schema.types import (
    ApiKeyPayload,
    ErrorsPayload,
    GrantInput,
    LoginPayload,
    RolePayload,
    TeamPayload,
    UserPayload,
)
from crm.models import utcnow
from crm.system.state import bump


def normalise_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 320:
        raise Invalid.one(field, "INVALID", f"{email!r} is not an email address")
    return email


def policy_changed(session) -> None:
    session.info["policy_changed"] = True


async def _policy_bump(session) -> None:
    await bump(session, "policy")
    policy_changed(session)


@strawberry.input
class LoginInput:
    email: str = strawberry.field(description="Your email address.")
    password: str = strawberry.field(description="Your password.")


@strawberry.input
class CreateUserInput:
    email: str
    name: str
    password: str = strawberry.field(description="Their first password: long enough and not easy to guess.")
    role_ids: list[strawberry.ID] | None = None


@strawberry.input
class UpdateUserInput:
    id: strawberry.ID
    version: int
    name: str | None = None
    email: str | None = None
    password: str | None = strawberry.field(default=None, description="A new password for them (an admin's reset).")


@strawberry.input
class UserIdInput:
    user_id: strawberry.ID


@strawberry.input
class ChangePasswordInput:
    current_password: str = strawberry.field(description="Your password now.")
    new_password: str = strawberry.field(description="The new one: long enough and not easy to guess (WEAK_PASSWORD otherwise).")


@strawberry.input
class CreateRoleInput:
    name: str
    description: str = ""
    grants: list[GrantInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateRoleInput:
    id: strawberry.ID
    name: str | None = None
    description: str | None = None
    grants: list[GrantInput] | None = strawberry.field(default=None, description="Replaces all of the role's grants.")


@strawberry.input
class RoleAssignmentInput:
    user_id: strawberry.ID
    role_id: strawberry.ID


@strawberry.input
class CreateTeamInput:
    name: str
    manager_id: strawberry.ID | None = None


@strawberry.input
class TeamMemberInput:
    team_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class CreateApiKeyInput:
    name: str
    role_id: strawberry.ID


def _throttled(wait: int) -> UserError:
    return UserError(field=None, code="THROTTLED", message=f"too many failed logins; try again in {wait} seconds")


def _client_address(info) -> str | None:
    client = getattr(info.context.request, "client", None)
    return client.host if client else None


async def _get(session, model, raw_id, field: str, what: str):
    row = await session.get(model, parse_id(raw_id, field))
    if row is None:
        raise Invalid.one(field, "NOT_FOUND", f"{what} not found")
    return row


def _check_grants(runtime, grants: list[GrantInput]) -> list[tuple[str, str, str]]:
    out, errors = {}, []
    for i, g in enumerate(grants):
        resource = runtime.resources.get(g.resource)
        if resource is None:
            errors.append(UserError(field=f"grants.{i}.resource", code="INVALID", message=f"unknown resource {g.resource!r}"))
            continue
        if not resource.owned and g.scope.value != "all":
            errors.append(UserError(field=f"grants.{i}.scope", code="INVALID", message=f"{g.resource} records have no owner: only scope ALL applies"))
            continue
        key = (g.resource, g.action.value)
        if key in out and out[key] != g.scope.value:
            errors.append(UserError(field=f"grants.{i}", code="DUPLICATE", message=f"{g.resource} {g.action.value} is granted twice"))
        out[key] = g.scope.value
    if errors:
        raise Invalid(*errors)
    return [(res, act, scope) for (res, act), scope in sorted(out.items())]


async def _set_grants(session, role: Role, grants: list[tuple[str, str, str]]) -> None:
    subject = role_subject(role.id)
    old = (await session.execute(select(CasbinRule.v1, CasbinRule.v2, CasbinRule.v3).where(CasbinRule.ptype == "p", CasbinRule.v0 == subject))).all()
    await session.execute(delete(CasbinRule).where(CasbinRule.ptype == "p", CasbinRule.v0 == subject))
    session.add_all(CasbinRule(ptype="p", v0=subject, v1=r, v2=a, v3=s) for r, a, s in grants)
    before = sorted(f"{r} {a} {s}" for r, a, s in old)
    after = sorted(f"{r} {a} {s}" for r, a, s in grants)
    if before != after:
        await record(session, "update", "role", role.id, [{"field": "grants", "old": before, "new": after}])
    await _policy_bump(session)


async def _unique_role_name(session, name: str, role_id: int | None = None) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid.one("name", "INVALID", "a role needs a name of 1 to 100 characters")
    clash = await session.scalar(select(Role.id).where(Role.name == name))
    if clash and clash != role_id:
        raise Invalid.one("name", "DUPLICATE", f"a role named {name!r} exists already")
    return name


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Exchange email and password for a bearer token.")
    @public
    async def login(self, info: strawberry.Info, input: LoginInput) -> LoginPayload:
        ctx = info.context
        settings = ctx.settings
        email = (input.email or "").strip().lower()
        address = _client_address(info)
        throttle = Throttle(settings)
        async with ctx.db.read() as session:
            wait = await throttle.wait(session, throttle.pair_key(email, address))
            if wait:
                return LoginPayload(errors=[_throttled(wait)])
            user = await session.scalar(select(User).where(User.email == email))
        # The password is checked outside the write transaction and off the event loop: argon2 takes tens of
        # milliseconds, during which other requests go on, and on SQLite a write transaction holds the one write lock.
        if user is None:
            await asyncio.to_thread(dummy_verify, input.password, settings.password_hash_profile)
        ok = user is not None and user.is_active and await asyncio.to_thread(
            verify_password, user.password_hash, input.password, settings.password_hash_profile)
        async with ctx.db.write() as session:
            if not ok:
                address_wait = await throttle.wait(session, throttle.address_key(address))
                await throttle.failed(session, email, address)  # committed: the count must survive the refusal
                if address_wait:
                    return LoginPayload(errors=[_throttled(address_wait)])
                return LoginPayload(errors=[UserError(field=None, code="INVALID_CREDENTIALS", message="wrong email or password")])
            await throttle.succeeded(session, email, address)
            await session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow()))
            token = await issue_token(session, user.id, settings.token_ttl_hours)
        return LoginPayload(token=token, user=user)

    @strawberry.mutation(description="Revoke the token this request was made with.")
    @authenticated
    async def logout(self, info: strawberry.Info) -> ErrorsPayload:
        principal = info.context.principal
        if principal.token_id is None:
            return ErrorsPayload(errors=[UserError(field=None, code="INVALID", message="API keys are revoked with revokeApiKey, not logout")])
        async with info.context.db.write() as session:
            await session.execute(update(Token).where(Token.id == principal.token_id).values(revoked_at=utcnow()))
        return ErrorsPayload()

    @strawberry.mutation(description="Change your own password, giving the current one.")
    @authenticated
    async def change_password(self, info: strawberry.Info, input: ChangePasswordInput) -> ErrorsPayload:
        ctx = info.context
        profile = ctx.settings.password_hash_profile

        async def work(session):
            user = await session.get(User, ctx.user_id)
            if not verify_password(user.password_hash, input.current_password, profile):
                raise Invalid.one("currentPassword", "INVALID_CREDENTIALS", "the current password is wrong")
            check_password_policy(input.new_password, ctx.settings, user.email, user.name, "newPassword")
            user.password_hash = hash_password(input.new_password, profile)
            return ErrorsPayload()

        return await mutation(info, ErrorsPayload, work)

    @strawberry.mutation(description="Add a user with roles.")
    @requires("user", "write")
    async def create_user(self, info: strawberry.Info, input: CreateUserInput) -> UserPayload:
        ctx = info.context

        async def work(session):
            email = normalise_email(input.email)
            name = input.name.strip()
            if not name:
                raise Invalid.one("name", "REQUIRED", "a user needs a name")
            if await session.scalar(select(User.id).where(User.email == email)):
                raise Invalid.one("email", "DUPLICATE", f"a user with email {email} exists already")
            check_password_policy(input.password, ctx.settings, email, input.name)
            if ctx.access.scope("user", "write") != "all":
                raise Invalid.one(None, "FORBIDDEN", "creating users needs write on user with scope ALL")
            user = User(email=email, name=name, password_hash=hash_password(input.password, ctx.settings.password_hash_profile))
            session.add(user)
            await session.flush()
            for i, raw in enumerate(input.role_ids or []):
                role = await _get(session, Role, raw, f"roleIds.{i}", "role")
                await _assign(session, ctx, user, role)
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Change a user's name, email or password.")
    @requires("user", "write")
    async def update_user(self, info: strawberry.Info, input: UpdateUserInput) -> UserPayload:
        ctx = info.context

        async def work(session):
            user = await fetch_for_write(session, info, User, input.id, resource="user", version=input.version, owner_attr="id")
            if input.name is not None:
                if not input.name.strip():
                    raise Invalid.one("name", "REQUIRED", "a user needs a name")
                user.name = input.name.strip()
            if input.email is not None:
                email = normalise_email(input.email)
                clash = await session.scalar(select(User.id).where(User.email == email))
                if clash and clash != user.id:
                    raise Invalid.one("email", "DUPLICATE", f"a user with email {email} exists already")
                user.email = email
            if input.password is not None:
                check_password_policy(input.password, ctx.settings, user.email, user.name)
                user.password_hash = hash_password(input.password, ctx.settings.password_hash_profile)
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Deactivate a user: they can no longer log in, and all their tokens stop working at once.")
    @requires("user", "write")
    async def deactivate_user(self, info: strawberry.Info, input: UserIdInput) -> UserPayload:
        async def work(session):
            user = await fetch_for_write(session, info, User, input.user_id, resource="user", field="userId", owner_attr="id")
            if user.id == info.context.user_id:
                raise Invalid.one("userId", "INVALID", "you cannot deactivate yourself")
            user.is_active = False
            await session.execute(update(Token).where(Token.user_id == user.id, Token.revoked_at.is_(None)).values(revoked_at=utcnow()))
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Forget a user's failed logins from every address, so they need not wait to try again.")
    @requires("user", "write")
    async def unlock_login(self, info: strawberry.Info, input: UserIdInput) -> UserPayload:
        async def work(session):
            user = await fetch_for_write(session, info, User, input.user_id, resource="user", field="userId", owner_attr="id")
            addresses = await Throttle.unlock(session, user.email)
            await record(session, "login_unlocked", "user", user.id, [{"field": "waiting_addresses", "old": addresses, "new": 0}])
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Let a deactivated user log in again.")
    @requires("user", "write")
    async def reactivate_user(self, info: strawberry.Info, input: UserIdInput) -> UserPayload:
        async def work(session):
            user = await fetch_for_write(session, info, User, input.user_id, resource="user", field="userId", owner_attr="id")
            user.is_active = True
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Add a role with its grants.")
    @requires("role", "write")
    async def create_role(self, info: strawberry.Info, input: CreateRoleInput) -> RolePayload:
        async def work(session):
            name = await _unique_role_name(session, input.name)
            grants = _check_grants(info.context.runtime, input.grants)
            role = Role(name=name, description=input.description.strip(), builtin=False)
            session.add(role)
            await session.flush()
            await _set_grants(session, role, grants)
            return RolePayload(role=role)

        return await mutation(info, RolePayload, work)

    @strawberry.mutation(description="Rename a role or set its grants (the list replaces the old one).")
    @requires("role", "write")
    async def update_role(self, info: strawberry.Info, input: UpdateRoleInput) -> RolePayload:
        async def work(session):
            role = await _get(session, Role, input.id, "id", "role")
            if input.name is not None:
                role.name = await _unique_role_name(session, input.name, role.id)
            if input.description is not None:
                role.description = input.description.strip()
            if input.grants is not None:
                grants = _check_grants(info.context.runtime, input.grants)
                if role.name == "admin" and ("role", "write", "all") not in grants:
                    raise Invalid.one("grants", "INVALID", "the admin role must keep write on role with scope ALL, or nobody could fix roles")
                await _set_grants(session, role, grants)
            return RolePayload(role=role)

        return await mutation(info, RolePayload, work)

    @strawberry.mutation(description="Delete a role no API key uses; its users lose its grants.")
    @requires("role", "write")
    async def delete_role(self, info: strawberry.Info, input: IdInput) -> ErrorsPayload:
        async def work(session):
            role = await _get(session, Role, input.id, "id", "role")
            if role.name == "admin":
                raise Invalid.one("id", "INVALID", "the admin role cannot be deleted")
            subject = role_subject(role.id)
            if await session.scalar(select(ApiKey.id).where(ApiKey.role_id == role.id, ApiKey.revoked_at.is_(None))):
                raise Invalid.one("id", "IN_USE", "API keys use this role; revoke them first")
            await session.execute(delete(CasbinRule).where((CasbinRule.v0 == subject) | ((CasbinRule.ptype == "g") & (CasbinRule.v1 == subject))))
            await session.delete(role)
            await _policy_bump(session)
            return ErrorsPayload()

        return await mutation(info, ErrorsPayload, work)

    @strawberry.mutation(description="Give a user a role.")
    @requires("role", "write")
    async def assign_role(self, info: strawberry.Info, input: RoleAssignmentInput) -> UserPayload:
        async def work(session):
            user = await _get(session, User, input.user_id, "userId", "user")
            role = await _get(session, Role, input.role_id, "roleId", "role")
            await _assign(session, info.context, user, role)
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Take a role from a user.")
    @requires("role", "write")
    async def unassign_role(self, info: strawberry.Info, input: RoleAssignmentInput) -> UserPayload:
        async def work(session):
            user = await _get(session, User, input.user_id, "userId", "user")
            role = await _get(session, Role, input.role_id, "roleId", "role")
            link = (CasbinRule.ptype == "g") & (CasbinRule.v0 == user_subject(user.id)) & (CasbinRule.v1 == role_subject(role.id))
            if not await session.scalar(select(CasbinRule.id).where(link)):
                raise Invalid.one("roleId", "NOT_FOUND", f"{user.email} does not have role {role.name!r}")
            if role.name == "admin" and user.id == info.context.user_id:
                raise Invalid.one("roleId", "INVALID", "you cannot take the admin role from yourself")
            await session.execute(delete(CasbinRule).where(link))
            await record(session, "update", "user", user.id, [{"field": "roles", "old": role.name, "new": None}])
            await _policy_bump(session)
            return UserPayload(user=user)

        return await mutation(info, UserPayload, work)

    @strawberry.mutation(description="Add a team.")
    @requires("team", "write")
    async def create_team(self, info: strawberry.Info, input: CreateTeamInput) -> TeamPayload:
        async def work(session):
            name = input.name.strip()
            if not name:
                raise Invalid.one("name", "REQUIRED", "a team needs a name")
            if await session.scalar(select(Team.id).where(Team.name == name)):
                raise Invalid.one("name", "DUPLICATE", f"a team named {name!r} exists already")
            manager = await _get(session, User, input.manager_id, "managerId", "user") if input.manager_id else None
            team = Team(name=name, manager_id=manager.id if manager else None)
            session.add(team)
            await session.flush()
            await _policy_bump(session)
            return TeamPayload(team=team)

        return await mutation(info, TeamPayload, work)

    @strawberry.mutation(description="Put a user in a team.")
    @requires("team", "write")
    async def add_team_member(self, info: strawberry.Info, input: TeamMemberInput) -> TeamPayload:
        async def work(session):
            team = await _get(session, Team, input.team_id, "teamId", "team")
            user = await _get(session, User, input.user_id, "userId", "user")
            if await session.get(TeamMember, (team.id, user.id)):
                raise Invalid.one("userId", "DUPLICATE", f"{user.email} is in {team.name} already")
            session.add(TeamMember(team_id=team.id, user_id=user.id))
            await record(session, "update", "team", team.id, [{"field": "members", "old": None, "new": user.email}])
            await _policy_bump(session)
            return TeamPayload(team=team)

        return await mutation(info, TeamPayload, work)

    @strawberry.mutation(description="Take a user out of a team.")
    @requires("team", "write")
    async def remove_team_member(self, info: strawberry.Info, input: TeamMemberInput) -> TeamPayload:
        async def work(session):
            team = await _get(session, Team, input.team_id, "teamId", "team")
            user = await _get(session, User, input.user_id, "userId", "user")
            member = await session.get(TeamMember, (team.id, user.id))
            if member is None:
                raise Invalid.one("userId", "NOT_FOUND", f"{user.email} is not in {team.name}")
            await session.delete(member)
            await record(session, "update", "team", team.id, [{"field": "members", "old": user.email, "new": None}])
            await _policy_bump(session)
            return TeamPayload(team=team)

        return await mutation(info, TeamPayload, work)

    @strawberry.mutation(description="A key for an integration, acting with one role's grants. The secret is shown once.")
    @requires("api_key", "write")
    async def create_api_key(self, info: strawberry.Info, input: CreateApiKeyInput) -> ApiKeyPayload:
        async def work(session):
            name = input.name.strip()
            if not name:
                raise Invalid.one("name", "REQUIRED", "an API key needs a name")
            role = await _get(session, Role, input.role_id, "roleId", "role")
            secret = new_secret(API_KEY_PREFIX)
            key = ApiKey(name=name, prefix=secret[: len(API_KEY_PREFIX) + 6], key_hash=digest(secret), user_id=info.context.user_id, role_id=role.id)
            session.add(key)
            await session.flush()
            session.add(CasbinRule(ptype="g", v0=apikey_subject(key.id), v1=role_subject(role.id)))
            await record(session, "create", "api_key", key.id, [{"field": "name", "old": None, "new": name}, {"field": "role", "old": None, "new": role.name}])
            await _policy_bump(session)
            return ApiKeyPayload(api_key=key, secret=secret)

        return await mutation(info, ApiKeyPayload, work)

    @strawberry.mutation(description="Revoke an API key: it is refused from then on.")
    @requires("api_key", "write")
    async def revoke_api_key(self, info: strawberry.Info, input: IdInput) -> ApiKeyPayload:
        async def work(session):
            key = await _get(session, ApiKey, input.id, "id", "API key")
            if key.revoked_at is None:
                key.revoked_at = utcnow()
                await session.execute(delete(CasbinRule).where(CasbinRule.ptype == "g", CasbinRule.v0 == apikey_subject(key.id)))
                await record(session, "delete", "api_key", key.id)
                await _policy_bump(session)
            return ApiKeyPayload(api_key=key)

        return await mutation(info, ApiKeyPayload, work)


async def _assign(session, ctx, user: User, role: Role) -> None:
    subject, target = user_subject(user.id), role_subject(role.id)
    exists = await session.scalar(select(CasbinRule.id).where(CasbinRule.ptype == "g", CasbinRule.v0 == subject, CasbinRule.v1 == target))
    if exists:
        raise Invalid.one("roleId", "DUPLICATE", f"{user.email} has role {role.name!r} already")
    session.add(CasbinRule(ptype="g", v0=subject, v1=target))
    await record(session, "update", "user", user.id, [{"field": "roles", "old": None, "new": role.name}])
    await _policy_bump(session)
