"""Contracts through GraphQL: numbers, drafts, approval through the core's chains (with a rejection and a revision),
signing, termination, expiry, scope."""

from datetime import date, timedelta

from crm.plugins.contracts.jobs import expire

FIELDS = "id number title status revision value currency version signedOn startDate endDate terminationReason"
CREATE = f"mutation($i: CreateContractInput!) {{ createContract(input: $i) {{ contract {{ {FIELDS} signatories {{ name }} }} errors {{ field code message }} }} }}"
UPDATE = f"mutation($i: UpdateContractInput!) {{ updateContract(input: $i) {{ contract {{ {FIELDS} }} errors {{ field code message }} }} }}"
SIGN = f"mutation($i: SignContractInput!) {{ signContract(input: $i) {{ contract {{ {FIELDS} }} errors {{ field code message }} }} }}"
TERMINATE = f"mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{ contract {{ {FIELDS} }} errors {{ field code message }} }} }}"
SUBMIT = """mutation($i: SubmitForApprovalInput!) { submitForApproval(input: $i) { request { id status } errors { field code message } } }"""
DECIDE = """mutation($i: ApprovalDecisionInput!) {{ {name}(input: $i) {{ request {{ status }} errors {{ field code message }} }} }}"""
READ = f"query($i: ID!) {{ contract(id: $i) {{ {FIELDS} history {{ kind revision detail }} }} }}"


async def draft(api, token, customer_id, **fields):
    data = await api.gql(CREATE, {"i": {"customerId": customer_id, "title": "Support 2027", "value": "12000", "currency": "EUR", **fields}}, token)
    assert data["createContract"]["errors"] == [], data
    return data["createContract"]["contract"]


async def test_numbers_drafts_and_bad_input(make_app):
    api = await make_app(plugins=["contracts"])
    _, rep = await api.as_user("sales_rep")
    customer = await api.create_customer(token=rep, name="Client")
    contact = await api.gql("""mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } errors { code } } }""",
                            {"i": {"customerId": customer["id"], "name": "Signe Signer"}}, rep)
    first = await draft(api, rep, customer["id"], signatoryIds=[contact["createContact"]["contact"]["id"]],
                        startDate="2027-01-01", endDate="2027-12-31")
    second = await draft(api, rep, customer["id"])
    year = date.today().year
    assert (first["number"], second["number"]) == (f"C-{year}-00001", f"C-{year}-00002")
    assert first["status"] == "DRAFT" and first["signatories"] == [{"name": "Signe Signer"}]
    for fields, expected in (({"value": "-1"}, ("value", "INVALID")), ({"currency": "XXY"}, ("currency", "INVALID")),
                             ({"startDate": "2027-02-01", "endDate": "2027-01-01"}, ("endDate", "INVALID")),
                             ({"title": " "}, ("title", "REQUIRED")), ({"signatoryIds": ["999"]}, ("signatoryIds.0", "NOT_FOUND"))):
        bad = await api.gql(CREATE, {"i": {"customerId": customer["id"], "title": "X", **fields}}, rep)
        assert [(e["field"], e["code"]) for e in bad["createContract"]["errors"]] == [expected], fields
    other = await api.create_customer(name="Not the rep's")
    hidden = await api.gql(CREATE, {"i": {"customerId": other["id"], "title": "X"}}, rep)
    assert hidden["createContract"]["errors"][0]["code"] == "NOT_FOUND"
    listed = await api.gql("{ contracts { totalCount } }", token=rep)
    assert listed["contracts"]["totalCount"] == 2
    on_customer = await api.gql("query($i: ID!) { customer(id: $i) { contracts { edges { node { number } } } } }", {"i": customer["id"]}, rep)
    assert [e["node"]["number"] for e in on_customer["customer"]["contracts"]["edges"]] == [second["number"], first["number"]]


