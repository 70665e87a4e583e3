"""Transparent scores: every point from a rule, named in scoreReasons, recomputed as the lead changes."""

from datetime import timedelta

from leads_helpers import lead
from sqlalchemy import update

from crm import utcnow
from crm.plugins.leads.models import Lead
from crm.plugins.leads.scoring import rescore_all
from crm import parse_id

RULE = "mutation($i: ScoringRuleInput!) { createScoringRule(input: $i) { rule { id } errors { field code message } } }"
SCORE = "query($id: ID!) { lead(id: $id) { score scoreReasons { rule points } } }"


async def test_scores_come_from_rules_and_say_why(make_app):
    api = await make_app(plugins=["leads"])
    manual = await lead(api, name="Before rules", score=42)
    assert manual["score"] == 42  # without rules a lead keeps the score it was given
    for rule in ({"name": "Has an e-mail", "field": "emails", "operator": "PRESENT", "points": 20},
                 {"name": "Target industry", "field": "industry", "operator": "EQUALS", "values": ["Retail", "banking"], "points": 30},
                 {"name": "Cold source", "field": "source", "operator": "EQUALS", "values": ["cold call"], "points": -10},
                 {"name": "Worked twice", "field": "follow_ups", "operator": "AT_LEAST", "number": 2, "points": 25},
                 {"name": "Recently worked", "field": "last_follow_up", "operator": "WITHIN_DAYS", "number": 7, "points": 40}):
        made = await api.admin(RULE, {"i": rule})
        assert made["createScoringRule"]["errors"] == [], made
    bad = await api.admin(RULE, {"i": {"name": "x", "field": "industry", "operator": "AT_LEAST", "points": 500}})
    assert {(e["field"], e["code"]) for e in bad["createScoringRule"]["errors"]} == {("operator", "INVALID"), ("number", "REQUIRED"),
                                                                             ("points", "INVALID")}

    person = await lead(api, name="Scored", emails=["s@retail.example"], industry="retail", source="cold call")
    seen = (await api.admin(SCORE, {"id": person["id"]}))["lead"]
    assert seen == {"score": 40, "scoreReasons": [{"rule": "Has an e-mail", "points": 20}, {"rule": "Target industry", "points": 30},
                                                  {"rule": "Cold source", "points": -10}]}
    follow = "mutation($i: FollowUpLeadInput!) { followUpLead(input: $i) { lead { score } errors { code } } }"
    await api.admin(follow, {"i": {"leadId": person["id"]}})
    twice = (await api.admin(follow, {"i": {"leadId": person["id"]}}))["followUpLead"]["lead"]["score"]
    assert twice == 100  # 40 + 25 + 40 = 105, kept at 100
    changed = await api.admin("""mutation($i: UpdateLeadInput!) { updateLead(input: $i) { lead { score scoreReasons { rule } } } }""",
                              {"i": {"id": person["id"], "version": (await api.admin("query($id: ID!) { lead(id: $id) { version } }",
                                                                                       {"id": person["id"]}))["lead"]["version"],
                                     "source": "web"}})
    assert changed["updateLead"]["lead"]["score"] == 100 and "Cold source" not in [r["rule"] for r in changed["updateLead"]["lead"]["scoreReasons"]]

    # Eight days later the recency points go, by the hourly job (only leads that just aged past the rule).
    async with api.runtime.db.write() as session:
        await session.execute(update(Lead).where(Lead.id == parse_id(person["id"])).values(last_follow_up_at=utcnow() - timedelta(days=7, hours=2)))
    assert await rescore_all(api.runtime, only_aged=True) == 1
    aged = (await api.admin(SCORE, {"id": person["id"]}))["lead"]
    assert aged["score"] == 75 and [r["rule"] for r in aged["scoreReasons"]] == ["Has an e-mail", "Target industry", "Worked twice"]
    assert await rescore_all(api.runtime, only_aged=True) == 0  # nothing more to change

    rescored = await api.admin("mutation { rescoreLeads(input: {}) { changed errors { code } } }")
    assert rescored["rescoreLeads"]["changed"] == 1  # "Before rules" now scored by the rules: 0
    assert (await api.admin(SCORE, {"id": manual["id"]}))["lead"] == {"score": 0, "scoreReasons": []}
