"""Custom fields: define without a migration or restart, typed validated values, filters, archive."""

DEFINE = """mutation($i: DefineCustomFieldInput!) { defineCustomField(input: $i) {
  definition { id key type version } errors { field code message } } }"""
CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) {
  customer { id version customFields { key label type text number date boolean choices } } errors { field code message } } }"""
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) {
  customer { version customFields { key number choices } } errors { field code message } } }"""
LIST = "query($f: CustomerFilter) { customers(filter: $f) { totalCount edges { node { name } } } }"


async def define(api, **fields):
    data = await api.admin(DEFINE, {"i": {"entity": "customer", **fields}})
    assert data["defineCustomField"]["errors"] == [], data
    return data["defineCustomField"]["definition"]


async def test_custom_field_lifecycle(make_app):
    api = await make_app()
    entities = await api.admin("{ customFieldEntities }")
    assert {"customer", "contact"} <= set(entities["customFieldEntities"])
    await define(api, key="tier", label="Tier", type="CHOICE", choices=["gold", "silver"], required=True)
    await define(api, key="revenue", label="Annual revenue", type="NUMBER")
    await define(api, key="since", label="Customer since", type="DATE")
    await define(api, key="channels", label="Channels", type="MULTI_CHOICE", choices=["web", "shop", "phone"])
    await define(api, key="vip", label="VIP", type="BOOLEAN")

    # Required on create, unknown keys and wrong types refused all at once; nothing written.
    bad = await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Bad", "customFields": {"nope": 1, "revenue": "lots", "since": "31.12.2026"}}})
    assert sorted((e["field"], e["code"]) for e in bad["createCustomer"]["errors"]) == [
        ("customFields.nope", "UNKNOWN_FIELD"), ("customFields.revenue", "INVALID"),
        ("customFields.since", "INVALID"), ("customFields.tier", "REQUIRED"),
    ]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0

    ok = await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Gold Co", "customFields": {
        "tier": "gold", "revenue": "1250000.5", "since": "2020-03-01", "channels": ["shop", "web", "shop"], "vip": True}}})
    c = ok["createCustomer"]["customer"]
    values = {v["key"]: v for v in c["customFields"]}
    assert values["tier"]["choices"] == ["gold"] and values["tier"]["label"] == "Tier"
    assert values["revenue"]["number"] == 1250000.5 and values["since"]["date"] == "2020-03-01"
    assert values["channels"]["choices"] == ["web", "shop"] and values["vip"]["boolean"] is True
    await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Silver Co", "customFields": {"tier": "silver", "revenue": 10, "channels": ["phone"]}}})

    async def names(*filters):
        data = await api.admin(LIST, {"f": {"customFields": list(filters)}})
        return sorted(e["node"]["name"] for e in data["customers"]["edges"])

    assert await names({"key": "tier", "equals": "gold"}) == ["Gold Co"]
    assert await names({"key": "revenue", "min": "100"}) == ["Gold Co"]
    assert await names({"key": "revenue", "max": "100"}) == ["Silver Co"]
    assert await names({"key": "since", "min": "2020-01-01", "max": "2020-12-31"}) == ["Gold Co"]
    assert await names({"key": "channels", "anyOf": ["phone", "fax"]}) == ["Silver Co"]
    assert await names({"key": "vip", "equals": "true"}) == ["Gold Co"]
    assert await names({"key": "since", "isSet": False}) == ["Silver Co"]
    unknown = await api.gql(LIST, {"f": {"customFields": [{"key": "nope", "equals": "x"}]}}, api.admin_token, expect_errors=True)
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    # Update merges; a required field cannot be cleared; null clears an optional one.
    cleared = await api.admin(UPDATE, {"i": {"id": c["id"], "version": c["version"], "customFields": {"tier": None}}})
    assert cleared["updateCustomer"]["errors"][0]["code"] == "REQUIRED"
    changed = await api.admin(UPDATE, {"i": {"id": c["id"], "version": c["version"], "customFields": {"revenue": None, "channels": ["phone"]}}})
    assert {v["key"] for v in changed["updateCustomer"]["customer"]["customFields"]} == {"tier", "since", "channels", "vip"}

    # Archiving hides the field from records and filters, keeps the values in the row.
    defs = await api.admin('{ customFieldDefinitions(entity: "customer") { id key version } }')
    tier = next(d for d in defs["customFieldDefinitions"] if d["key"] == "tier")
    archived = await api.admin(
        "mutation($i: UpdateCustomFieldInput!) { updateCustomField(input: $i) { definition { archived } errors { code } } }",
        {"i": {"id": tier["id"], "version": tier["version"], "archived": True}},
    )
    assert archived["updateCustomField"]["definition"]["archived"] is True
    shown = await api.admin("query($id: ID!) { customer(id: $id) { customFields { key } } }", {"id": c["id"]})
    assert "tier" not in {v["key"] for v in shown["customer"]["customFields"]}
    again = await api.admin(DEFINE, {"i": {"entity": "customer", "key": "tier", "label": "Tier 2", "type": "TEXT"}})
    assert again["defineCustomField"]["errors"][0]["code"] == "DUPLICATE"


async def test_definitions_are_checked_and_admin_only(make_app):
    api = await make_app()
    for fields, field, code in (
        ({"entity": "nothing", "key": "x", "label": "X", "type": "TEXT"}, "entity", "INVALID"),
        ({"entity": "customer", "key": "Bad Key", "label": "X", "type": "TEXT"}, "key", "INVALID"),
        ({"entity": "customer", "key": "c", "label": "C", "type": "CHOICE"}, "choices", "REQUIRED"),
        ({"entity": "customer", "key": "t", "label": "T", "type": "TEXT", "choices": ["a"]}, "choices", "INVALID"),
        ({"entity": "customer", "key": "t", "label": " ", "type": "TEXT"}, "label", "REQUIRED"),
    ):
        data = await api.admin(DEFINE, {"i": fields})
        assert [(e["field"], e["code"]) for e in data["defineCustomField"]["errors"]] == [(field, code)], fields
    _, rep = await api.as_user("sales_rep")
    refused = await api.gql(DEFINE, {"i": {"entity": "customer", "key": "x", "label": "X", "type": "TEXT"}}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    visible = await api.gql("{ customFieldDefinitions { key } }", token=rep)
    assert visible["customFieldDefinitions"] == []


async def test_contacts_carry_their_own_fields(make_app):
    api = await make_app()
    await api.admin(DEFINE, {"i": {"entity": "contact", "key": "role", "label": "Buying role", "type": "CHOICE", "choices": ["decider", "user"]}})
    c = await api.create_customer()
    data = await api.admin(
        "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { customFields { key choices } } errors { field code } } }",
        {"i": {"customerId": c["id"], "name": "Dana", "customFields": {"role": "decider"}}},
    )
    assert data["createContact"]["contact"]["customFields"] == [{"key": "role", "choices": ["decider"]}]
    wrong = await api.admin(
        "mutation($i: CreateContactInput!) { createContact(input: $i) { errors { field code } } }",
        {"i": {"customerId": c["id"], "name": "Eve", "customFields": {"tier": "gold"}}},
    )
    assert wrong["createContact"]["errors"] == [{"field": "customFields.tier", "code": "UNKNOWN_FIELD"}]
