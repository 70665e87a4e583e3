"""Campaigns: members in one mutation from a list filter, and their numbers against hand-computed values."""

from leads_helpers import lead

CAMPAIGN = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id name currency actualCost }
  errors { field code message } } }"""
MEMBERS = "mutation($i: AddCampaignMembersInput!) { addCampaignMembers(input: $i) { added errors { field code message } } }"
STATS = """query($c: ID!) { campaignStats(campaignId: $c) { members responded responseRate leads qualified converted conversionRate
  cost costPerLead costPerConversion currency } }"""


async def campaign(api, token=None, **fields) -> str:
    data = await api.gql(CAMPAIGN, {"i": fields}, token or api.admin_token)
    assert data["createCampaign"]["errors"] == [], data
    return data["createCampaign"]["campaign"]["id"]


async def test_campaign_members_and_numbers(make_app):
    api = await make_app(plugins=["leads"])
    fair = await campaign(api, name="Spring fair", channel="EVENT", startsOn="2026-03-01", endsOn="2026-03-31", budget="1500",
                          actualCost="1000")
    web = await campaign(api, name="Search ads", channel="SEARCH", actualCost="300", currency="EUR")
    bad = await api.admin(CAMPAIGN, {"i": {"name": "Spring fair", "channel": "EVENT", "actualCost": "-1", "startsOn": "2026-02-01",
                                           "endsOn": "2026-01-01"}})
    assert bad["createCampaign"]["errors"][0]["code"] in {"DUPLICATE", "INVALID"}

    fair_leads = [await lead(api, name=f"Fair {i}", campaignId=fair, source="event") for i in range(4)]
    await lead(api, name="Ad", campaignId=web, source="search")
    await lead(api, name="No campaign", source="event")
    assert fair_leads[0]["source"] == "event"
    await api.admin("mutation($i: LeadIdInput!) { qualifyLead(input: $i) { errors { code } } }", {"i": {"leadId": fair_leads[0]["id"]}})
    converted = await api.admin("mutation($i: ConvertLeadInput!) { convertLead(input: $i) { errors { code } } }",
                                {"i": {"leadId": fair_leads[1]["id"]}})
    assert converted["convertLead"]["errors"] == []

    vip = await api.create_customer(name="VIP Co", tags=["vip"])
    for name in ("Vera", "Vik"):
        await api.admin("mutation($i: CreateContactInput!) { createContact(input: $i) { errors { code } } }",
                        {"i": {"customerId": vip["id"], "name": name}})
    added = await api.admin(MEMBERS, {"i": {"campaignId": fair, "leadFilter": {"source": "event"}, "customerFilter": {"tags": ["vip"]}}})
    assert added["addCampaignMembers"] == {"added": 5 + 2, "errors": []}  # 5 event leads (4 of the fair, 1 without) + 2 contacts
    again = await api.admin(MEMBERS, {"i": {"campaignId": fair, "leadFilter": {"source": "event"}}})
    assert again["addCampaignMembers"]["added"] == 0
    members = await api.admin("query($c: ID!) { campaign(id: $c) { members(first: 50) { totalCount edges { node { id } } } } }", {"c": fair})
    first_member = members["campaign"]["members"]["edges"][0]["node"]["id"]
    responded = await api.admin("mutation($i: SetCampaignMemberStatusInput!) { setCampaignMemberStatus(input: $i) { member { status respondedAt } errors { code } } }",
                                {"i": {"memberId": first_member, "status": "RESPONDED"}})
    assert responded["setCampaignMemberStatus"]["member"]["status"] == "RESPONDED"

    stats = (await api.admin(STATS, {"c": fair}))["campaignStats"]
    assert stats == {"members": 7, "responded": 1, "responseRate": round(1 / 7, 4), "leads": 4, "qualified": 2, "converted": 1,
                     "conversionRate": 0.25, "cost": "1000.00", "costPerLead": "250.00", "costPerConversion": "1000.00", "currency": "EUR"}

    today = "2999-12-31"  # every lead made by the test
    report = """query($g: CampaignGroup!) { campaignReport(from: "2020-01-01", to: "%s", groupBy: $g) { currency
      rows { key leads qualified converted conversionRate cost costPerLead costPerConversion } } }""" % today
    by_campaign = (await api.admin(report, {"g": "CAMPAIGN"}))["campaignReport"]
    assert by_campaign["currency"] == "EUR" and by_campaign["rows"] == [
        {"key": "Search ads", "leads": 1, "qualified": 0, "converted": 0, "conversionRate": 0.0, "cost": "300.00", "costPerLead": "300.00",
         "costPerConversion": None},
        {"key": "Spring fair", "leads": 4, "qualified": 2, "converted": 1, "conversionRate": 0.25, "cost": "1000.00", "costPerLead": "250.00",
         "costPerConversion": "1000.00"}]
    by_channel = (await api.admin(report.replace("rows { key", "rows { key members responded"), {"g": "CHANNEL"}))["campaignReport"]["rows"]
    assert [(r["key"], r["members"], r["responded"], r["leads"], r["cost"]) for r in by_channel] == [
        ("event", 7, 1, 4, "1000.00"), ("search", 0, 0, 1, "300.00")]
    by_source = (await api.admin(report, {"g": "SOURCE"}))["campaignReport"]["rows"]
    assert [(r["key"], r["leads"], r["cost"]) for r in by_source] == [("event", 5, None), ("search", 1, None)]

    _, rep = await api.as_user("sales_rep")
    assert (await api.gql(STATS, {"c": fair}, rep))["campaignStats"] is None  # not their campaign
    own = await campaign(api, rep, name="Rep mailing", channel="EMAIL", actualCost="50")
    await lead(api, rep, name="Mine", campaignId=own)
    await lead(api, name="Admin's", campaignId=own)
    assert (await api.gql(STATS, {"c": own}, rep))["campaignStats"]["leads"] == 1  # only the leads they may read


async def test_segment_then_promote_export_and_follow_up_tasks(make_app):
    api = await make_app(plugins=["leads"])
    rep, token = await api.as_user("sales_rep")
    fair = await campaign(api, name="Fair", channel="EVENT")
    await lead(api, token, name="Owned Lead", emails=["owned@example.com"], source="event")
    await api.admin("""mutation($i: LeadPoolInput!) { createLeadPool(input: $i) { errors { code } } }""", {"i": {"name": "P"}})
    pool_id = (await api.admin("{ leadPools { id } }"))["leadPools"][0]["id"]
    await lead(api, name="Pool Lead", source="event", poolId=pool_id)  # no owner: no task
    vip = await api.create_customer(token, name="VIP Co", tags=["vip"])
    await api.gql("mutation($i: CreateContactInput!) { createContact(input: $i) { errors { code } } }",
                  {"i": {"customerId": vip["id"], "name": "Vera", "emails": [{"value": "vera@vip.example"}]}}, token)
    added = await api.admin(MEMBERS, {"i": {"campaignId": fair, "leadFilter": {"source": "event"}, "customerFilter": {"tags": ["vip"]}}})
    assert added["addCampaignMembers"]["added"] == 3

    csv_text = (await api.admin("query($c: ID!) { exportCampaignMembers(campaignId: $c) }", {"c": fair}))["exportCampaignMembers"]
    lines = csv_text.strip().splitlines()
    assert lines[0] == "kind,name,email,phone,status,owner" and len(lines) == 4
    assert f"lead,Owned Lead,owned@example.com,,targeted,{rep['email']}" in lines
    assert f"contact,Vera,vera@vip.example,,targeted,{rep['email']}" in lines

    tasks = await api.admin("mutation($i: CreateCampaignTasksInput!) { createCampaignTasks(input: $i) { created errors { code } } }",
                            {"i": {"campaignId": fair, "subject": "Call after the fair", "dueAt": "2999-01-01T09:00:00Z"}})
    assert tasks["createCampaignTasks"] == {"created": 2, "errors": []}
    mine = await api.gql("{ myTasks { edges { node { subject customer { name } recordType } } } }", token=token)
    assert sorted((n["node"]["recordType"] or "", (n["node"]["customer"] or {}).get("name") or "") for n in mine["myTasks"]["edges"]) == [
        ("", "VIP Co"), ("lead", "")]