async def test_approval_rejection_revision_signing_and_termination(make_app):
    api = await make_app(plugins=["contracts"])
    rep_user, rep = await api.as_user("sales_rep")
    legal_user, legal = await api.as_user()
    chain = await api.admin("""mutation($i: ApprovalChainInput!) { createApprovalChain(input: $i) { errors { field code message } } }""",
                            {"i": {"resource": "contract", "name": "Legal", "steps": [{"name": "Legal", "approver": "USER", "userId": legal_user["id"]}]}})
    assert chain["createApprovalChain"]["errors"] == []
    customer = await api.create_customer(token=rep, name="Client")
    contract = await draft(api, rep, customer["id"])
    unsigned = await api.gql(SIGN, {"i": {"id": contract["id"], "version": contract["version"]}}, rep)
    assert unsigned["signContract"]["errors"][0]["code"] == "APPROVAL_REQUIRED"

    submitted = await api.gql(SUBMIT, {"i": {"recordType": "contract", "recordId": contract["id"]}}, rep)
    request = submitted["submitForApproval"]["request"]
    assert request["status"] == "PENDING"
    waiting = (await api.gql(READ, {"i": contract["id"]}, rep))["contract"]
    assert waiting["status"] == "PENDING_APPROVAL"
    locked = await api.gql(UPDATE, {"i": {"id": contract["id"], "version": waiting["version"], "value": "1"}}, rep)
    assert locked["updateContract"]["errors"][0]["code"] == "INVALID"  # withdraw first
    rejected = await api.gql(DECIDE.format(name="reject"), {"i": {"requestId": request["id"], "comment": "liability cap missing"}}, legal)
    assert rejected["reject"]["request"]["status"] == "REJECTED"
    back = (await api.gql(READ, {"i": contract["id"]}, rep))["contract"]
    assert back["status"] == "REJECTED"
    fixed = await api.gql(UPDATE, {"i": {"id": contract["id"], "version": back["version"], "terms": "Liability capped at 1x fees."}}, rep)
    assert fixed["updateContract"]["errors"] == [] and fixed["updateContract"]["contract"]["revision"] == 1
    request = (await api.gql(SUBMIT, {"i": {"recordType": "contract", "recordId": contract["id"]}}, rep))["submitForApproval"]["request"]
    assert (await api.gql(DECIDE.format(name="approve"), {"i": {"requestId": request["id"]}}, legal))["approve"]["request"]["status"] == "APPROVED"
    approved = (await api.gql(READ, {"i": contract["id"]}, rep))["contract"]
    assert approved["status"] == "APPROVED"

    # A change to the approved contract is its next revision, which needs approval again.
    revised = (await api.gql(UPDATE, {"i": {"id": contract["id"], "version": approved["version"], "value": "15000"}}, rep))["updateContract"]["contract"]
    assert (revised["status"], revised["revision"]) == ("DRAFT", 2)
    assert (await api.gql(SIGN, {"i": {"id": contract["id"], "version": revised["version"]}}, rep))["signContract"]["errors"][0]["code"] == "APPROVAL_REQUIRED"
    request = (await api.gql(SUBMIT, {"i": {"recordType": "contract", "recordId": contract["id"]}}, rep))["submitForApproval"]["request"]
    await api.gql(DECIDE.format(name="approve"), {"i": {"requestId": request["id"]}}, legal)
    current = (await api.gql(READ, {"i": contract["id"]}, rep))["contract"]
    future = (date.today() + timedelta(days=3)).isoformat()
    assert (await api.gql(SIGN, {"i": {"id": contract["id"], "version": current["version"], "signedOn": future}}, rep))["signContract"]["errors"][0]["field"] == "signedOn"
    signed = (await api.gql(SIGN, {"i": {"id": contract["id"], "version": current["version"]}}, rep))["signContract"]
    assert signed["errors"] == [] and signed["contract"]["status"] == "ACTIVE" and signed["contract"]["signedOn"] == date.today().isoformat()
    frozen = await api.gql(UPDATE, {"i": {"id": contract["id"], "version": signed["contract"]["version"], "value": "1"}}, rep)
    assert frozen["updateContract"]["errors"][0]["code"] == "INVALID"
    no_reason = await api.gql(TERMINATE, {"i": {"id": contract["id"], "version": signed["contract"]["version"], "reason": ""}}, rep)
    assert no_reason["terminateContract"]["errors"][0]["code"] == "REQUIRED"
    ended = (await api.gql(TERMINATE, {"i": {"id": contract["id"], "version": signed["contract"]["version"], "reason": "customer went bust"}}, rep))
    assert ended["terminateContract"]["contract"]["status"] == "TERMINATED"
    life = (await api.gql(READ, {"i": contract["id"]}, rep))["contract"]["history"]
    assert [(h["kind"], h["revision"]) for h in life] == [
        ("CREATED", 1), ("SUBMITTED", 1), ("REJECTED", 1), ("SUBMITTED", 1), ("APPROVED", 1), ("REVISED", 2), ("SUBMITTED", 2),
        ("APPROVED", 2), ("SIGNED", 2), ("TERMINATED", 2)]
    assert life[-1]["detail"] == "customer went bust"
    pending = await api.gql("{ myPendingApprovals { totalCount } }", token=legal)
    assert pending["myPendingApprovals"]["totalCount"] == 0


