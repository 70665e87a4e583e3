"""Approvals of any depth, the core's mechanism, driven through GraphQL with its first users' records (sales' quotes:
a large discount needs approval before the quote is sent)."""

import asyncio

import httpx

CHAIN = """mutation($i: ApprovalChainInput!) { createApprovalChain(input: $i) {
  chain { id name steps { position name approver mode minValue } } errors { field code message } } }"""
QUOTE = """mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id version total } errors { field code message } } }"""
SUBMIT = """mutation($i: SubmitForApprovalInput!) { submitForApproval(input: $i) {
  request { id status step approvers { position userId } } errors { field code message } } }"""
DECIDE = """mutation($i: ApprovalDecisionInput!) {{ {name}(input: $i) {{ request {{ id status step }} errors {{ field code message }} }} }}"""
SEND = """mutation($i: DocumentStepInput!) { sendQuote(input: $i) { quote { status } errors { field code message } } }"""
PENDING = "{ myPendingApprovals { totalCount edges { node { id title status step } } } }"


async def people(api):
    """A rep in a team whose manager approves first; two finance users (a role) both approve next; the CEO above 10,000."""
    rep, rep_token = await api.as_user("sales_rep")
    manager, manager_token = await api.as_user("manager")
    team = await api.admin("mutation($i: CreateTeamInput!) { createTeam(input: $i) { team { id } errors { code } } }",
                           {"i": {"name": "North", "managerId": manager["id"]}})
    await api.admin("mutation($i: TeamMemberInput!) { addTeamMember(input: $i) { errors { code } } }",
                    {"i": {"teamId": team["createTeam"]["team"]["id"], "userId": rep["id"]}})
    finance = await api.admin('mutation { createRole(input: {name: "finance", grants: []}) { role { id } errors { code } } }')
    role_id = finance["createRole"]["role"]["id"]
    tokens = {"rep": rep_token, "manager": manager_token}
    users = {"rep": rep, "manager": manager}
    for name in ("finance1", "finance2", "ceo", "stranger"):
        user, token = await api.as_user()
        users[name], tokens[name] = user, token
        if name.startswith("finance"):
            await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }",
                            {"i": {"userId": user["id"], "roleId": role_id}})
    chain = await api.admin(CHAIN, {"i": {"resource": "quote", "name": "Discounts", "conditions": [{"field": "discount", "min": "15"}],
                                          "steps": [{"name": "Sales manager", "approver": "MANAGER"},
                                                    {"name": "Finance", "approver": "ROLE", "roleId": role_id, "mode": "ALL"},
                                                    {"name": "CEO", "approver": "USER", "userId": users["ceo"]["id"], "minValue": "10000"}]}})
    assert chain["createApprovalChain"]["errors"] == [], chain
    return users, tokens


async def quote(api, token, customer_id, price, discount):
    data = await api.gql(QUOTE, {"i": {"customerId": customer_id, "lines": [{"description": "Service", "unitPrice": price,
                                                                             "discountPercent": discount}]}}, token)
    assert data["createQuote"]["errors"] == [], data
    return data["createQuote"]["quote"]


async def act(api, name, token, request_id, comment=None):
    return (await api.gql(DECIDE.format(name=name), {"i": {"requestId": request_id, "comment": comment}}, token))[name]


