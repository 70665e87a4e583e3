"""Leads with sales: the bridge joins by itself, and a conversion opens the deal in the same transaction."""

from leads_helpers import lead

CONVERT = """mutation($i: ConvertLeadInput!) { convertLead(input: $i) { lead { status } customer { id name }
  created { resource id } errors { field code message } } }"""


async def test_converting_with_sales_opens_the_opportunity(make_app):
    api = await make_app(plugins=["leads", "sales"])
    assert "leads_sales" in api.runtime.enabled  # a bridge: enabled because both are
    rep, token = await api.as_user("sales_rep")
    person = await lead(api, token, name="Mo Buyer", companyName="Mo GmbH", source="web", campaign="Spring fair")
    done = (await api.gql(CONVERT, {"i": {"leadId": person["id"], "createOpportunity": True, "amount": "1200.50"}}, token))["convertLead"]
    assert done["errors"] == [] and done["created"][0]["resource"] == "opportunity"
    deal = await api.gql("""query($id: ID!) { opportunity(id: $id) { name amount currency status source campaign stage { name }
      customer { id } contacts { name } owner { id } } }""", {"id": done["created"][0]["id"]}, token)
    assert deal["opportunity"] == {"name": "Mo GmbH: Mo Buyer", "amount": "1200.50", "currency": "EUR", "status": "OPEN", "source": "web",
                                   "campaign": "Spring fair", "stage": {"name": "Qualification"}, "customer": {"id": done["customer"]["id"]},
                                   "contacts": [{"name": "Mo Buyer"}], "owner": {"id": rep["id"]}}

    # A deal the caller may not open refuses the whole conversion: no customer, the lead as it was.
    other = await lead(api, token, name="Bad Amount")
    refused = (await api.gql(CONVERT, {"i": {"leadId": other["id"], "createOpportunity": True, "amount": "-5"}}, token))["convertLead"]
    assert refused["errors"] and refused["lead"] is None
    still = await api.gql("query($id: ID!) { lead(id: $id) { status customerId } }", {"id": other["id"]}, token)
    assert still["lead"] == {"status": "NEW", "customerId": None}
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 1


async def test_a_campaigns_return_counts_the_deals_its_leads_became(make_app):
    api = await make_app(plugins=["leads", "sales"])
    fair = (await api.admin("""mutation { createCampaign(input: {name: "Fair", channel: EVENT, actualCost: "1000"}) { campaign { id } } }"""))
    fair = fair["createCampaign"]["campaign"]["id"]
    ids = []
    for amount in ("3000", "500"):
        person = await lead(api, name=f"Buyer {amount}", companyName=f"Co {amount}", campaignId=fair)
        done = (await api.admin(CONVERT, {"i": {"leadId": person["id"], "createOpportunity": True, "amount": amount}}))["convertLead"]
        ids.append(done["created"][0]["id"])
    version = (await api.admin("query($id: ID!) { opportunity(id: $id) { version } }", {"id": ids[0]}))["opportunity"]["version"]
    win = await api.admin("mutation($i: WinOpportunityInput!) { winOpportunity(input: $i) { errors { code message } } }",
                          {"i": {"id": ids[0], "version": version}})
    assert win["winOpportunity"]["errors"] == [], win
    stats = await api.admin("query($c: ID!) { campaignStats(campaignId: $c) { converted cost wonRevenue wonDeals roi } }", {"c": fair})
    assert stats["campaignStats"] == {"converted": 2, "cost": "1000.00", "wonRevenue": "3000.00", "wonDeals": 1, "roi": 2.0}
    funnel = await api.admin("""{ leadFunnel(from: "2020-01-01", to: "2999-12-31") { key created converted won wonRate } }""")
    assert funnel["leadFunnel"] == [{"key": "all", "created": 2, "converted": 2, "won": 1, "wonRate": 0.5}]
    _, rep = await api.as_user("sales_rep")
    mine = await api.gql("""{ leadFunnel(from: "2020-01-01", to: "2999-12-31") { won } }""", token=rep)
    assert mine["leadFunnel"] == []  # none of those leads is theirs
