"""Capturing leads, lists a rep and a manager need, duplicates, qualification and conversion."""

from leads_helpers import CREATE_LEAD, lead, pool

from sqlalchemy import text


async def test_capture_list_filter_and_scope(make_app):
    api = await make_app(plugins=["leads"])
    rep, rep_token = await api.as_user("sales_rep")
    other, other_token = await api.as_user("sales_rep")
    mine = await lead(api, rep_token, name="Grace Hopper", companyName="Navy Labs", emails=["Grace@Navy.example"],
                      phones=["+1 (555) 010-200"], source="Web", region="US", score=70)
    await lead(api, other_token, name="Alan Turing", companyName="Bletchley", source="event", score=20)
    assert mine["ownerId"] == rep["id"] and mine["status"] == "NEW" and mine["claimedAt"]

    bad = await api.gql(CREATE_LEAD, {"i": {"name": " ", "emails": ["nope"], "score": 300}}, rep_token)
    assert {(e["field"], e["code"]) for e in bad["createLead"]["errors"]} <= {("name", "REQUIRED"), ("emails.0", "INVALID"), ("score", "INVALID")}
    assert bad["createLead"]["errors"]

    seen = await api.gql("{ leads { totalCount edges { node { name } } } }", token=rep_token)
    assert seen["leads"]["totalCount"] == 1 and seen["leads"]["edges"][0]["node"]["name"] == "Grace Hopper"
    everyone = await api.admin("""{ a: leads(filter: {source: "WEB"}) { totalCount } b: leads(filter: {scoreMin: 50}) { totalCount }
      c: leads(filter: {search: "grace@navy"}) { totalCount } d: leads(filter: {search: "+1555010"}) { totalCount }
      e: leads(filter: {search: "bletch"}) { totalCount } f: leads(orderBy: SCORE, direction: ASC) { edges { node { name } } } }""")
    assert [everyone[k]["totalCount"] for k in "abcde"] == [1, 1, 1, 1, 1]
    assert [e["node"]["name"] for e in everyone["f"]["edges"]] == ["Alan Turing", "Grace Hopper"]
    hidden = await api.gql("query($id: ID!) { lead(id: $id) { id } }", {"id": mine["id"]}, other_token)
    assert hidden["lead"] is None


async def test_duplicates_are_flagged_against_leads_and_customers(make_app):
    api = await make_app(plugins=["leads"])
    customer = await api.create_customer(name="Acme", emails=[{"value": "buyer@acme.example"}])
    first = await lead(api, name="Buyer", emails=["buyer@acme.example"])
    second = await lead(api, name="Buyer again", emails=["BUYER@acme.example "], phones=["030 1234567"])
    found = await api.admin("query($id: ID!) { lead(id: $id) { duplicates { resource id name matched } } }", {"id": second["id"]})
    assert found["lead"]["duplicates"] == [
        {"resource": "customer", "id": customer["id"], "name": "Acme", "matched": "buyer@acme.example"},
        {"resource": "lead", "id": first["id"], "name": "Buyer", "matched": "buyer@acme.example"}]
    listed = await api.admin("{ leads { edges { node { duplicates { id } } } } }")
    assert sorted(len(e["node"]["duplicates"]) for e in listed["leads"]["edges"]) == [2, 2]


async def test_qualify_disqualify_and_convert_once(make_app):
    api = await make_app(plugins=["leads"])
    rep, token = await api.as_user("sales_rep")
    person = await lead(api, token, name="Lin Buyer", companyName="Lin Trading", title="CEO", emails=["lin@trading.example"],
                        source="referral", region="APAC", industry="retail")
    qualified = await api.gql("mutation($i: LeadIdInput!) { qualifyLead(input: $i) { lead { status } errors { code } } }",
                              {"i": {"leadId": person["id"]}}, token)
    assert qualified["qualifyLead"] == {"lead": {"status": "QUALIFIED"}, "errors": []}
    convert = """mutation($i: ConvertLeadInput!) { convertLead(input: $i) { lead { status customerId contactId convertedAt }
      customer { id name kind region } contactId created { resource id } errors { field code message } } }"""
    no_sales = await api.gql(convert, {"i": {"leadId": person["id"], "createOpportunity": True}}, token)
    assert no_sales["convertLead"]["errors"][0]["field"] == "createOpportunity"
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0  # refused: nothing kept

    done = (await api.gql(convert, {"i": {"leadId": person["id"]}}, token))["convertLead"]
    assert done["errors"] == [] and done["lead"]["status"] == "CONVERTED" and done["created"] == []
    assert done["customer"]["name"] == "Lin Trading" and done["customer"]["kind"] == "COMPANY" and done["customer"]["region"] == "APAC"
    contact = await api.gql("query($id: ID!) { customer(id: $id) { owner { id } contacts { id name title emails { value } } "
                            "timeline { edges { node { kind title } } } } }", {"id": done["customer"]["id"]}, token)
    assert contact["customer"]["owner"]["id"] == rep["id"]
    assert contact["customer"]["contacts"] == [{"id": done["contactId"], "name": "Lin Buyer", "title": "CEO",
                                                "emails": [{"value": "lin@trading.example"}]}]
    entries = [e["node"] for e in contact["customer"]["timeline"]["edges"]]
    assert {"kind": "lead_converted", "title": "Lin Buyer"} in entries and {"kind": "lead_qualified", "title": "Lin Buyer"} in entries
    again = await api.gql(convert, {"i": {"leadId": person["id"]}}, token)
    assert again["convertLead"]["errors"][0]["code"] == "INVALID"

    other = await lead(api, token, name="Nope")
    dq = await api.gql("mutation($i: DisqualifyLeadInput!) { disqualifyLead(input: $i) { lead { status disqualifyReason } errors { code } } }",
                       {"i": {"leadId": other["id"], "reason": "student, no budget"}}, token)
    assert dq["disqualifyLead"]["lead"] == {"status": "UNQUALIFIED", "disqualifyReason": "student, no budget"}
    history = await api.gql("query($id: ID!) { lead(id: $id) { history { kind actorId detail } } }", {"id": person["id"]}, token)
    assert [h["kind"] for h in history["lead"]["history"]] == ["CREATED", "QUALIFIED", "CONVERTED"]