async def test_a_three_step_chain_with_a_threshold_a_rejection_and_a_resubmission(make_app):
    api = await make_app(plugins=["sales"])
    users, tokens = await people(api)
    customer = (await api.create_customer(token=tokens["rep"], name="Buyer"))["id"]

    cheap = await quote(api, tokens["rep"], customer, "100", "5")  # below the chain's discount: no approval needed
    assert (await api.gql(SEND, {"i": {"id": cheap["id"], "version": cheap["version"]}}, tokens["rep"]))["sendQuote"]["errors"] == []

    small = await quote(api, tokens["rep"], customer, "5000", "20")  # 4,000: manager and finance, not the CEO
    refused = (await api.gql(SEND, {"i": {"id": small["id"], "version": small["version"]}}, tokens["rep"]))["sendQuote"]
    assert refused["errors"][0]["code"] == "APPROVAL_REQUIRED"
    submitted = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": small["id"]}}, tokens["rep"]))["submitForApproval"]
    request = submitted["request"]
    assert submitted["errors"] == [] and request["status"] == "PENDING" and request["step"] == 1
    assert sorted({a["position"] for a in request["approvers"]}) == [1, 2]
    twice = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": small["id"]}}, tokens["rep"]))["submitForApproval"]
    assert twice["errors"][0]["code"] == "CONFLICT"

    assert (await act(api, "approve", tokens["stranger"], request["id"]))["errors"][0]["code"] == "FORBIDDEN"
    early = await act(api, "approve", tokens["finance1"], request["id"])
    assert early["errors"][0]["code"] == "FORBIDDEN" and "earlier step" in early["errors"][0]["message"]
    assert (await api.gql(PENDING, token=tokens["manager"]))["myPendingApprovals"]["totalCount"] == 1
    assert (await api.gql(PENDING, token=tokens["finance1"]))["myPendingApprovals"]["totalCount"] == 0
    of_kind = "query($t: String) { myPendingApprovals(recordType: $t) { totalCount } }"  # a module's page asks for its records
    assert [(await api.gql(of_kind, {"t": t}, tokens["manager"]))["myPendingApprovals"]["totalCount"] for t in ("quote", "contract")] == [1, 0]
    assert (await act(api, "approve", tokens["manager"], request["id"], "fine"))["request"]["step"] == 2
    assert (await api.gql(PENDING, token=tokens["finance2"]))["myPendingApprovals"]["edges"][0]["node"]["title"].startswith("Quote Q-")
    assert (await act(api, "approve", tokens["finance1"], request["id"]))["request"] == {"id": request["id"], "status": "PENDING", "step": 2}
    assert (await act(api, "approve", tokens["finance2"], request["id"]))["request"]["status"] == "APPROVED"  # ALL of finance
    current = (await api.gql("query($i: ID!) { quote(id: $i) { version } }", {"i": small["id"]}, tokens["rep"]))["quote"]
    sent = (await api.gql(SEND, {"i": {"id": small["id"], "version": current["version"]}}, tokens["rep"]))["sendQuote"]
    assert sent["errors"] == [] and sent["quote"]["status"] == "SENT"

    big = await quote(api, tokens["rep"], customer, "20000", "20")  # 16,000: the CEO's step applies too
    request = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": big["id"]}}, tokens["rep"]))["submitForApproval"]["request"]
    assert sorted({a["position"] for a in request["approvers"]}) == [1, 2, 3]
    no_reason = await act(api, "reject", tokens["manager"], request["id"])
    assert no_reason["errors"] == [{"field": "comment", "code": "REQUIRED", "message": "say why: the owner reads it to change the record"}]
    rejected = await act(api, "reject", tokens["manager"], request["id"], "15 % at most for this customer")
    assert rejected["request"]["status"] == "REJECTED"
    history = await api.gql("""query($i: ID!) { approvalRequests(recordType: "quote", recordId: $i) { status
      history { action stepName comment actor { id } } } }""", {"i": big["id"]}, tokens["rep"])
    assert history["approvalRequests"][0]["history"] == [
        {"action": "SUBMITTED", "stepName": None, "comment": None, "actor": {"id": users["rep"]["id"]}},
        {"action": "REJECTED", "stepName": "Sales manager", "comment": "15 % at most for this customer", "actor": {"id": users["manager"]["id"]}}]
    again = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": big["id"]}}, tokens["rep"]))["submitForApproval"]
    assert again["errors"] == [] and again["request"]["status"] == "PENDING"
    taken = await act(api, "withdrawApproval", tokens["rep"], again["request"]["id"], "changing the discount")
    assert taken["request"]["status"] == "WITHDRAWN"
    assert (await act(api, "approve", tokens["manager"], again["request"]["id"]))["errors"][0]["code"] == "CONFLICT"
    seen = await api.gql("query($t: String!, $i: ID!) { approvalRequests(recordType: $t, recordId: $i) { status } }",
                         {"t": "quote", "i": big["id"]}, tokens["stranger"])
    assert seen["approvalRequests"] == []  # not theirs to read


async def test_two_approvers_at_the_same_moment_one_decision_counts(make_app, live_server):
    api = await make_app(plugins=["sales"])
    users, tokens = await people(api)
    role = await api.admin('{ roles { id name } }')
    finance = next(r["id"] for r in role["roles"] if r["name"] == "finance")
    await api.admin(CHAIN, {"i": {"resource": "quote", "name": "Any finance", "position": -1,
                                  "steps": [{"name": "Finance", "approver": "ROLE", "roleId": finance, "mode": "ANY"}]}})
    customer = (await api.create_customer(token=tokens["rep"], name="Race"))["id"]
    base = await live_server(api, workers=2)
    outcomes = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for n in range(4):
            q = await quote(api, tokens["rep"], customer, "100", "1")
            request = (await api.gql(SUBMIT, {"i": {"recordType": "quote", "recordId": q["id"]}}, tokens["rep"]))["submitForApproval"]["request"]

            async def approve(who, request_id=request["id"]):
                body = (await client.post("/graphql", json={"query": DECIDE.format(name="approve"), "variables": {"i": {"requestId": request_id}}},
                                          headers={"Authorization": f"Bearer {tokens[who]}"})).json()
                return [e["code"] for e in body["data"]["approve"]["errors"]]

            outcomes.append(sorted(map(tuple, await asyncio.gather(approve("finance1"), approve("finance2")))))
            history = await api.gql("query($i: ID!) { approvalRequest(id: $i) { status history { action } } }", {"i": request["id"]}, tokens["rep"])
            assert history["approvalRequest"]["status"] == "APPROVED"
            assert [h["action"] for h in history["approvalRequest"]["history"]] == ["SUBMITTED", "APPROVED"]
    assert outcomes == [[(), ("CONFLICT",)]] * 4
