"""Roles, grants and scopes, through the API."""

import asyncio

import httpx

from crm.api.app import build_app
from crm.runtime import Runtime

from crm_example import plugin  # noqa: F401  (the example plugin's module, for its resource)

LIST = "{ customers(first: 50) { totalCount edges { node { id name } } } }"
ALL_MUTATIONS_PROBE = {
    "createCustomer": 'createCustomer(input: {kind: COMPANY, name: "x"}) { errors { code } }',
    "updateCustomer": 'updateCustomer(input: {id: "1", version: 1, name: "y"}) { errors { code } }',
    "deleteCustomer": 'deleteCustomer(input: {id: "1"}) { errors { code } }',
    "createRole": 'createRole(input: {name: "r"}) { errors { code } }',
    "createUser": 'createUser(input: {email: "q@example.com", name: "q", password: "long-enough-1"}) { errors { code } }',
    "logActivity": 'logActivity(input: {customerId: "1", kind: "call", subject: "s"}) { errors { code } }',
}


async def test_sales_rep_sees_exactly_their_own_customers(make_app):
    api = await make_app()
    rep, rep_token = await api.as_user("sales_rep")
    other, other_token = await api.as_user("sales_rep")
    mine = [await api.create_customer(rep_token, name=f"Mine {i}") for i in range(3)]
    theirs = await api.create_customer(other_token, name="Theirs")
    await api.create_customer(name="Admin's")
    data = (await api.gql(LIST, token=rep_token))["customers"]
    assert data["totalCount"] == 3
    assert sorted(e["node"]["id"] for e in data["edges"]) == sorted(c["id"] for c in mine)
    one = await api.gql("query($id: ID!) { customer(id: $id) { name } }", {"id": theirs["id"]}, rep_token)
    assert one["customer"] is None  # outside scope looks like not found
    upd = await api.gql(
        "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { errors { field code } } }",
        {"i": {"id": theirs["id"], "version": 1, "name": "Stolen"}}, rep_token,
    )
    assert upd["updateCustomer"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert (await api.admin(LIST))["customers"]["totalCount"] == 5


async def test_manager_sees_the_team(make_app):
    api = await make_app()
    manager, manager_token = await api.as_user("manager")
    rep, rep_token = await api.as_user("sales_rep")
    outsider, outsider_token = await api.as_user("sales_rep")
    team = await api.admin('mutation { createTeam(input: {name: "North"}) { team { id } errors { code } } }')
    team_id = team["createTeam"]["team"]["id"]
    for member in (manager, rep):
        await api.admin("mutation($i: TeamMemberInput!) { addTeamMember(input: $i) { errors { code } } }", {"i": {"teamId": team_id, "userId": member["id"]}})
    await api.create_customer(rep_token, name="Team deal")
    await api.create_customer(outsider_token, name="Elsewhere")
    names = [e["node"]["name"] for e in (await api.gql(LIST, token=manager_token))["customers"]["edges"]]
    assert names == ["Team deal"]


async def test_viewer_can_mutate_nothing(make_app):
    api = await make_app()
    _, token = await api.as_user("viewer")
    for name, selection in ALL_MUTATIONS_PROBE.items():
        body = await api.gql(f"mutation {{ {selection} }}", token=token, expect_errors=True)
        assert body.get("errors"), f"{name} was allowed for a viewer"
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", name


async def test_every_mutation_refuses_anonymous_callers_but_login(make_app):
    api = await make_app(plugins=["example"])
    mutation = api.runtime.schema.schema_converter.type_map["Mutation"].definition
    from crm.api.access import access_of

    for field in mutation.fields:
        kind = access_of(field.base_resolver.wrapped_func)[0]
        assert kind in ("requires", "authenticated", "public"), field.python_name
        if kind == "public":
            assert field.python_name == "login"


async def test_custom_role_grants_read_and_write_separately(make_app):
    api = await make_app()
    role = await api.admin(
        'mutation { createRole(input: {name: "auditor", grants: [{resource: "customer", action: READ, scope: ALL}]}) { role { id grants { resource action scope } } errors { code } } }'
    )
    role_id = role["createRole"]["role"]["id"]
    user, token = await api.as_user()
    await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }", {"i": {"userId": user["id"], "roleId": role_id}})
    await api.create_customer(name="Visible")
    assert (await api.gql(LIST, token=token))["customers"]["totalCount"] == 1
    body = await api.gql('mutation { createCustomer(input: {kind: PERSON, name: "n"}) { errors { code } } }', token=token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = await api.admin(
        'mutation { updateRole(input: {id: "%s", grants: [{resource: "nope", action: READ, scope: ALL}]}) { errors { field code } } }' % role_id
    )
    assert bad["updateRole"]["errors"] == [{"field": "grants.0.resource", "code": "INVALID"}]


async def test_explain_access_says_which_grant_decides(make_app):
    api = await make_app()
    rep, rep_token = await api.as_user("sales_rep")
    own = await api.create_customer(rep_token, name="Own")
    foreign = await api.create_customer(name="Foreign")
    q = "query($u: ID!, $r: ID) { explainAccess(resource: \"customer\", action: WRITE, userId: $u, recordId: $r) { allowed reason } }"
    yes = (await api.admin(q, {"u": rep["id"], "r": own["id"]}))["explainAccess"]
    no = (await api.admin(q, {"u": rep["id"], "r": foreign["id"]}))["explainAccess"]
    assert yes["allowed"] and "role 'sales_rep' grants write on customer with scope own" in yes["reason"]
    assert not no["allowed"] and "needs scope all" in no["reason"]
    # A rep asks about themselves: the same answers, except that a record they may not read is not found.
    mine = (await api.gql(q, {"u": rep["id"], "r": own["id"]}, rep_token))["explainAccess"]
    assert mine == yes
    hidden = (await api.gql(q, {"u": rep["id"], "r": foreign["id"]}, rep_token))["explainAccess"]
    missing = (await api.gql(q, {"u": rep["id"], "r": "999999"}, rep_token))["explainAccess"]
    assert not hidden["allowed"] and hidden["reason"] == f"no customer record {foreign['id']}" and missing["reason"] == "no customer record 999999"
    assert (await api.gql(q, {"u": rep["id"], "r": None}, rep_token))["explainAccess"]["allowed"]
    # About someone else they need read on roles.
    admin_id = (await api.admin("{ me { id } }"))["me"]["id"]
    others = await api.gql(q, {"u": admin_id, "r": None}, rep_token, expect_errors=True)
    assert others["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_role_change_reaches_another_worker_within_a_second(make_app):
    api = await make_app()
    user, token = await api.as_user("sales_rep")
    await api.create_customer(name="Not theirs")
    # A second worker: its own runtime (policy cache, schema) on the same database.
    other = await Runtime.start(api.runtime.settings, installed=api.runtime.installed, db=api.runtime.db)
    worker2 = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(other)), base_url="http://w2")
    ask = lambda: worker2.post("/graphql", json={"query": "{ customers { totalCount } }"}, headers={"Authorization": f"Bearer {token}"})  # noqa: E731
    assert (await ask()).json()["data"]["customers"]["totalCount"] == 0
    roles = {r["name"]: r["id"] for r in (await api.admin("{ roles { id name } }"))["roles"]}
    await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }", {"i": {"userId": user["id"], "roleId": roles["viewer"]}})
    await asyncio.sleep(api.runtime.settings.policy_check_seconds + 0.05)
    assert (await ask()).json()["data"]["customers"]["totalCount"] == 1


async def test_list_asks_for_permissions_once_not_per_row(make_app, monkeypatch):
    api = await make_app()
    _, token = await api.as_user("viewer")
    for i in range(12):
        await api.create_customer(name=f"C{i}")
    calls = {"enforce": 0}
    enforcer = api.runtime.policy.enforcer
    real = enforcer.enforce

    def counting(*args):
        calls["enforce"] += 1
        return real(*args)

    monkeypatch.setattr(enforcer, "enforce", counting)
    await api.gql("{ customers(first: 12) { edges { node { name owner { email } contacts { name } } } } }", token=token)
    assert calls["enforce"] == 0  # decisions come from the per-process grants table
