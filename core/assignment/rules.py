"""`await crm.assign(runtime, session, "lead", lead)`: the owner the first matching rule gives a record.

Rules of a resource are tried in `position` order; a rule matches when every one of its conditions holds (the
record's field, as lower-case text, is one of the listed values). Its candidates are its users and its team's
members, active users only, in id order. Round robin gives the next candidate after the last one it gave; least
loaded gives the candidate holding the fewest open records (the target's `open` condition), ties taking turns.

The rule's row is updated (its `turn` counter) before the pick, in the caller's transaction: on PostgreSQL that
row lock makes concurrent assignments through one rule take turns, so two leads created at the same moment go to
two reps and the least-loaded count each one reads includes the other's assignment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from crm.assignment.models import AssignmentRule
from crm.conditions import holds
from crm.declarations import AssignmentTarget
from crm.identity.models import TeamMember, User

STRATEGIES = ("round_robin", "least_loaded")


@dataclass(frozen=True)
class Assignment:
    user_id: int
    rule_id: int
    rule_name: str


def matches(rule: AssignmentRule, record) -> bool:
    return holds(rule.conditions, record)


async def candidates(session, rule: AssignmentRule) -> list[int]:
    ids = set(int(i) for i in rule.user_ids or [])
    if rule.team_id is not None:
        ids |= set((await session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == rule.team_id))).all())
    if not ids:
        return []
    return sorted((await session.scalars(select(User.id).where(User.id.in_(ids), User.is_active.is_(True)))).all())


async def assign(runtime, session, resource: str, record) -> Assignment | None:
    """The owner for `record` by the first active rule of `resource` that matches and has candidates; None when no
    rule applies. Sets nothing on the record: the caller does (and writes the record's history)."""
    target: AssignmentTarget | None = runtime.assignment_targets.get(resource)
    if target is None:
        raise ValueError(f"{resource!r} is not an assignment target; register it with crm_register_assignment_targets")
    rules = (await session.scalars(
        select(AssignmentRule).where(AssignmentRule.resource == resource, AssignmentRule.active.is_(True),
                                     AssignmentRule.deleted_at.is_(None)).order_by(AssignmentRule.position, AssignmentRule.id)
    )).all()
    for rule in rules:
        if not matches(rule, record):
            continue
        users = await candidates(session, rule)
        if not users:
            continue
        table = AssignmentRule.__table__
        turn = await session.scalar(update(table).where(table.c.id == rule.id).values(turn=table.c.turn + 1).returning(table.c.turn))
        order = users[(turn - 1) % len(users):] + users[:(turn - 1) % len(users)]  # whose turn it is, first
        if rule.strategy == "least_loaded":
            owner = getattr(target.model, target.owner_column)
            stmt = select(owner, func.count()).where(owner.in_(users)).group_by(owner)
            if target.open is not None:
                stmt = stmt.where(target.open())
            load = dict((await session.execute(stmt)).all())
            chosen = min(order, key=lambda u: load.get(u, 0))  # min keeps the first of equals: ties take turns
        else:
            chosen = order[0]
        return Assignment(chosen, rule.id, rule.name)
    return None