async def test_converting_into_an_existing_customer_and_merging_keeps_the_link(make_app):
    api = await make_app(plugins=["leads"])
    target = await api.create_customer(name="Target")
    source = await api.create_customer(name="Source")
    person = await lead(api, name="Kim")
    done = await api.admin("""mutation($i: ConvertLeadInput!) { convertLead(input: $i) { customer { id } errors { code } } }""",
                           {"i": {"leadId": person["id"], "customerId": source["id"]}})
    assert done["convertLead"]["customer"]["id"] == source["id"]
    merged = await api.admin("""mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) { errors { code } } }""",
                             {"i": {"targetId": target["id"], "sourceIds": [source["id"]]}})
    assert merged["mergeCustomers"]["errors"] == []
    after = await api.admin("query($id: ID!) { lead(id: $id) { customerId } }", {"id": person["id"]})
    assert after["lead"]["customerId"] == target["id"]


async def test_enabling_leads_on_a_database_of_customers_loses_nothing(make_app):
    api = await make_app(plugins=[])
    for i in range(3):
        await api.create_customer(name=f"Kept {i}")
    await api.restart(plugins=["leads"])
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 3
    pid = await pool(api, name="EMEA")
    await lead(api, name="New", poolId=pid)
    await api.restart(plugins=[])
    assert "Lead" not in api.runtime.schema.as_str()
    await api.restart(plugins=["leads"])
    assert (await api.admin("{ leads { totalCount } }"))["leads"]["totalCount"] == 1
    async with api.runtime.db.read() as session:
        assert await session.scalar(text("SELECT count(*) FROM core_customer")) == 3


async def test_custom_fields_on_leads(make_app):
    api = await make_app(plugins=["leads"])
    defined = await api.admin("""mutation { defineCustomField(input: {entity: "lead", key: "budget", label: "Budget", type: NUMBER}) {
      errors { field code } } }""")
    assert defined["defineCustomField"]["errors"] == []
    big = await lead(api, name="Big", customFields={"budget": 50000})
    await lead(api, name="Small", customFields={"budget": 500})
    unknown = await api.admin(CREATE_LEAD, {"i": {"name": "X", "customFields": {"colour": "red"}}})
    assert unknown["createLead"]["errors"][0]["code"] == "UNKNOWN_FIELD"
    wrong = await api.admin(CREATE_LEAD, {"i": {"name": "X", "customFields": {"budget": "lots"}}})
    assert wrong["createLead"]["errors"][0]["code"] == "INVALID"
    found = await api.admin("""{ leads(filter: {customFields: [{key: "budget", min: "1000"}]}) { totalCount
      edges { node { name customFields { key number } } } } }""")
    assert found["leads"]["totalCount"] == 1 and found["leads"]["edges"][0]["node"]["name"] == "Big"
    assert found["leads"]["edges"][0]["node"]["customFields"] == [{"key": "budget", "number": 50000.0}]
    version = (await api.admin("query($id: ID!) { lead(id: $id) { version } }", {"id": big["id"]}))["lead"]["version"]
    changed = await api.admin("""mutation($i: UpdateLeadInput!) { updateLead(input: $i) { lead { customFields { key number } } errors { code } } }""",
                              {"i": {"id": big["id"], "version": version, "customFields": {"budget": 70000}}})
    assert changed["updateLead"]["lead"]["customFields"] == [{"key": "budget", "number": 70000.0}]


async def test_a_leads_activities_join_the_customers_timeline_on_conversion(make_app):
    api = await make_app(plugins=["leads"])
    _, token = await api.as_user("sales_rep")
    person = await lead(api, token, name="Call Me", companyName="Phone Co")
    log = """mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id customer { id } } errors { field code } } }"""
    called = await api.gql(log, {"i": {"kind": "call", "subject": "First call", "recordType": "lead", "recordId": person["id"]}}, token)
    assert called["logActivity"]["errors"] == [] and called["logActivity"]["activity"]["customer"] is None
    nowhere = await api.gql(log, {"i": {"kind": "call", "subject": "About nothing"}}, token)
    assert nowhere["logActivity"]["errors"] == [{"field": "customerId", "code": "REQUIRED"}]
    seen = await api.gql("query($id: ID!) { lead(id: $id) { activities { subject } } }", {"id": person["id"]}, token)
    assert seen["lead"]["activities"] == [{"subject": "First call"}]
    done = await api.gql("""mutation($i: ConvertLeadInput!) { convertLead(input: $i) { customer { id } errors { code } } }""",
                         {"i": {"leadId": person["id"]}}, token)
    customer = done["convertLead"]["customer"]["id"]
    timeline = await api.gql("query($id: ID!) { customer(id: $id) { timeline { edges { node { kind title } } } } }", {"id": customer}, token)
    kinds = [e["node"] for e in timeline["customer"]["timeline"]["edges"]]
    assert {"kind": "call", "title": "First call"} in kinds and {"kind": "lead_converted", "title": "Call Me"} in kinds
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "activity", recordId: $id}) { edges { node { action
      changes { field new } } } } }""", {"id": called["logActivity"]["activity"]["id"]})
    assert {"action": "update", "changes": [{"field": "customerId", "new": customer}]} in [e["node"] for e in audit["auditLog"]["edges"]]
