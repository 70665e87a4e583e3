"""What a careless or hostile client sends after logging in: batched operations, huge pages, cursors, ids and dates
that mean nothing, very long strings. Each is refused with a clear error and a code, nothing is run, and a worker's
memory does not jump under a stream of them (how fast each refusal is: `python -m bench.hostile`)."""

import os
from pathlib import Path

import httpx

CASES = [
    ("a page of a million", "{ customers(first: 1000000) { totalCount } }", "BAD_USER_INPUT"),
    ("a negative page", "{ customers(first: -5) { totalCount } }", "BAD_USER_INPUT"),
    ("a cursor that is not one", '{ customers(first: 5, after: "not-a-cursor") { totalCount } }', "BAD_USER_INPUT"),
    ("a cursor of another shape", '{ customers(first: 5, after: "WzEsMiwzLDQsNV0=") { totalCount } }', "BAD_USER_INPUT"),
    ("an id that is no id", '{ customer(id: "abc") { id } }', None),
    ("an id beyond 64 bits", '{ customer(id: "99999999999999999999999") { id } }', None),
    ("an impossible date", '{ auditLog(first: 5, filter: {from: "2026-02-30T00:00:00Z"}) { totalCount } }', "GRAPHQL_VALIDATION_FAILED"),
    ("a date that is text", '{ auditLog(first: 5, filter: {from: "yesterday"}) { totalCount } }', "GRAPHQL_VALIDATION_FAILED"),
    ("a search of 100,000 characters", '{ customers(first: 5, filter: {search: "%s"}) { totalCount } }' % ("x" * 100_000), "QUERY_TOO_LARGE"),
    ("an unknown field", "{ customers(first: 5) { edges { node { password } } } }", "GRAPHQL_VALIDATION_FAILED"),
]


async def test_pointless_arguments_are_refused_with_a_code(make_app):
    api = await make_app()
    await api.create_customer(name="Someone")
    for label, query, code in CASES:
        response = await api.client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {api.admin_token}"})
        body = response.json()
        if code is None:  # ids: a record that cannot exist is simply not found, as one outside the caller's scope
            assert body.get("data", {}).get("customer") is None and not body.get("errors"), (label, body)
            continue
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
        assert codes and codes[0] == code, (label, codes, str(body)[:300])
        assert all(e["message"] and len(e["message"]) < 500 for e in body["errors"]), label


async def test_the_same_values_as_variables_are_refused_by_the_scalars(make_app):
    api = await make_app()
    search = "query($s: String!) { customers(first: 5, filter: {search: $s}) { totalCount } }"
    since = "query($f: DateTime!) { auditLog(first: 5, filter: {from: $f}) { totalCount } }"
    for query, variables, code in ((since, {"f": "2026-02-30T00:00:00Z"}, "INVALID"), (since, {"f": "yesterday"}, "INVALID"),
                                   (search, {"s": "x" * 100_000}, "BAD_USER_INPUT")):
        body = await api.gql(query, variables, api.admin_token, expect_errors=True)
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
        assert codes and codes[0] == code, (variables if len(str(variables)) < 100 else "long", body["errors"][0]["message"][:200])


