"""The customer list a manager works from: tags added and taken off without replacing the list, customers of an RFM
segment or at risk of churning, and the list ordered by last contact, page after page."""

from datetime import UTC, datetime, timedelta

LIST = """query($f: CustomerFilter, $o: CustomerOrder, $after: String) { customers(filter: $f, orderBy: $o, first: 2, after: $after) {
  totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }"""
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { version tags } errors { field code } } }"""
SEGMENTS = "{ customerSegments { segments { segment customers } } }"


async def log(api, customer_id, days_ago: float, token=None, kind="call"):
    at = datetime.now(UTC) - timedelta(days=days_ago)
    data = await api.gql("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code message } } }",
                         {"i": {"customerId": customer_id, "kind": kind, "subject": kind, "occurredAt": at.isoformat()}},
                         token or api.admin_token)
    assert data["logActivity"]["errors"] == [], data


async def names(api, variables, token=None) -> list[str]:
    """Every page of the list, following the cursors."""
    out, after = [], None
    while True:
        page = (await api.gql(LIST, {**variables, "after": after}, token or api.admin_token))["customers"]
        out += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


async def test_tags_are_added_and_taken_off_without_replacing_the_list(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Acme", tags=["vip", "north"])
    added = (await api.admin(UPDATE, {"i": {"id": customer["id"], "version": 1, "addTags": ["Lost-Q3", "vip"], "removeTags": ["north"]}}))
    assert added["updateCustomer"] == {"customer": {"version": 2, "tags": ["lost-q3", "vip"]}, "errors": []}
    both = await api.admin(UPDATE, {"i": {"id": customer["id"], "version": 2, "tags": ["a"], "addTags": ["b"]}})
    assert both["updateCustomer"]["errors"] == [{"field": "tags", "code": "INVALID"}]
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "customer", recordId: $id, action: "update"}) {
      edges { node { changes { field old new } } } } }""", {"id": customer["id"]})
    assert audit["auditLog"]["edges"][0]["node"]["changes"] == [{"field": "tags", "old": ["north", "vip"], "new": ["lost-q3", "vip"]}]


async def test_ordered_by_last_contact_page_after_page(make_app):
    api = await make_app()
    made = {}
    for name, days in (("Called today", [0.1]), ("Called last week", [7, 30]), ("Called last month", [30]), ("Never called", []),
                       ("Emailed yesterday", [1])):
        made[name] = (await api.create_customer(name=name))["id"]
        for d in days:
            await log(api, made[name], d)
    await log(api, made["Never called"], 1, kind="note")  # a note is no contact
    newest_first = await names(api, {"o": {"field": "LAST_CONTACT", "direction": "DESC"}})
    assert newest_first == ["Called today", "Emailed yesterday", "Called last week", "Called last month", "Never called"]
    oldest_first = await names(api, {"o": {"field": "LAST_CONTACT"}})
    assert oldest_first == list(reversed(newest_first))
    # A rep orders by the contacts they may see: the admin's calls on the rep's customer are not theirs to see.
    rep, token = await api.as_user("sales_rep")
    mine = await api.create_customer(token, name="Rep's quiet one")
    seen = await api.create_customer(token, name="Rep's called one")
    await log(api, seen["id"], 3, token)
    assert await names(api, {"o": {"field": "LAST_CONTACT", "direction": "DESC"}}, token) == ["Rep's called one", "Rep's quiet one"]
    assert mine and rep


async def test_customers_of_a_segment_and_at_risk(make_app):
    api = await make_app()
    for name, days in (("A recent and frequent", [1] * 8), ("B new", [2]), ("C used to be frequent", [300] * 8),
                       ("D rare and old", [340]), ("E middling", [100] * 3), ("F silent", []), ("G gone quiet", [200] * 6)):
        customer = await api.create_customer(name=name)
        for d in days:
            await log(api, customer["id"], d)
    counts = {s["segment"]: s["customers"] for s in (await api.admin(SEGMENTS))["customerSegments"]["segments"]}
    for segment, count in counts.items():  # the list and the report agree, segment by segment
        listed = await names(api, {"f": {"rfmSegment": segment}})
        assert len(listed) == count, segment
    assert await names(api, {"f": {"rfmSegment": "champions"}}) == ["A recent and frequent"]
    assert await names(api, {"f": {"rfmSegment": "inactive"}}) == ["F silent"]
    assert await names(api, {"f": {"rfmSegment": "at_risk"}}) == ["C used to be frequent"]
    # churnRisk's defaults: events in the last 90 days well below the rate of the 270 before.
    assert await names(api, {"f": {"churnRisk": True}}) == ["C used to be frequent", "E middling", "G gone quiet"]
    assert await names(api, {"f": {"churnRisk": False}}) == ["A recent and frequent", "B new", "D rare and old", "F silent"]
    bad = await api.gql(LIST, {"f": {"rfmSegment": "gold"}}, api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.rfmSegment"}
