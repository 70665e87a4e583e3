"""GraphQL for assignment rules: admins (resource `assignment_rule`) write them per kind of record."""

from __future__ import annotations

import enum

import strawberry
from sqlalchemy import select

from crm.api.access import inherited, requires
from crm.api.errors import Invalid, UserError
from crm.api.ids import parse_id
from crm.api.inputs import UNSET, IdInput, clean_text
from crm.api.mutations import fetch_for_write, mutation, restore, soft_delete
from crm.api.payloads import DeletePayload, payload_type
from crm.assignment.models import AssignmentRule as Rule
from crm.identity.models import Team, User
from crm.models import utcnow


@strawberry.enum(description="How a rule picks among its candidates.")
class AssignmentStrategy(str, enum.Enum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


@strawberry.type(description="A rule applies only to records whose `field` is one of `values` (ignoring case).")
class AssignmentCondition:
    field: str = strawberry.field(description="The record's field.")
    values: list[str] = strawberry.field(description="The field must be one of these (ignoring case).")


@strawberry.type(description="A kind of record that assignment rules give owners, and the fields their conditions may test.")
class AssignmentTargetInfo:
    resource: str
    fields: list[str] = strawberry.field(description="The fields its rules' conditions may name.")


@strawberry.type(description="Who gets a new record of `resource` that nobody was given: the first active matching rule, "
                 "by `position`, picks among its users and its team's members.")
class AssignmentRule:
    id: strawberry.ID
    resource: str
    name: str = strawberry.field(description="Its name.")
    strategy: AssignmentStrategy = strawberry.field(description="How it picks an owner: round robin, or whoever has the fewest open records.")
    user_ids: list[strawberry.ID]
    team_id: strawberry.ID | None
    position: int
    active: bool
    version: int

    @strawberry.field(description="When it applies: every condition must hold on the new record.")
    @inherited
    def conditions(self, info: strawberry.Info) -> list[AssignmentCondition]:
        return [AssignmentCondition(field=f, values=list(v)) for f, v in sorted((self.conditions or {}).items())]


AssignmentRulePayload = payload_type("AssignmentRule", rule=AssignmentRule)


@strawberry.input(description="A condition of an assignment rule: the record's field is one of the values.")
class AssignmentConditionInput:
    field: str
    values: list[str]


@strawberry.input
class CreateAssignmentRuleInput:
    resource: str
    name: str
    strategy: AssignmentStrategy = AssignmentStrategy.ROUND_ROBIN
    user_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    team_id: strawberry.ID | None = strawberry.field(default=None, description="Its members take part too, as they are at assignment time.")
    conditions: list[AssignmentConditionInput] = strawberry.field(default_factory=list)
    position: int = 0
    active: bool = True


@strawberry.input(description="Change a rule; only the fields given change.")
class UpdateAssignmentRuleInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    strategy: AssignmentStrategy | None = UNSET
    user_ids: list[strawberry.ID] | None = UNSET
    team_id: strawberry.ID | None = UNSET
    conditions: list[AssignmentConditionInput] | None = UNSET
    position: int | None = UNSET
    active: bool | None = UNSET


async def _check(session, info, rule: Rule) -> None:
    """Everything a rule refers to exists; all problems at once."""
    errors = []
    target = info.context.runtime.assignment_targets.get(rule.resource)
    if target is None:
        known = ", ".join(sorted(info.context.runtime.assignment_targets)) or "none while no module declares one"
        errors.append(UserError(field="resource", code="INVALID", message=f"records of {rule.resource!r} are not assigned by rules (they are: {known})"))
    else:
        for i, field in enumerate(rule.conditions):
            if field not in target.fields:
                errors.append(UserError(field=f"conditions.{i}.field", code="INVALID",
                                        message=f"{rule.resource} rules may test {', '.join(target.fields) or 'no field'}"))
    found = set((await session.scalars(select(User.id).where(User.id.in_(rule.user_ids), User.is_active.is_(True)))).all()) if rule.user_ids else set()
    errors += [UserError(field=f"userIds.{i}", code="NOT_FOUND", message="no active user with this ID")
               for i, uid in enumerate(rule.user_ids) if uid not in found]
    if rule.team_id is not None and await session.get(Team, rule.team_id) is None:
        errors.append(UserError(field="teamId", code="NOT_FOUND", message="no team with this ID"))
    if not rule.user_ids and rule.team_id is None:
        errors.append(UserError(field="userIds", code="REQUIRED", message="a rule needs users or a team to assign to"))
    if errors:
        raise Invalid(*errors)


def _user_ids(raw: list) -> list[int]:
    ids = [parse_id(u, f"userIds.{i}") for i, u in enumerate(raw)]
    return list(dict.fromkeys(ids))


def _conditions(raw: list[AssignmentConditionInput]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i, c in enumerate(raw):
        values = [v.strip() for v in c.values if v.strip()]
        if not values:
            raise Invalid.one(f"conditions.{i}.values", "REQUIRED", "a condition needs at least one value")
        out.setdefault(c.field.strip(), []).extend(values)
    return out


@strawberry.type
class AssignmentQuery:
    @strawberry.field(description="Assignment rules, of one kind of record or of all, in the order they are tried.")
    @requires("assignment_rule", "read")
    async def assignment_rules(self, info: strawberry.Info, resource: str | None = None) -> list[AssignmentRule]:
        stmt = select(Rule).where(Rule.deleted_at.is_(None)).order_by(Rule.resource, Rule.position, Rule.id)
        if resource:
            stmt = stmt.where(Rule.resource == resource)
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt)).all())

    @strawberry.field(description="The kinds of records enabled modules let rules assign, with the fields conditions may test.")
    @requires("assignment_rule", "read")
    async def assignment_targets(self, info: strawberry.Info) -> list[AssignmentTargetInfo]:
        targets = info.context.runtime.assignment_targets.values()
        return [AssignmentTargetInfo(resource=t.resource, fields=list(t.fields)) for t in sorted(targets, key=lambda t: t.resource)]


