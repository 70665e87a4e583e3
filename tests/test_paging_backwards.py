"""`last`/`before` on every connection (Relay): reading a list from its end, page by page, gives what reading it from
the start gives, in the same order, for plain lists, lists sorted by a computed value, and lists under each object
of a list (read together). `first` with `last`, or a cursor we never gave out, is refused with a code."""

from datetime import UTC, datetime, timedelta

NAMES = ["Ada", "Bea", "Cy", "Dot", "Eve", "Fay", "Gus"]
PAGE = """query($o: CustomerOrder, $first: Int, $after: String, $last: Int, $before: String) {
  customers(orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def backwards(api, order, size=3) -> list[list[str]]:
    """Every page from the end of the list to its start, each in the list's order."""
    pages, before = [], None
    while True:
        page = (await api.admin(PAGE, {"o": order, "last": size, "before": before}))["customers"]
        pages.append([e["node"]["name"] for e in page["edges"]])
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        if not page["pageInfo"]["hasPreviousPage"]:
            return pages
        before = page["pageInfo"]["startCursor"]


async def test_a_list_read_from_its_end_is_the_list(make_app):
    api = await make_app()
    for name in reversed(NAMES):
        await api.create_customer(name=name)
    by_name = {"field": "NAME"}
    assert await backwards(api, by_name) == [["Eve", "Fay", "Gus"], ["Bea", "Cy", "Dot"], ["Ada"]]
    assert await backwards(api, {"field": "NAME", "direction": "DESC"}) == [["Cy", "Bea", "Ada"], ["Fay", "Eve", "Dot"], ["Gus"]]
    # A window between two cursors: after Bea, before Fay, from either end.
    page = (await api.admin(PAGE, {"o": by_name, "first": 7}))["customers"]
    cursor = {e["node"]["name"]: e["cursor"] for e in page["edges"]}
    between = {"o": by_name, "after": cursor["Bea"], "before": cursor["Fay"]}
    first = (await api.admin(PAGE, {**between, "first": 2}))["customers"]
    last = (await api.admin(PAGE, {**between, "last": 2}))["customers"]
    assert [e["node"]["name"] for e in first["edges"]] == ["Cy", "Dot"]
    assert [e["node"]["name"] for e in last["edges"]] == ["Dot", "Eve"]
    assert last["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": True, "startCursor": cursor["Dot"], "endCursor": cursor["Eve"]}
    assert last["totalCount"] == 7


async def test_a_list_sorted_by_a_computed_value_reads_backwards_too(make_app):
    api = await make_app()
    now = datetime.now(UTC)
    for days, name in enumerate(NAMES[:5]):
        customer = await api.create_customer(name=name)
        data = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                               {"i": {"customerId": customer["id"], "kind": "call", "subject": "call",
                                      "occurredAt": (now - timedelta(days=days + 1)).isoformat()}})
        assert data["logActivity"]["errors"] == []
    assert await backwards(api, {"field": "LAST_CONTACT", "direction": "DESC"}, size=2) == [["Dot", "Eve"], ["Bea", "Cy"], ["Ada"]]


async def test_the_lists_under_each_object_of_a_list_read_backwards_together(make_app, sales):
    api = await make_app(plugins=["sales"])
    shop = sales(api)
    product = await shop.product("SKU-1")
    customers = [await api.create_customer(name=name) for name in ("Ada", "Bea")]
    numbers = {}
    for customer in customers:
        numbers[customer["id"]] = [(await shop.order(customer["id"], [{"productId": product, "quantity": "1"}]))["number"]
                                   for _ in range(4)]
    query = """query($n: Int) { customers(first: $n, orderBy: {field: NAME}) { edges { node { id
      orders(last: 3) { edges { node { number } } pageInfo { hasNextPage hasPreviousPage } } } } } }"""

    async def statements(n):
        """The fewest statements of three runs: a worker checks its permission and plugin counters now and then."""
        await api.admin(query, {"n": n})  # the first sight of a text prepares it
        counts = []
        for _ in range(3):
            before = api.counter.count
            data = await api.admin(query, {"n": n})
            counts.append(api.counter.count - before)
        return min(counts), data

    alone, _ = await statements(1)
    together, data = await statements(2)
    assert together == alone, "the orders of every customer are read in one statement"
    for edge in data["customers"]["edges"]:
        orders = edge["node"]["orders"]
        # Newest first: the last three of that list are the three oldest orders, newest of them first.
        assert [e["node"]["number"] for e in orders["edges"]] == list(reversed(numbers[edge["node"]["id"]]))[1:]
        assert orders["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}


async def test_a_timeline_reads_from_its_oldest_entry(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Ada")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(5):
        data = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                               {"i": {"customerId": customer["id"], "kind": "note", "subject": f"day {day}",
                                      "occurredAt": (start + timedelta(days=day)).isoformat()}})
        assert data["logActivity"]["errors"] == []
    query = """query($id: ID!, $before: String) { customer(id: $id) { timeline(last: 2, before: $before, kinds: ["note"]) {
      edges { node { title } } pageInfo { hasPreviousPage startCursor } } } }"""
    oldest = (await api.admin(query, {"id": customer["id"]}))["customer"]["timeline"]
    assert [e["node"]["title"] for e in oldest["edges"]] == ["day 1", "day 0"]
    assert oldest["pageInfo"]["hasPreviousPage"] is True
    newer = (await api.admin(query, {"id": customer["id"], "before": oldest["pageInfo"]["startCursor"]}))["customer"]["timeline"]
    assert [e["node"]["title"] for e in newer["edges"]] == ["day 3", "day 2"]


async def test_impossible_windows_are_refused_with_a_code(make_app):
    api = await make_app()
    await api.create_customer(name="Ada")
    for variables, field in (({"first": 2, "last": 2}, "last"), ({"last": 1000}, "last"), ({"last": -1}, "last"),
                             ({"last": 2, "before": "not-a-cursor"}, "before")):
        body = await api.gql(PAGE, variables, api.admin_token, expect_errors=True)
        extensions = body["errors"][0]["extensions"]
        assert (extensions["code"], extensions["field"]) == ("BAD_USER_INPUT", field), (variables, body)
