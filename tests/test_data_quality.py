"""Duplicate detection and merging customers, with a plugin's records taking part."""

from crm_example.plugin import EVENTS
from crm import parse_id

MERGE = """mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) {
  customer { id name industry tags contacts { name isPrimary } } changes { what count } errors { field code message } } }"""
DUPES = "query($id: ID!) { duplicateCustomers(customerId: $id) { customer { name } score reasons } }"


async def add_contact(api, customer_id, name, email=None, primary=False, token=None):
    data = await api.gql(
        "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } errors { code } } }",
        {"i": {"customerId": customer_id, "name": name, "isPrimary": primary, "emails": [{"value": email}] if email else []}},
        token or api.admin_token,
    )
    return data["createContact"]["contact"]


async def test_duplicates_by_channel_website_and_name(make_app):
    api = await make_app()
    acme = await api.create_customer(name="ACME Corp.", website="https://www.acme.example", emails=[{"value": "Sales@acme.example"}])
    await api.create_customer(name="Acme", website="acme.example/contact")
    await api.create_customer(name="Other Name Ltd", phones=[{"value": "+1 555 0100"}], emails=[{"value": "sales@ACME.example"}])
    await api.create_customer(name="Acme Corporation Inc")
    await api.create_customer(name="Acorn Industries")
    found = (await api.admin(DUPES, {"id": acme["id"]}))["duplicateCustomers"]
    names = [f["customer"]["name"] for f in found]
    assert set(names) == {"Acme", "Other Name Ltd", "Acme Corporation Inc"}
    top = found[0]
    assert top["customer"]["name"] == "Acme" and top["score"] > 0.9
    assert any(r.startswith("same website") for r in top["reasons"]) and any(r.startswith("similar name") for r in top["reasons"])
    assert next(f for f in found if f["customer"]["name"] == "Other Name Ltd")["reasons"] == ["same email sales@acme.example"]

    # A rep only hears about duplicates they may read.
    _, rep = await api.as_user("sales_rep")
    assert (await api.gql(DUPES, {"id": acme["id"]}, rep))["duplicateCustomers"] == []


async def test_merge_dry_run_then_merge(make_app):
    api = await make_app(plugins=["example"])
    target = await api.create_customer(name="Acme", tags=["vip"])
    source = await api.create_customer(name="ACME Corp", tags=["north"], industry="retail", emails=[{"value": "a@acme.example"}])
    await add_contact(api, target["id"], "Tara", primary=True)
    await add_contact(api, source["id"], "Sam", "sam@acme.example", primary=True)
    await api.admin('mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }',
                    {"i": {"customerId": source["id"], "kind": "call", "subject": "Intro"}})
    await api.admin('mutation($c: ID!) { createWidget(input: {customerId: $c, name: "W"}) { errors { code } } }', {"c": source["id"]})

    dry = (await api.admin(MERGE, {"i": {"targetId": target["id"], "sourceIds": [source["id"]], "dryRun": True}}))["mergeCustomers"]
    changes = {c["what"]: c["count"] for c in dry["changes"]}
    assert changes == {"moved contacts": 1, "moved emails and phones": 2, "moved activities": 1, "moved widgets": 1,
                       "added tags north": 1, "filled industry": 1, "deleted merged customers": 1}
    assert dry["customer"]["industry"] is None
    assert (await api.admin("query($id: ID!) { customer(id: $id) { name } }", {"id": source["id"]}))["customer"] is not None

    done = (await api.admin(MERGE, {"i": {"targetId": target["id"], "sourceIds": [source["id"]]}}))["mergeCustomers"]
    assert done["errors"] == [] and {c["what"]: c["count"] for c in done["changes"]} == changes
    merged = done["customer"]
    assert merged["industry"] == "retail" and merged["tags"] == ["north", "vip"]
    assert merged["contacts"] == [{"name": "Tara", "isPrimary": True}, {"name": "Sam", "isPrimary": False}]
    assert ("customers_merged", parse_id(target["id"])) in EVENTS
    after = await api.admin("""query($id: ID!) { customer(id: $id) { widgets { name } emails { value }
        timeline { edges { node { kind } } } } }""", {"id": target["id"]})
    assert after["customer"]["widgets"] == [{"name": "W"}]
    assert "call" in {e["node"]["kind"] for e in after["customer"]["timeline"]["edges"]}
    assert (await api.admin("query($id: ID!) { customer(id: $id) { name } }", {"id": source["id"]}))["customer"] is None
    log = await api.admin('{ auditLog(filter: {resource: "customer"}) { edges { node { action recordId changes { field new } } } } }')
    actions = {(e["node"]["action"], e["node"]["recordId"]) for e in log["auditLog"]["edges"]}
    assert ("merge", target["id"]) in actions and ("merged", source["id"]) in actions