@strawberry.type
class AssignmentMutation:
    @strawberry.mutation(description="Add a rule; it is tried in `position` order with the others of its resource.")
    @requires("assignment_rule", "write")
    async def create_assignment_rule(self, info: strawberry.Info, input: CreateAssignmentRuleInput) -> AssignmentRulePayload:
        async def work(session):
            rule = Rule(resource=input.resource.strip(), name=clean_text(input.name, "name", limit=200, required=True),
                        strategy=input.strategy.value, user_ids=_user_ids(input.user_ids),
                        team_id=parse_id(input.team_id, "teamId") if input.team_id is not None else None,
                        conditions=_conditions(input.conditions), position=input.position, active=input.active)
            await _check(session, info, rule)
            session.add(rule)
            await session.flush()
            return AssignmentRulePayload(rule=rule)

        return await mutation(info, AssignmentRulePayload, work)

    @strawberry.mutation(description="Change a rule; CONFLICT when `version` is not the current one.")
    @requires("assignment_rule", "write")
    async def update_assignment_rule(self, info: strawberry.Info, input: UpdateAssignmentRuleInput) -> AssignmentRulePayload:
        async def work(session):
            rule = await fetch_for_write(session, info, Rule, input.id, resource="assignment_rule", version=input.version)
            if input.name is not UNSET:
                rule.name = clean_text(input.name, "name", limit=200, required=True)
            if input.strategy is not UNSET:
                if input.strategy is None:
                    raise Invalid.one("strategy", "REQUIRED", "a rule needs a strategy")
                rule.strategy = input.strategy.value
            if input.user_ids is not UNSET:
                rule.user_ids = _user_ids(input.user_ids or [])
            if input.team_id is not UNSET:
                rule.team_id = parse_id(input.team_id, "teamId") if input.team_id is not None else None
            if input.conditions is not UNSET:
                rule.conditions = _conditions(input.conditions or [])
            if input.position is not UNSET and input.position is not None:
                rule.position = input.position
            if input.active is not UNSET and input.active is not None:
                rule.active = input.active
            await _check(session, info, rule)
            rule.updated_at = utcnow()
            return AssignmentRulePayload(rule=rule)

        return await mutation(info, AssignmentRulePayload, work)

    @strawberry.mutation(description="Soft delete: the rule is no longer tried; restoreAssignmentRule brings it back.")
    @requires("assignment_rule", "write")
    async def delete_assignment_rule(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, Rule, input.id, resource="assignment_rule")

    @strawberry.mutation(description="Bring a deleted assignment rule back.")
    @requires("assignment_rule", "write")
    async def restore_assignment_rule(self, info: strawberry.Info, input: IdInput) -> AssignmentRulePayload:
        return await restore(info, Rule, input.id, resource="assignment_rule", payload=AssignmentRulePayload, field="rule")

