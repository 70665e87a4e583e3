"""Customers and contacts through GraphQL: CRUD, filters, pagination, conflicts, soft delete, audit."""

import pytest

CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) {
  customer { id name kind tags emails { value } phones { value } version owner { email } }
  errors { field code message } } }"""
UPDATE = "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { name version } errors { field code message } } }"


async def test_create_normalises_and_validates(make_app):
    api = await make_app()
    data = await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "  Acme  GmbH ", "tags": ["VIP", "vip", "North"],
                                          "emails": [{"value": "Info@Acme.COM"}], "phones": [{"value": "+49 (30) 123-456"}]}})
    c = data["createCustomer"]["customer"]
    assert c["name"] == "Acme  GmbH" and c["tags"] == ["north", "vip"] and c["owner"]["email"] == "admin@example.com"
    bad = await api.admin(CREATE, {"i": {"kind": "PERSON", "name": "x", "emails": [{"value": "nope"}], "phones": [{"value": "12"}]}})
    errors = bad["createCustomer"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("emails.0.value", "INVALID"), ("phones.0.value", "INVALID")]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 1


async def test_stale_version_is_a_conflict_and_changes_nothing(make_app):
    api = await make_app()
    c = await api.create_customer(name="Original")
    first = await api.admin(UPDATE, {"i": {"id": c["id"], "version": 1, "name": "First edit"}})
    assert first["updateCustomer"]["customer"] == {"name": "First edit", "version": 2}
    stale = await api.admin(UPDATE, {"i": {"id": c["id"], "version": 1, "name": "Lost update"}})
    assert stale["updateCustomer"]["errors"][0]["code"] == "CONFLICT"
    now = await api.admin("query($id: ID!) { customer(id: $id) { name version } }", {"id": c["id"]})
    assert now["customer"] == {"name": "First edit", "version": 2}


async def test_soft_delete_and_restore(make_app):
    api = await make_app()
    c = await api.create_customer(name="Gone soon")
    await api.admin("mutation($i: IdInput!) { deleteCustomer(input: $i) { errors { code } } }", {"i": {"id": c["id"]}})
    assert (await api.admin("query($id: ID!) { customer(id: $id) { id } }", {"id": c["id"]}))["customer"] is None
    deleted = await api.admin("{ customers(filter: {deleted: true}) { edges { node { name deletedAt } } } }")
    assert deleted["customers"]["edges"][0]["node"]["name"] == "Gone soon"
    back = await api.admin("mutation($i: IdInput!) { restoreCustomer(input: $i) { customer { name deletedAt } errors { code } } }", {"i": {"id": c["id"]}})
    assert back["restoreCustomer"]["customer"] == {"name": "Gone soon", "deletedAt": None}


async def test_filters_and_search(make_app):
    api = await make_app()
    rep, rep_token = await api.as_user("sales_rep")
    await api.create_customer(name="Alpha Bank", tags=["vip"], industry="banking", emails=[{"value": "hello@alpha.example"}])
    await api.create_customer(name="Beta Retail", region="north", phones=[{"value": "+1 555 0100"}])
    await api.create_customer(rep_token, name="Gamma Telecom", kind="PERSON")
    q = "query($f: CustomerFilter) { customers(filter: $f) { totalCount edges { node { name } } } }"

    async def names(**f):
        return [e["node"]["name"] for e in (await api.admin(q, {"f": f}))["customers"]["edges"]]

    assert await names(search="alp") == ["Alpha Bank"]
    assert await names(search="hello@") == ["Alpha Bank"]
    assert await names(search="+1 555 01") == ["Beta Retail"]  # phones match from the start in PREFIX mode
    assert await names(search="5550100", searchMode="CONTAINS") == ["Beta Retail"]
    assert await names(search="tail", searchMode="CONTAINS") == ["Beta Retail"]
    assert await names(tags=["VIP"]) == ["Alpha Bank"]
    assert await names(industry="banking") == ["Alpha Bank"]
    assert await names(region="north") == ["Beta Retail"]
    assert await names(kind="PERSON") == ["Gamma Telecom"]
    assert await names(ownerId=rep["id"]) == ["Gamma Telecom"]
    assert await names(search="%a") == []  # wildcards are literal


async def test_a_search_reads_page_by_page_in_order_either_way(make_app):
    """Searching, a page of one (what a count or an autocomplete asks) and pages read backwards give the same order
    as one big page (the search's matches are found first and then sorted: see customers' resolver)."""
    api = await make_app()
    for name in ("Delta Foods", "delta labs", "Delta Energy", "Echo Delta", "Deltaville"):
        await api.create_customer(name=name)
    await api.create_customer(name="Other", emails=[{"value": "delta@other.example"}])  # matched by its email
    q = """query($f: CustomerFilter, $o: CustomerOrder, $n: Int, $a: String, $l: Int, $b: String) {
      customers(filter: $f, orderBy: $o, first: $n, after: $a, last: $l, before: $b) {
        totalCount edges { node { name } } pageInfo { endCursor startCursor } } }"""
    for order in ({"field": "NAME"}, {"field": "NAME", "direction": "DESC"}, {"field": "CREATED_AT"}):
        whole = (await api.admin(q, {"f": {"search": "delta"}, "o": order, "n": 25}))["customers"]
        assert whole["totalCount"] == 5 and "Echo Delta" not in [e["node"]["name"] for e in whole["edges"]]
        one_by_one, after = [], None
        while True:
            page = (await api.admin(q, {"f": {"search": "delta"}, "o": order, "n": 1, "a": after}))["customers"]
            if not page["edges"]:
                break
            one_by_one += [e["node"]["name"] for e in page["edges"]]
            after = page["pageInfo"]["endCursor"]
        assert one_by_one == [e["node"]["name"] for e in whole["edges"]]
        backwards = (await api.admin(q, {"f": {"search": "delta"}, "o": order, "l": 2, "b": whole["pageInfo"]["endCursor"]}))["customers"]
        assert [e["node"]["name"] for e in backwards["edges"]] == one_by_one[2:4]


async def test_filter_on_related_contacts(make_app):
    api = await make_app()
    c = await api.create_customer(name="Has contact")
    await api.create_customer(name="No contact")
    made = await api.admin(
        "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { name customer { name } emails { value } } errors { field code } } }",
        {"i": {"customerId": c["id"], "name": "Jane Doe", "emails": [{"value": "jane@corp.example"}], "isPrimary": True}},
    )
    assert made["createContact"]["contact"]["customer"]["name"] == "Has contact"
    found = await api.admin('{ customers(filter: {contactEmail: "jane@"}) { edges { node { name contacts { name } } } } }')
    assert found["customers"]["edges"] == [{"node": {"name": "Has contact", "contacts": [{"name": "Jane Doe"}]}}]


async def test_cursor_pagination_walks_every_row_once(make_app):
    api = await make_app()
    for i in range(7):
        await api.create_customer(name=f"Page {i}")
    seen, after = [], None
    while True:
        data = await api.admin(
            "query($a: String) { customers(first: 3, after: $a, orderBy: {field: NAME, direction: DESC}) { edges { cursor node { name } } "
            "pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }",
            {"a": after},
        )
        page = data["customers"]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"Page {i}" for i in reversed(range(7))]
    bad = await api.gql('{ customers(after: "garbage") { totalCount } }', token=api.admin_token, expect_errors=True)
    assert bad["errors"]


async def test_every_change_is_in_the_audit_trail(make_app):
    api = await make_app()
    rep, _ = await api.as_user("sales_rep")
    c = await api.create_customer(name="Audited")
    await api.admin(UPDATE, {"i": {"id": c["id"], "version": 1, "name": "Audited 2", "industry": "retail"}})
    await api.admin(UPDATE, {"i": {"id": c["id"], "version": 2, "ownerId": rep["id"]}})
    await api.admin("mutation($i: IdInput!) { deleteCustomer(input: $i) { errors { code } } }", {"i": {"id": c["id"]}})
    await api.admin("mutation($i: IdInput!) { restoreCustomer(input: $i) { errors { code } } }", {"i": {"id": c["id"]}})
    log = await api.admin(
        'query($r: ID) { auditLog(filter: {resource: "customer", recordId: $r}) { edges { node { action actor { email } changes { field old new } } } } }',
        {"r": c["id"]},
    )
    entries = [e["node"] for e in log["auditLog"]["edges"]]
    assert [e["action"] for e in entries] == ["restore", "delete", "transfer", "update", "create"]
    update = entries[3]["changes"]
    assert {"field": "name", "old": "Audited", "new": "Audited 2"} in update and {"field": "industry", "old": None, "new": "retail"} in update
    assert entries[0]["actor"]["email"] == "admin@example.com"


async def test_list_costs_the_same_statements_for_10_and_50_rows(make_app):
    api = await make_app(plugins=["example"], policy_check_seconds=3600, plugin_check_seconds=3600)  # no policy polls inside the count
    for i in range(50):
        c = await api.create_customer(name=f"N{i:02}", tags=["t"], emails=[{"value": f"n{i}@x.example"}])
        if i % 5 == 0:
            await api.admin('mutation($i: CreateContactInput!) { createContact(input: $i) { errors { code } } }', {"i": {"customerId": c["id"], "name": "P"}})
    q = """query($n: Int) { customers(first: $n) { totalCount edges { node { name tags emails { value } owner { email }
           contacts { name owner { name } } widgets { name } summary { activityCount widgetCount }
           timeline(first: 2) { totalCount edges { node { kind title actor { name } } } } } } } }"""

    async def statements(n):
        await api.admin(q, {"n": n})  # warm: authentication and policy caches
        before = api.counter.count
        await api.admin(q, {"n": n})
        return api.counter.count - before

    small, large = await statements(10), await statements(50)
    assert small == large, f"{small} statements for 10 customers, {large} for 50: something loads per row"


async def test_timelines_in_a_list_read_as_in_each_360_view(make_app):
    api = await make_app(plugins=["example"])
    ids = []
    for i in range(3):
        customer = await api.create_customer(name=f"T{i}")
        ids.append(customer["id"])
        for k in range(i + 2):
            await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                            {"i": {"customerId": customer["id"], "kind": "call", "subject": f"call {i}.{k}"}})
    page = "timeline(first: 2, after: $after) { totalCount edges { cursor node { id kind title } } pageInfo { hasNextPage endCursor } }"
    listed = await api.admin(f'query($after: String) {{ customers(first: 3) {{ edges {{ node {{ id {page} }} }} }} }}', {"after": None})
    for edge in listed["customers"]["edges"]:
        alone = await api.admin(f"query($id: ID!, $after: String) {{ customer(id: $id) {{ {page} }} }}", {"id": edge["node"]["id"], "after": None})
        assert edge["node"]["timeline"] == alone["customer"]["timeline"]
        # the second page, from the first page's cursor, is the same both ways too
        after = alone["customer"]["timeline"]["pageInfo"]["endCursor"]
        alone_next = await api.admin(f"query($id: ID!, $after: String) {{ customer(id: $id) {{ {page} }} }}", {"id": edge["node"]["id"], "after": after})
        listed_next = await api.admin(f'query($after: String) {{ customers(first: 3) {{ edges {{ node {{ id {page} }} }} }} }}', {"after": after})
        mine = next(e for e in listed_next["customers"]["edges"] if e["node"]["id"] == edge["node"]["id"])
        assert mine["node"]["timeline"] == alone_next["customer"]["timeline"]
    counts = sorted(e["node"]["timeline"]["totalCount"] for e in listed["customers"]["edges"])
    assert counts == [5, 7, 9]  # 2, 3 and 4 calls, each with its audit entry, and the customer's creation


async def test_contains_search_has_trigram_indexes_on_postgresql(make_app):
    api = await make_app()
    if api.runtime.db.dialect != "postgresql":
        pytest.skip("trigram indexes are a PostgreSQL feature (pg_trgm); on SQLite contains search reads the table")
    from sqlalchemy import text

    async with api.runtime.db.read() as session:
        names = set((await session.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trgm'"))).all())
    assert names == {"ix_core_customer_search_name_trgm", "ix_core_channel_normalized_trgm"}
    await api.create_customer(name="First National Bank of Springfield", emails=[{"value": "desk@fnb.example"}])
    found = await api.admin('{ customers(filter: {search: "national bank", searchMode: CONTAINS}) { edges { node { name } } } }')
    assert [e["node"]["name"] for e in found["customers"]["edges"]] == ["First National Bank of Springfield"]
    by_mail = await api.admin('{ customers(filter: {search: "fnb.exa", searchMode: CONTAINS}) { totalCount } }')
    assert by_mail["customers"]["totalCount"] == 1


async def test_region_and_industry_filters_ignore_case(make_app):
    api = await make_app()
    await api.create_customer(name="North", region="EMEA", industry="Retail")
    await api.create_customer(name="South", region="APAC", industry="retail")
    found = await api.admin('{ customers(filter: {region: "emea", industry: " RETAIL "}) { edges { node { name } } } }')
    assert [e["node"]["name"] for e in found["customers"]["edges"]] == ["North"]
    both = await api.admin('{ customers(filter: {industry: "Retail"}) { totalCount } }')
    assert both["customers"]["totalCount"] == 2


async def test_customers_without_contact_in_n_days(make_app):
    from datetime import UTC, datetime, timedelta

    api = await make_app()
    names = {}
    for name in ("Recent", "Lapsed", "Never", "Only notes"):
        names[name] = (await api.create_customer(name=name))["id"]
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }"

    async def activity(customer, kind, days_ago):
        at = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
        assert (await api.admin(log, {"i": {"customerId": names[customer], "kind": kind, "subject": kind, "occurredAt": at}}))["logActivity"]["errors"] == []

    await activity("Recent", "call", 2)
    await activity("Lapsed", "meeting", 40)
    await activity("Only notes", "note", 1)  # a note is not contact with the customer
    query = "query($d: Int) { customers(filter: {noContactDays: $d}) { edges { node { name } } } }"
    found = await api.admin(query, {"d": 30})
    assert sorted(e["node"]["name"] for e in found["customers"]["edges"]) == ["Lapsed", "Never", "Only notes"]
    found = await api.admin(query, {"d": 60})
    assert sorted(e["node"]["name"] for e in found["customers"]["edges"]) == ["Never", "Only notes"]
    bad = await api.gql(query, {"d": 0}, api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.noContactDays"}


async def test_deleted_activities_come_back(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Kept")
    logged = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id version } } }",
                             {"i": {"customerId": customer["id"], "kind": "note", "subject": "Remember"}})
    activity = logged["logActivity"]["activity"]
    deleted = await api.admin("mutation($i: DeleteActivityInput!) { deleteActivity(input: $i) { errors { code } } }",
                              {"i": {"id": activity["id"], "version": activity["version"]}})
    assert deleted["deleteActivity"]["errors"] == []
    timeline = 'query($i: ID!) { customer(id: $i) { timeline { edges { node { kind title } } } } }'
    assert [e["node"]["title"] for e in (await api.admin(timeline, {"i": customer["id"]}))["customer"]["timeline"]["edges"]
            if e["node"]["kind"] == "note"] == []
    back = await api.admin("mutation($i: IdInput!) { restoreActivity(input: $i) { activity { id } errors { code } } }", {"i": {"id": activity["id"]}})
    assert back["restoreActivity"]["errors"] == []
    assert [e["node"]["title"] for e in (await api.admin(timeline, {"i": customer["id"]}))["customer"]["timeline"]["edges"]
            if e["node"]["kind"] == "note"] == ["Remember"]
    again = await api.admin("mutation($i: IdInput!) { restoreActivity(input: $i) { errors { code } } }", {"i": {"id": activity["id"]}})
    assert again["restoreActivity"]["errors"] == [{"code": "INVALID"}]
