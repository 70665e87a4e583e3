"""Shared GraphQL operations for the leads tests."""

LEAD_FIELDS = "id name companyName status score ownerId poolId emails phones source version claimedAt"
CREATE_LEAD = f"mutation($i: CreateLeadInput!) {{ createLead(input: $i) {{ lead {{ {LEAD_FIELDS} }} errors {{ field code message }} }} }}"
CREATE_POOL = "mutation($i: LeadPoolInput!) { createLeadPool(input: $i) { pool { id name version } errors { field code message } } }"
CLAIM = f"mutation($i: ClaimLeadInput!) {{ claimLead(input: $i) {{ lead {{ {LEAD_FIELDS} }} errors {{ field code message }} }} }}"
RELEASE = f"mutation($i: ReleaseLeadInput!) {{ releaseLead(input: $i) {{ lead {{ {LEAD_FIELDS} }} errors {{ field code message }} }} }}"
ASSIGN = f"mutation($i: AssignLeadInput!) {{ assignLead(input: $i) {{ lead {{ {LEAD_FIELDS} }} errors {{ field code message }} }} }}"
CREATE_RULE = """mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) {
  rule { id name strategy userIds conditions { field values } } errors { field code message } } }"""


async def lead(api, token=None, **fields) -> dict:
    fields.setdefault("name", "Ada Lead")
    data = await api.gql(CREATE_LEAD, {"i": fields}, token or api.admin_token)
    assert data["createLead"]["errors"] == [], data
    return data["createLead"]["lead"]


async def pool(api, **fields) -> str:
    fields.setdefault("name", "Pool")
    data = await api.admin(CREATE_POOL, {"i": fields})
    assert data["createLeadPool"]["errors"] == [], data
    return data["createLeadPool"]["pool"]["id"]
