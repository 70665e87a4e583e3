"""explainAccess: the answer an admin needs when someone cannot see a record."""

from __future__ import annotations

from sqlalchemy import select

from crm.api.ids import try_parse_id
from crm.identity.models import Role, Team, TeamMember, User
from crm.identity.policy import user_subject
from crm.identity.schema.types import AccessExplanation, Scope


async def _user_team_members(session, user_id: int) -> dict[int, str]:
    """Users whose records `user_id` sees with team scope, with the team that links them."""
    teams = (
        await session.execute(
            select(Team.id, Team.name).outerjoin(TeamMember, TeamMember.team_id == Team.id)
            .where((TeamMember.user_id == user_id) | (Team.manager_id == user_id)).distinct()
        )
    ).all()
    names = dict(teams)
    rows = (await session.execute(select(TeamMember.user_id, TeamMember.team_id).where(TeamMember.team_id.in_(names)))).all()
    return {member: names[team] for member, team in rows}


async def explain_access(ctx, resource: str, action: str, raw_user_id, raw_record_id, *, hide_unreadable: bool = False) -> AccessExplanation:
    runtime = ctx.runtime
    if resource not in runtime.resources:
        return AccessExplanation(allowed=False, reason=f"there is no resource {resource!r}; known: {', '.join(sorted(runtime.resources))}")
    user_id = try_parse_id(raw_user_id)
    async with ctx.db.read() as session:
        user = await session.get(User, user_id) if user_id else None
        if user is None:
            return AccessExplanation(allowed=False, reason="no such user")
        if not user.is_active:
            return AccessExplanation(allowed=False, reason=f"{user.email} is deactivated and may do nothing")
        grants = await runtime.policy.grants(user_subject(user.id))
        granted = grants.get((resource, action))
        if granted is None:
            return AccessExplanation(allowed=False, reason=f"none of {user.email}'s roles grants {action} on {resource}")

        needed, detail = "own", ""
        if raw_record_id is not None:
            model = runtime.models_by_resource.get(resource)
            record_id = try_parse_id(raw_record_id)
            record = await session.get(model, record_id) if model is not None and record_id else None
            owner_id = getattr(record, "owner_id", None)
            hidden = record is not None and hide_unreadable and not (
                ctx.access.can(resource, "read") and await ctx.access.permits(resource, "read", owner_id))
            if record is None or hidden:
                return AccessExplanation(allowed=False, reason=f"no {resource} record {raw_record_id}")
            if owner_id == user.id:
                needed, detail = "own", "the record is theirs"
            elif owner_id is not None and owner_id in (members := await _user_team_members(session, user.id)):
                needed, detail = "team", f"the record's owner is in their team {members[owner_id]!r}"
            else:
                needed, detail = "all", "the record belongs to someone outside their teams"

        allowed, rule = runtime.policy.explain(user_subject(user.id), resource, action, needed)
        role = None
        if rule:
            role = await session.get(Role, int(rule[0].split(":", 1)[1]))
        if allowed:
            why = f"role {role.name!r} grants {action} on {resource} with scope {rule[3]}"
            reason = f"allowed: {why}" + (f", and {detail}" if detail else "")
        else:
            reason = f"denied: {detail}, which needs scope {needed}, but their widest grant for {action} on {resource} is {granted}"
        return AccessExplanation(allowed=allowed, reason=reason, scope=Scope(granted), role=role)
