"""Guard rails on what a request costs, in counts (statements, validations), never in seconds."""


VIEW = """query($id: ID!, $n: Int) { customer(id: $id) { name tags owner { name } emails { value }
  contacts { name emails { value } } summary { lastContactAt activityCount openOpportunityCount lifetimeRevenue }
  opportunities(first: $n) { edges { node { name stage { name } } } }
  timeline(first: $n) { edges { node { kind title actor { name } } } } } }"""


async def test_customer_360_costs_the_same_statements_for_10_or_20_entries(make_app):
    api = await make_app(plugins=["sales"], policy_check_seconds=3600, plugin_check_seconds=3600)
    customer = await api.create_customer(name="Busy", emails=[{"value": "busy@x.example"}])
    for i in range(25):
        await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer["id"], "kind": "call", "subject": f"call {i}"}})
        await api.admin("mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer["id"], "name": f"deal {i}"}})
    for i in range(12):
        await api.admin("mutation($i: CreateContactInput!) { createContact(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer["id"], "name": f"P{i}", "emails": [{"value": f"p{i}@x.example"}]}})

    async def statements(n):
        await api.admin(VIEW, {"id": customer["id"], "n": n})
        before = api.counter.count
        data = await api.admin(VIEW, {"id": customer["id"], "n": n})
        assert len(data["customer"]["timeline"]["edges"]) == n
        return api.counter.count - before

    assert await statements(10) == await statements(20)


async def test_a_repeated_query_is_parsed_validated_and_planned_once(make_app):
    api = await make_app()
    schema = api.runtime.schema
    query = "{ customers(first: 7) { edges { node { name } } } }"
    await api.admin(query)
    before = schema.preparations
    await api.admin(query)
    await api.admin(query)
    assert schema.preparations == before
    assert schema.prepared(query, None) is not None  # it runs on the prepared path, not strawberry's


CUSTOMERS_WITH_DEALS = """query($n: Int) { customers(first: $n) { edges { node { name
  opportunities(first: 2) { totalCount edges { node { name stage { name } } } pageInfo { hasNextPage } }
  orders(first: 2) { totalCount edges { node { number } } }
  summary { openOpportunityCount lifetimeRevenue } } } } }"""


async def test_a_list_with_each_customers_deals_costs_the_same_for_10_or_50(make_app):
    api = await make_app(plugins=["sales"], policy_check_seconds=3600, plugin_check_seconds=3600)
    for i in range(50):
        customer = await api.create_customer(name=f"D{i:02}")
        for k in range(i % 4):
            await api.admin("mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { errors { code } } }",
                            {"i": {"customerId": customer["id"], "name": f"deal {i}.{k}"}})

    async def statements(n):
        await api.admin(CUSTOMERS_WITH_DEALS, {"n": n})
        before = api.counter.count
        data = await api.admin(CUSTOMERS_WITH_DEALS, {"n": n})
        return api.counter.count - before, data

    (small, _), (large, data) = await statements(10), await statements(50)
    assert small == large, f"{small} statements for 10 customers, {large} for 50: something loads per customer"
    # and each customer's page is the one its own view gives
    for edge in data["customers"]["edges"][:8]:
        name = edge["node"]["name"]
        alone = await api.admin('query($s: String) { customers(first: 1, filter: {search: $s}) { edges { node {'
                                ' opportunities(first: 2) { totalCount edges { node { name stage { name } } } pageInfo { hasNextPage } }'
                                ' } } } }', {"s": name})
        assert alone["customers"]["edges"][0]["node"]["opportunities"] == edge["node"]["opportunities"]
    counts = sorted({e["node"]["opportunities"]["totalCount"] for e in data["customers"]["edges"]})
    assert counts == [0, 1, 2, 3]


async def test_a_count_alone_reads_no_page(make_app):
    """`first: 0` asks for `totalCount` alone (the console counts a list beside its first page): one statement fewer
    than a page of one, and the same count."""
    api = await make_app(policy_check_seconds=3600, plugin_check_seconds=3600)
    for name in ("Count One", "Count Two", "Count Three"):
        await api.create_customer(name=name)
    query = '{ customers(first: %d, filter: {search: "count"}) { totalCount edges { node { id } } } }'

    async def statements(n):
        await api.admin(query % n)
        before = api.counter.count
        data = await api.admin(query % n)
        return api.counter.count - before, data["customers"]

    (alone, counted), (paged, page) = await statements(0), await statements(1)
    assert counted == {"totalCount": 3, "edges": []} and page["totalCount"] == 3 and len(page["edges"]) == 1
    assert alone == paged - 1