async def test_merge_refusals_change_nothing(make_app):
    api = await make_app()
    _, rep = await api.as_user("sales_rep")
    mine = await api.create_customer(rep, name="Mine")
    theirs = await api.create_customer(name="Not mine")
    for i, code, field in (
        ({"targetId": mine["id"], "sourceIds": []}, "REQUIRED", "sourceIds"),
        ({"targetId": mine["id"], "sourceIds": [mine["id"]]}, "INVALID", "sourceIds"),
        ({"targetId": mine["id"], "sourceIds": [theirs["id"]]}, "NOT_FOUND", "sourceIds.0"),
        ({"targetId": mine["id"], "sourceIds": ["999999"]}, "NOT_FOUND", "sourceIds.0"),
    ):
        data = await api.gql(MERGE, {"i": i}, rep)
        assert [(e["field"], e["code"]) for e in data["mergeCustomers"]["errors"]] == [(field, code)]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 2


async def test_a_merge_moves_only_what_the_caller_may_change(make_app):
    from sales_helpers import open_deal

    api = await make_app(plugins=["sales"])
    rep, rep_token = await api.as_user("sales_rep")
    other, _ = await api.as_user("sales_rep")
    target = await api.create_customer(rep_token, name="Keep")
    source = await api.create_customer(rep_token, name="Keep duplicate")
    # Another rep's deal and an admin's note on the rep's customer: the rep may not change either.
    deal = await open_deal(api, source["id"], name="Other rep's deal", ownerId=other["id"])
    note = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } errors { code } } }",
                           {"i": {"customerId": source["id"], "kind": "note", "subject": "admin's note"}})
    for dry in (True, False):
        refused = (await api.gql(MERGE, {"i": {"targetId": target["id"], "sourceIds": [source["id"]], "dryRun": dry}}, rep_token))["mergeCustomers"]
        assert refused["errors"][0]["code"] == "FORBIDDEN" and not refused["changes"]
        assert "1 opportunities" in refused["errors"][0]["message"] or "1 activities" in refused["errors"][0]["message"]
    still = await api.admin("query($id: ID!) { opportunity(id: $id) { version customer { id } } }", {"id": deal["id"]})
    assert still["opportunity"] == {"version": deal["version"], "customer": {"id": source["id"]}}

    # An admin may move everything: each moved record steps its version and has an audit entry of its own.
    done = (await api.admin(MERGE, {"i": {"targetId": target["id"], "sourceIds": [source["id"]]}}))["mergeCustomers"]
    assert done["errors"] == []
    moved = await api.admin("query($id: ID!) { opportunity(id: $id) { version customer { id } } }", {"id": deal["id"]})
    assert moved["opportunity"] == {"version": deal["version"] + 1, "customer": {"id": target["id"]}}
    audit = await api.admin('query($r: ID!) { auditLog(filter: {resource: "opportunity", recordId: $r, action: "update"}) { edges { node { changes { field old new } } } } }',
                            {"r": deal["id"]})
    assert audit["auditLog"]["edges"][0]["node"]["changes"] == [{"field": "customerId", "old": source["id"], "new": target["id"]}]
    assert note["logActivity"]["errors"] == []


async def test_a_merge_collapses_repeated_emails_and_phones(make_app):
    api = await make_app()
    target = await api.create_customer(name="Acme", emails=[{"value": "info@acme.example"}], phones=[{"value": "+49 30 1234567"}])
    twin = await api.create_customer(name="Acme GmbH", emails=[{"value": "INFO@acme.example"}, {"value": "sales@acme.example"}],
                                     phones=[{"value": "+49 (30) 123-4567"}])
    third = await api.create_customer(name="ACME", emails=[{"value": "sales@acme.example"}])
    ids = {"targetId": target["id"], "sourceIds": [twin["id"], third["id"]]}
    dry = (await api.admin(MERGE, {"i": {**ids, "dryRun": True}}))["mergeCustomers"]
    assert {c["what"]: c["count"] for c in dry["changes"]}["collapsed duplicate emails and phones"] == 3
    done = (await api.admin(MERGE, {"i": {**ids, "dryRun": False}}))["mergeCustomers"]
    assert done["errors"] == []
    kept = await api.admin('query($id: ID!) { customer(id: $id) { emails { value } phones { value } } }', {"id": target["id"]})
    assert [e["value"] for e in kept["customer"]["emails"]] == ["info@acme.example", "sales@acme.example"]
    assert [p["value"] for p in kept["customer"]["phones"]] == ["+49 30 1234567"]


async def test_a_merge_waits_for_a_disabled_plugin_whose_records_it_would_orphan(make_app):
    from sales_helpers import open_deal

    api = await make_app(plugins=["sales"])
    target = await api.create_customer(name="Keep")
    source = await api.create_customer(name="Go")
    deal = await open_deal(api, source["id"], name="Deal of the source")
    await api.restart(plugins=[])
    ids = {"targetId": target["id"], "sourceIds": [source["id"]]}
    for dry_run in (True, False):
        refused = (await api.admin(MERGE, {"i": {**ids, "dryRun": dry_run}}))["mergeCustomers"]
        assert refused["customer"] is None and refused["errors"][0]["code"] == "PLUGIN_DISABLED"
        assert "sales" in refused["errors"][0]["message"]
    await api.restart(plugins=["sales"])
    done = (await api.admin(MERGE, {"i": {**ids, "dryRun": False}}))["mergeCustomers"]
    assert done["errors"] == []
    moved = await api.admin('query($id: ID!) { opportunity(id: $id) { customer { id } } }', {"id": deal["id"]})
    assert moved["opportunity"]["customer"]["id"] == target["id"]  # nothing orphaned
