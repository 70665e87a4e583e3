"""`crm bench generate`: seeded, bulk-loaded data for the core, sales, leads and inventory that the API then serves."""

from crm.bench.generate import generate
from crm import parse_id


async def test_generated_data_is_complete_and_served(make_app):
    api = await make_app(plugins=["sales", "leads", "inventory", "contracts", "service"])
    rows = await generate(api.runtime, 300, users=12, teams=3)
    assert rows > 300 * 15
    data = await api.admin("""{ customers(first: 5) { totalCount edges { node { contacts { name } emails { value } phones { value }
        summary { activityCount openOpportunityCount } owner { email } } } }
        opportunities { totalCount } }""")
    assert data["customers"]["totalCount"] == 300 and data["opportunities"]["totalCount"] == 300
    for edge in data["customers"]["edges"]:
        node = edge["node"]
        assert len(node["contacts"]) == 2 and node["emails"] and node["phones"] and node["summary"]["activityCount"] == 10
        assert node["owner"]["email"].startswith("bench-")
    # Ids continue where the generated rows end, in both databases.
    made = await api.create_customer(name="After the bench data")
    assert parse_id(made["id"]) == 301
    # The same seed gives the same data.
    again = await make_app(plugins=["sales"])
    await generate(again.runtime, 300, users=12, teams=3)
    query = '{ customers(first: 3, filter: {search: "alpha"}) { edges { node { name region industry tags } } } }'
    assert (await api.admin(query)) == (await again.admin(query))
    funnel = await api.admin('{ pipelines { id } }')
    pipeline = funnel["pipelines"][0]["id"]
    numbers = await api.admin('query($p: ID!) { salesFunnel(pipelineId: $p, from: "2020-01-01", to: "2029-12-31") { opportunities } }', {"p": pipeline})
    assert numbers["salesFunnel"]["opportunities"] == 300
    leads = await api.admin("{ leads { totalCount } leadPools { id waiting memberIds } }")
    assert leads["leads"]["totalCount"] == 300 and len(leads["leadPools"]) == 2
    assert 0 < sum(p["waiting"] for p in leads["leadPools"]) < 300 and all(len(p["memberIds"]) == 12 for p in leads["leadPools"])
    made_lead = await api.admin('mutation { createLead(input: {name: "After"}) { lead { id } errors { code } } }')
    assert parse_id(made_lead["createLead"]["lead"]["id"]) == 301
    # Stock: ten movements a customer, levels derived from them, never below zero on hand, and the check agrees.
    from crm.plugins.inventory.check import differences

    stock = await api.admin("{ stockMovements { totalCount } warehouses { code } stockValuation { total } }")
    assert stock["stockMovements"]["totalCount"] == 3000 and len(stock["warehouses"]) == 5
    async with api.runtime.db.read() as session:
        assert await differences(session) == []
    negative = await api.admin("{ stockLevels(first: 100) { edges { node { onHand } } } }")
    assert all(float(e["node"]["onHand"]) >= 0 for e in negative["stockLevels"]["edges"])
    # Contracts: about three customers in ten with a signed contract and its 12 installments, some overdue.
    signed = await api.admin("{ contracts { totalCount } overduePayments { totalCount } receivables { rows { due } } }")
    assert 40 < signed["contracts"]["totalCount"] < 140 and signed["overduePayments"]["totalCount"] > 0
    made_contract = await api.admin("""mutation($i: CreateContractInput!) { createContract(input: $i) { contract { number } errors { code } } }""",
                                    {"i": {"customerId": "1", "title": "After the bench data"}})
    assert made_contract["createContract"]["errors"] == []
    # Service: three tickets a customer with their history; the recent ones open, some past their targets; ids go on.
    tickets = await api.admin("""{ tickets { totalCount } open: tickets(filter: {open: true}) { totalCount } ticketsAtRisk { totalCount }
        slaReport(from: "2020-01-01", to: "2029-12-31") { tickets responded firstResponseMet } }""")
    assert tickets["tickets"]["totalCount"] == 900 and 0 < tickets["open"]["totalCount"] < 900
    assert tickets["slaReport"][0]["tickets"] == 900 and tickets["slaReport"][0]["firstResponseMet"] > 0
    made_ticket = await api.admin("""mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } errors { code } } }""",
                                  {"i": {"customerId": "1", "subject": "After the bench data"}})
    assert parse_id(made_ticket["createTicket"]["ticket"]["id"]) == 901
