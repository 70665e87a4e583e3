"""Transparent lead scores: every point comes from a rule an admin wrote, and `Lead.scoreReasons` names them.

A rule tests one thing about a lead: a field is filled in (`present`), a field is one of some values (`equals`,
ignoring case), the lead was followed up at least N times (`at_least` on `follow_ups`), or its last follow-up is at
most N days old (`within_days` on `last_follow_up`). The score is the sum of the matching rules' points, kept
within 0 to 100. It is computed when the lead is made or changed or followed up, when rules change
(`rescoreLeads`), and each day for leads whose last follow-up has just aged past a `within_days` rule. With no
active rule, a lead keeps the score it was given by hand.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select

from crm import utcnow
from crm.plugins.leads.models import OPEN, Lead, LeadEvent, ScoringRule

TEXT_FIELDS = ("emails", "phones", "company_name", "title", "website", "source", "industry", "region", "campaign", "tags")
FIELDS = (*TEXT_FIELDS, "follow_ups", "last_follow_up")
OPERATORS = {"present": TEXT_FIELDS, "equals": TEXT_FIELDS, "at_least": ("follow_ups",), "within_days": ("last_follow_up",)}


async def active_rules(session) -> list[ScoringRule]:
    return list((await session.scalars(select(ScoringRule).where(ScoringRule.active.is_(True), ScoringRule.deleted_at.is_(None))
                                        .order_by(ScoringRule.id))).all())


def _matches(rule: ScoringRule, lead: Lead, follow_ups: int, now) -> bool:
    if rule.operator == "at_least":
        return follow_ups >= (rule.number or 0)
    if rule.operator == "within_days":
        return lead.last_follow_up_at is not None and lead.last_follow_up_at >= now - timedelta(days=rule.number or 0)
    value = getattr(lead, rule.field)
    if rule.operator == "present":
        return bool(value)
    wanted = {str(v).strip().lower() for v in rule.values}
    given = value if isinstance(value, list) else [value] if value else []
    return any(str(v).strip().lower() in wanted for v in given)


def score(lead: Lead, rules: list[ScoringRule], follow_ups: int) -> tuple[int, list[dict]]:
    now = utcnow()
    reasons = [{"rule": r.name, "points": r.points} for r in rules if _matches(r, lead, follow_ups, now)]
    return max(0, min(100, sum(r["points"] for r in reasons))), reasons


async def follow_up_counts(session, lead_ids: list[int]) -> dict[int, int]:
    if not lead_ids:
        return {}
    rows = await session.execute(select(LeadEvent.lead_id, func.count()).where(LeadEvent.lead_id.in_(lead_ids), LeadEvent.kind == "followed_up")
                                 .group_by(LeadEvent.lead_id))
    return dict(rows.all())


async def rescore(session, leads: list[Lead], rules: list[ScoringRule] | None = None) -> None:
    """Set each lead's score and reasons from the active rules (left alone when there are none)."""
    rules = await active_rules(session) if rules is None else rules
    if not rules:
        return
    counts = await follow_up_counts(session, [lead.id for lead in leads if lead.id is not None])
    for lead in leads:
        new_score, reasons = score(lead, rules, counts.get(lead.id, 0))
        if (new_score, reasons) != (lead.score, lead.score_reasons):
            lead.score, lead.score_reasons = new_score, reasons


async def rescore_all(runtime, *, only_aged: bool = False, batch: int = 1000) -> int:
    """Rescore open leads in batches, each in its own transaction; with `only_aged`, only those whose last follow-up
    crossed a `within_days` rule's age in the last day (what the daily job does). Returns how many changed."""
    changed, after = 0, 0
    async with runtime.db.read() as session:
        rules = await active_rules(session)
    if not rules:
        return 0
    now = utcnow()
    aged = [r.number or 0 for r in rules if r.operator == "within_days"]
    while True:
        async with runtime.db.write() as session:
            session.info["actor_id"] = None
            stmt = select(Lead).where(Lead.id > after, Lead.status.in_(OPEN), Lead.deleted_at.is_(None)).order_by(Lead.id).limit(batch)
            if only_aged:
                if not aged:
                    return 0
                stmt = stmt.where(or_(*(Lead.last_follow_up_at.between(now - timedelta(days=n + 1), now - timedelta(days=n)) for n in aged)))
            leads = list((await session.scalars(stmt)).all())
            before = {lead.id: lead.score for lead in leads}
            await rescore(session, leads, rules)
            changed += sum(1 for lead in leads if lead.score != before[lead.id])
        if len(leads) < batch:
            return changed
        after = leads[-1].id