async def test_batched_operations_are_refused_as_a_whole(make_app):
    """A JSON array of operations (Apollo's batching) is one request doing N requests' work past every limit: refused."""
    api = await make_app()
    batch = [{"query": "{ me { email } }"}] * 50
    response = await api.client.post("/graphql", json=batch, headers={"Authorization": f"Bearer {api.admin_token}"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "BAD_USER_INPUT"), body


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(pid)


async def test_a_stream_of_hostile_requests_does_not_grow_a_worker(make_app, live_server):
    api = await make_app()
    base = await live_server(api, workers=1)
    server = live_server.processes[-1]
    headers = {"Authorization": f"Bearer {api.admin_token}"}
    big = "x" * 900_000
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def round_of_abuse():
            for _, query, _ in CASES:
                await client.post("/graphql", json={"query": query}, headers=headers)
            await client.post("/graphql", json={"query": "{ me { email } }", "variables": {"v": big}}, headers=headers)
            await client.post("/graphql", json=[{"query": "{ me { email } }"}] * 50, headers=headers)

        for _ in range(3):  # warm: caches of refused documents fill to their bound
            await round_of_abuse()
        before = _rss_mib(server.pid)
        for _ in range(40):
            await round_of_abuse()
        after = _rss_mib(server.pid)
        assert (await client.get("/healthz")).status_code == 200
    assert after - before < 25, f"the worker grew from {before:.0f} to {after:.0f} MiB under 40 rounds of abuse"
    assert os.path.exists(f"/proc/{server.pid}")


async def test_every_modules_search_is_capped(make_app):
    api = await make_app(plugins=["sales", "leads", "service", "contracts"])
    long = "y" * 301
    for field, query in (("opportunities", "query($s: String) { opportunities(first: 5, filter: {search: $s}) { totalCount } }"),
                         ("leads", "query($s: String) { leads(first: 5, filter: {search: $s}) { totalCount } }"),
                         ("tickets", "query($s: String) { tickets(first: 5, filter: {search: $s}) { totalCount } }"),
                         ("contracts", "query($s: String) { contracts(first: 5, filter: {search: $s}) { totalCount } }"),
                         ("products", "query($s: String) { products(first: 5, search: $s) { totalCount } }"),
                         ("contacts", "query($s: String) { contacts(first: 5, search: $s) { totalCount } }")):
        body = await api.gql(query, {"s": long}, api.admin_token, expect_errors=True)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "search"}, (field, body)
        fine = await api.gql(query, {"s": "  y "}, api.admin_token)
        assert fine[field]["totalCount"] == 0, field


async def test_text_longer_than_its_column_is_refused_on_every_database(make_app):
    """A bounded column no mutation checks by hand (a role's description, 500 characters) is still refused as INVALID
    on that field: PostgreSQL would raise (INTERNAL) and SQLite would store it whole. Nothing is written."""
    api = await make_app()
    create = "mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id description } errors { field code message } } }"
    body = await api.admin(create, {"i": {"name": "wordy", "description": "x" * 501}})
    assert body["createRole"]["role"] is None
    assert body["createRole"]["errors"] == [{"field": "description", "code": "INVALID", "message": "description is longer than 500 characters"}]
    roles = await api.admin("{ roles { name } }")
    assert "wordy" not in [r["name"] for r in roles["roles"]]
    fits = await api.admin(create, {"i": {"name": "wordy", "description": "x" * 500}})
    assert fits["createRole"]["errors"] == [] and len(fits["createRole"]["role"]["description"]) == 500
    update = "mutation($i: UpdateRoleInput!) { updateRole(input: $i) { errors { field code } } }"
    again = await api.admin(update, {"i": {"id": fits["createRole"]["role"]["id"], "description": "z" * 600}})
    assert again["updateRole"]["errors"] == [{"field": "description", "code": "INVALID"}]


async def test_a_time_without_an_offset_is_utc(make_app):
    """Found by the mutation fuzz: `occurredAt: "2026-01-01T10:00:00"` (no offset) met an aware clock and answered INTERNAL."""
    api = await make_app()
    customer = await api.create_customer(name="Acme")
    logged = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { occurredAt } errors { code } } }",
                             {"i": {"customerId": customer["id"], "kind": "call", "subject": "s", "occurredAt": "2026-01-01T10:00:00"}})
    assert logged["logActivity"] == {"activity": {"occurredAt": "2026-01-01T10:00:00+00:00"}, "errors": []}
    future = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { field code } } }",
                             {"i": {"customerId": customer["id"], "kind": "call", "subject": "s", "occurredAt": "2999-01-01T10:00:00"}})
    assert future["logActivity"]["errors"] == [{"field": "occurredAt", "code": "INVALID"}]
