"""Scoring rules (resource `lead_scoring`, admins) and rescoring."""

from __future__ import annotations

import enum

import strawberry
from sqlalchemy import select

import crm
from crm import IdInput, Invalid, UserError, clean_text, fetch_for_write, mutation, requires, utcnow
from crm.plugins.leads import scoring
from crm.plugins.leads.models import ScoringRule as Rule

UNSET = strawberry.UNSET


@strawberry.enum(description="present: filled in; equals: one of `values`; at_least: `number` follow-ups or more (follow_ups); "
                 "within_days: followed up in the last `number` days (last_follow_up).")
class ScoringOperator(str, enum.Enum):
    PRESENT = "present"
    EQUALS = "equals"
    AT_LEAST = "at_least"
    WITHIN_DAYS = "within_days"


@strawberry.type(description="Points a lead gets while it meets the rule's condition.")
class ScoringRule:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    field: str = strawberry.field(description="emails, phones, company_name, title, website, source, industry, region, campaign, "
                                              "tags, follow_ups or last_follow_up.")
    operator: ScoringOperator = strawberry.field(description="How the field is compared.")
    values: list[str] = strawberry.field(description="Values the field is compared with.")
    number: int | None = strawberry.field(description="A number the field is compared with (follow-ups, days).")
    points: int = strawberry.field(description="Points a lead gets when it holds (negative: taken).")
    active: bool
    version: int


ScoringRulePayload = crm.payload_type("ScoringRule", rule=ScoringRule)
RescoreLeadsPayload = crm.payload_type("RescoreLeads", changed=(int, "Leads whose score changed."))


@strawberry.input
class ScoringRuleInput:
    name: str
    field: str
    operator: ScoringOperator
    points: int
    values: list[str] = strawberry.field(default_factory=list)
    number: int | None = None
    active: bool = True


@strawberry.input(description="Replace a rule's settings.")
class UpdateScoringRuleInput:
    id: strawberry.ID
    version: int
    rule: ScoringRuleInput = strawberry.field(description="The rule (all of it).")


@strawberry.input(description="Rescore every open lead from the rules as they are now.")
class RescoreLeadsInput:
    only_open: bool = strawberry.field(default=True, description="Only leads that are not converted or disqualified.")


def _fill(rule: Rule, data: ScoringRuleInput) -> None:
    errors = []
    if data.field not in scoring.FIELDS:
        errors.append(UserError(field="field", code="INVALID", message=f"rules test {', '.join(scoring.FIELDS)}"))
    elif data.field not in scoring.OPERATORS[data.operator.value]:
        errors.append(UserError(field="operator", code="INVALID",
                                message=f"{data.operator.name} applies to {', '.join(scoring.OPERATORS[data.operator.value])}"))
    values = [v.strip() for v in data.values if v.strip()]
    if data.operator == ScoringOperator.EQUALS and not values:
        errors.append(UserError(field="values", code="REQUIRED", message="EQUALS needs at least one value"))
    if data.operator in (ScoringOperator.AT_LEAST, ScoringOperator.WITHIN_DAYS) and (data.number is None or data.number < 0):
        errors.append(UserError(field="number", code="REQUIRED", message=f"{data.operator.name} needs a number of 0 or more"))
    if not -100 <= data.points <= 100:
        errors.append(UserError(field="points", code="INVALID", message="points are -100 to 100"))
    if errors:
        raise Invalid(*errors)
    rule.name = clean_text(data.name, "name", limit=200, required=True)
    rule.field, rule.operator, rule.values, rule.number = data.field, data.operator.value, values, data.number
    rule.points, rule.active = data.points, data.active


@strawberry.type
class ScoringQuery:
    @strawberry.field(description="The lead scoring rules, in order.")
    @requires("lead_scoring", "read")
    async def scoring_rules(self, info: strawberry.Info) -> list[ScoringRule]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Rule).where(Rule.deleted_at.is_(None)).order_by(Rule.id))).all())


@strawberry.type
class ScoringMutation:
    @strawberry.mutation(description="Add a rule; scores change as leads change, or at once with rescoreLeads.")
    @requires("lead_scoring", "write")
    async def create_scoring_rule(self, info: strawberry.Info, input: ScoringRuleInput) -> ScoringRulePayload:
        async def work(session):
            rule = Rule(name="", field="", operator="", points=0)
            _fill(rule, input)
            session.add(rule)
            await session.flush()
            return ScoringRulePayload(rule=rule)

        return await mutation(info, ScoringRulePayload, work)

    @strawberry.mutation(description="Change a scoring rule (leads are scored again).")
    @requires("lead_scoring", "write")
    async def update_scoring_rule(self, info: strawberry.Info, input: UpdateScoringRuleInput) -> ScoringRulePayload:
        async def work(session):
            rule = await fetch_for_write(session, info, Rule, input.id, resource="lead_scoring", version=input.version)
            _fill(rule, input.rule)
            rule.updated_at = utcnow()
            return ScoringRulePayload(rule=rule)

        return await mutation(info, ScoringRulePayload, work)

    @strawberry.mutation(description="Delete a scoring rule (leads are scored again).")
    @requires("lead_scoring", "write")
    async def delete_scoring_rule(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Rule, input.id, resource="lead_scoring")

    @strawberry.mutation(description="Bring a deleted scoring rule back.")
    @requires("lead_scoring", "write")
    async def restore_scoring_rule(self, info: strawberry.Info, input: IdInput) -> ScoringRulePayload:
        return await crm.restore(info, Rule, input.id, resource="lead_scoring", payload=ScoringRulePayload, field="rule")

    @strawberry.mutation(description="Score every open lead again from the current rules, in batches (after changing rules).")
    @requires("lead_scoring", "write")
    async def rescore_leads(self, info: strawberry.Info, input: RescoreLeadsInput) -> RescoreLeadsPayload:
        return RescoreLeadsPayload(changed=await scoring.rescore_all(info.context.runtime))