async def test_without_a_chain_contracts_are_signed_directly_and_expire_once(make_app):
    api = await make_app(plugins=["contracts"])
    customer = await api.create_customer(name="Client")
    contract = await draft(api, api.admin_token, customer["id"], startDate="2025-01-01", endDate="2025-12-31")
    signed = (await api.admin(SIGN, {"i": {"id": contract["id"], "version": contract["version"], "signedOn": "2024-12-20"}}))["signContract"]
    assert signed["errors"] == [] and signed["contract"]["status"] == "ACTIVE"
    other = await draft(api, api.admin_token, customer["id"], endDate=(date.today() + timedelta(days=30)).isoformat())
    await api.admin(SIGN, {"i": {"id": other["id"], "version": other["version"]}})
    assert await expire(api.runtime) == 1
    assert await expire(api.runtime) == 0  # acts once
    expired = (await api.admin(READ, {"i": contract["id"]}))["contract"]
    assert expired["status"] == "EXPIRED" and expired["history"][-1] == {"kind": "EXPIRED", "revision": 1, "detail": "its end date passed"}
    assert (await api.admin(READ, {"i": other["id"]}))["contract"]["status"] == "ACTIVE"
    audit = await api.admin("""query($r: ID) { auditLog(filter: {resource: "contract", recordId: $r}) { edges { node { action changes { field old new } } } } }""",
                            {"r": contract["id"]})
    assert {"field": "status", "old": "active", "new": "expired"} in audit["auditLog"]["edges"][0]["node"]["changes"]


async def test_renewal_notices_once_and_auto_renewal_rolls_over(make_app):
    import asyncio

    from crm.plugins.contracts.renewals import give_notices, roll_over

    api = await make_app(plugins=["contracts"])
    customer = await api.create_customer(name="Client")
    soon = (date.today() + timedelta(days=20)).isoformat()
    ending = await draft(api, api.admin_token, customer["id"], startDate="2026-01-01", endDate=soon, noticeDays=30)
    later = await draft(api, api.admin_token, customer["id"], endDate=(date.today() + timedelta(days=200)).isoformat(), noticeDays=30)
    rolling = await draft(api, api.admin_token, customer["id"], startDate=(date.today() - timedelta(days=365)).isoformat(),
                          endDate=(date.today() - timedelta(days=1)).isoformat(), autoRenew=True)
    for c in (ending, later, rolling):
        assert (await api.admin(SIGN, {"i": {"id": c["id"], "version": c["version"], "signedOn": "2026-01-01"}}))["signContract"]["errors"] == []
    up = await api.admin("{ contractsUpForRenewal(withinDays: 60) { edges { node { number endDate } } } }")
    assert [e["node"]["number"] for e in up["contractsUpForRenewal"]["edges"]] == [ending["number"]]
    assert await roll_over(api.runtime) == 1 and await roll_over(api.runtime) == 0
    rolled = (await api.admin(READ, {"i": rolling["id"]}))["contract"]
    assert rolled["status"] == "ACTIVE" and rolled["revision"] == 2
    assert rolled["startDate"] == date.today().isoformat() and rolled["history"][-1]["kind"] == "RENEWED"
    assert await expire(api.runtime) == 0  # an auto-renewing contract rolls over, it does not expire
    notices = await asyncio.gather(give_notices(api.runtime), give_notices(api.runtime))
    assert sorted(notices) == [0, 1] and await give_notices(api.runtime) == 0
    tasks = await api.admin("{ myTasks { edges { node { subject recordId } } } }")
    assert [(e["node"]["subject"], e["node"]["recordId"]) for e in tasks["myTasks"]["edges"]] == [
        (f"Renewal: {ending['number']} ends on {soon}", ending["id"])]
