"""The lead funnel against hand-computed counts, rates and medians."""

from datetime import UTC, datetime, timedelta

from leads_helpers import lead
from sqlalchemy import update

from crm.plugins.leads.models import Lead, LeadEvent
from crm import parse_id

FUNNEL = """query($g: LeadFunnelGroup!) { leadFunnel(from: "2026-01-01", to: "2026-01-31", groupBy: $g) { key created worked qualified
  converted workedRate qualifiedRate convertedRate medianDaysToWork medianDaysToQualify medianDaysToConvert } }"""


async def test_funnel_counts_rates_and_median_days(make_app):
    api = await make_app(plugins=["leads"])
    names = {n: await lead(api, name=n, source="web" if n in "AB" else "event") for n in "ABCDE"}
    ids = {n: parse_id(v["id"]) for n, v in names.items()}

    async def act(mutation, name, **extra):
        data = await api.admin(f"mutation($i: {mutation[0].upper()}{mutation[1:]}Input!) {{ {mutation}(input: $i) {{ errors {{ code }} }} }}",
                               {"i": {"leadId": str(ids[name]), **extra}})
        assert data[mutation]["errors"] == [], data

    for n in "ABC":
        await act("followUpLead", n)
    for n in "AB":
        await api.admin("mutation($i: LeadIdInput!) { qualifyLead(input: $i) { errors { code } } }", {"i": {"leadId": str(ids[n])}})
    await api.admin("mutation($i: ConvertLeadInput!) { convertLead(input: $i) { errors { code } } }", {"i": {"leadId": str(ids["A"])}})
    await api.admin("mutation($i: ConvertLeadInput!) { convertLead(input: $i) { errors { code } } }", {"i": {"leadId": str(ids["E"])}})

    day = lambda n: datetime(2026, 1, 10, tzinfo=UTC) + timedelta(days=n)  # noqa: E731
    async with api.runtime.db.write() as session:  # the steps on days the medians can be computed from by hand
        await session.execute(update(Lead).values(created_at=day(0)))
        await session.execute(update(Lead).where(Lead.id == ids["A"]).values(converted_at=day(6)))
        await session.execute(update(Lead).where(Lead.id == ids["E"]).values(converted_at=day(5)))
        for name, kind, n in (("A", "followed_up", 1), ("B", "followed_up", 3), ("C", "followed_up", 2), ("A", "qualified", 3),
                              ("B", "qualified", 4)):
            await session.execute(update(LeadEvent).where(LeadEvent.lead_id == ids[name], LeadEvent.kind == kind).values(at=day(n)))

    (everything,) = (await api.admin(FUNNEL, {"g": "ALL"}))["leadFunnel"]
    # worked: A B C, and E (converted at once: it reached every step on day 5); qualified: A B E; converted: A E.
    assert everything == {"key": "all", "created": 5, "worked": 4, "qualified": 3, "converted": 2, "workedRate": 0.8,
                          "qualifiedRate": 0.75, "convertedRate": round(2 / 3, 4), "medianDaysToWork": 2.5,  # 1 2 3 5
                          "medianDaysToQualify": 1.0, "medianDaysToConvert": 1.5}  # 0 1 2; 0 3
    by_source = {r["key"]: (r["created"], r["worked"], r["qualified"], r["converted"]) for r in (await api.admin(FUNNEL, {"g": "SOURCE"}))["leadFunnel"]}
    assert by_source == {"event": (3, 2, 1, 1), "web": (2, 2, 2, 1)}
    _, rep = await api.as_user("sales_rep")
    assert (await api.gql(FUNNEL, {"g": "ALL"}, rep))["leadFunnel"] == []  # none of these leads is theirs
