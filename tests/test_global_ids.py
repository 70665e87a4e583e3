"""Global ids and Relay's Node: every record id the API gives out names its type, references agree with the ids of
the records they name, `node`/`nodes` fetch any refetchable record again under the record's own permission rules,
and the plain numbers of earlier releases are still accepted."""

import base64

from crm.api.global_ids import from_global, global_id

CUSTOMER = "query($id: ID!) { customer(id: $id) { id name } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Customer { name } ... on User { email } } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


def decoded(value: str) -> str:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()


async def test_every_id_in_the_schema_is_global(make_app):
    api = await make_app(plugins=["sales", "leads", "inventory", "contracts", "contracts_sales", "service"])
    assert api.runtime.schema.uncovered_ids == []
    customer = await api.create_customer(name="Acme")
    assert decoded(customer["id"]).startswith("Customer:")
    assert from_global(customer["id"]) == ("Customer", decoded(customer["id"]).split(":")[1])
    assert from_global("42") is None and from_global("not base64!") is None and from_global(global_id("lower", 1)) is None


async def test_plain_numbers_are_still_accepted(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Acme")
    plain = from_global(customer["id"])[1]
    assert (await api.admin(CUSTOMER, {"id": plain}))["customer"] == {"id": customer["id"], "name": "Acme"}
    update = await api.admin("mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { id name } errors { code } } }",
                             {"i": {"id": plain, "version": 1, "name": "Acme Ltd"}})
    assert update["updateCustomer"] == {"customer": {"id": customer["id"], "name": "Acme Ltd"}, "errors": []}
    audit = await api.admin("query($r: ID) { auditLog(filter: {resource: \"customer\", recordId: $r}) { totalCount edges { node { recordId } } } }",
                            {"r": customer["id"]})
    assert audit["auditLog"]["totalCount"] == 2
    assert {e["node"]["recordId"] for e in audit["auditLog"]["edges"]} == {customer["id"]}


async def test_node_fetches_any_record_in_the_callers_scope(make_app):
    api = await make_app()
    rep, token = await api.as_user("sales_rep")
    mine = await api.create_customer(token, name="Mine")
    theirs = await api.create_customer(name="Theirs")
    assert (await api.gql(NODE, {"id": mine["id"]}, token))["node"] == {"__typename": "Customer", "id": mine["id"], "name": "Mine"}
    assert (await api.gql(NODE, {"id": theirs["id"]}, token))["node"] is None  # outside the rep's scope: as if missing
    me = (await api.gql(NODE, {"id": rep["id"]}, api.admin_token))["node"]
    assert me == {"__typename": "User", "id": rep["id"], "email": rep["email"]}
    for nothing in (from_global(mine["id"])[1], global_id("Customer", 999999), global_id("Nope", 1), "garbage"):
        assert (await api.gql(NODE, {"id": nothing}, token))["node"] is None, nothing
    # A type the caller may not read at all answers null too, not an error that would tell it exists.
    role = await api.admin('mutation { createRole(input: {name: "only customers", grants: [{resource: "customer", action: READ, scope: ALL}]}) { role { id } } }')
    narrow, narrow_token = await api.as_user()
    await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }",
                    {"i": {"userId": narrow["id"], "roleId": role["createRole"]["role"]["id"]}})
    assert (await api.gql(NODES, {"ids": [rep["id"], theirs["id"]]}, narrow_token))["nodes"] == [
        None, {"__typename": "Customer", "id": theirs["id"]}]


async def test_nodes_of_one_type_are_read_together(make_app):
    api = await make_app()
    ids = [(await api.create_customer(name=f"C{i}"))["id"] for i in range(12)]

    async def statements(wanted):
        """The fewest statements of three runs: a worker checks its permission and plugin counters now and then."""
        counts = []
        for _ in range(3):
            before = api.counter.count
            data = await api.admin(NODES, {"ids": wanted})
            assert [n["id"] for n in data["nodes"]] == wanted
            counts.append(api.counter.count - before)
        return min(counts)

    assert await statements(ids) == await statements(ids[:1])
    body = await api.gql(NODES, {"ids": ids * 9}, api.admin_token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_references_carry_the_ids_of_the_records_they_name(make_app, sales):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer(name="Acme")
    data = await api.admin("""mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) {
      opportunity { id customer { id } owner { id } } errors { code } } }""",
                           {"i": {"customerId": customer["id"], "name": "Deal", "amount": "100.00"}})
    deal = data["createOpportunity"]["opportunity"]
    assert decoded(deal["id"]).startswith("Opportunity:") and deal["customer"]["id"] == customer["id"]
    fetched = await api.admin("query($id: ID!) { node(id: $id) { ... on Opportunity { id name } } }", {"id": deal["id"]})
    assert fetched["node"] == {"id": deal["id"], "name": "Deal"}
    await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                    {"i": {"customerId": customer["id"], "kind": "call", "subject": "About the deal", "recordType": "opportunity",
                           "recordId": deal["id"]}})
    calls = await api.admin("""query($id: ID!) { activities(filter: {customerId: $id}) { edges { node { recordType recordId } } } }""",
                            {"id": customer["id"]})
    assert calls["activities"]["edges"] == [{"node": {"recordType": "opportunity", "recordId": deal["id"]}}]
    timeline = await api.admin("""query($id: ID!) { customer(id: $id) { timeline(kinds: ["call"]) { edges { node { recordType recordId } } } } }""",
                               {"id": customer["id"]})
    entry = timeline["customer"]["timeline"]["edges"][0]["node"]
    assert entry["recordType"] == "activity" and from_global(entry["recordId"])[0] == "Activity"
    product = await sales(api).product("SKU-1")
    order = await sales(api).order(customer["id"], [{"productId": product, "quantity": "1"}])
    lines = await api.admin("query($id: ID!) { order(id: $id) { lines { productId } } }", {"id": order["id"]})
    assert lines["order"]["lines"] == [{"productId": product}]
