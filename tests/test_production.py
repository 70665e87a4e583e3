"""Running in production: request ids and one log line per request, CORS from settings, introspection off."""

import json
import logging

from crm.api.request_log import JsonFormatter

LOGIN = 'mutation { login(input: {email: "admin@example.com", password: "wrong-secret-pw-1"}) { token errors { code } } }'


async def test_each_request_has_an_id_and_one_log_line_without_secrets(make_app, caplog):
    api = await make_app()
    caplog.set_level(logging.INFO, logger="crm.request")
    given = await api.client.post("/graphql", json={"query": "query Who { me { email } }"},
                                  headers={"X-Request-ID": "lb-7f3a.1", "Authorization": f"Bearer {api.admin_token}"})
    assert given.headers["x-request-id"] == "lb-7f3a.1"
    made = await api.client.post("/graphql", json={"query": LOGIN}, headers={"X-Request-ID": "bad id\twith spaces"})
    assert made.headers["x-request-id"] != "bad id\twith spaces" and len(made.headers["x-request-id"]) == 32
    refused = await api.client.post("/graphql", json={"query": "{ nope }"})
    lines = [r for r in caplog.records if r.name == "crm.request"]
    assert len(lines) == 3
    who, login, bad = (r.request for r in lines)
    assert who["request_id"] == "lb-7f3a.1" and who["operation"] == "Who" and who["user_id"] and who["status"] == 200
    assert login["request_id"] == made.headers["x-request-id"] and "user_id" not in login
    assert bad["codes"] == ["GRAPHQL_VALIDATION_FAILED"] and refused.status_code == 200
    as_json = [json.loads(JsonFormatter().format(r)) for r in lines]
    assert as_json[0]["request_id"] == "lb-7f3a.1" and as_json[0]["duration_ms"] >= 0
    assert "wrong-secret-pw-1" not in caplog.text and api.admin_token not in caplog.text


async def test_cors_allows_only_the_configured_origins(make_app):
    closed = await make_app()
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    refused = await closed.client.options("/graphql", headers=preflight)
    assert refused.status_code == 405 and "access-control-allow-origin" not in refused.headers

    api = await make_app(cors_origins=["https://app.example.com"], cors_max_age=120)
    allowed = await api.client.options("/graphql", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert allowed.headers["access-control-max-age"] == "120"
    other = await api.client.options("/graphql", headers={**preflight, "Origin": "https://evil.example"})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    answer = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://app.example.com"})
    assert answer.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()


async def test_production_mode_turns_introspection_and_graphiql_off(make_app):
    query = {"query": "{ __schema { queryType { name } } }"}
    dev = await make_app()
    assert (await dev.client.post("/graphql", json=query)).json()["data"]["__schema"]["queryType"]["name"] == "Query"

    prod = await make_app(mode="production")
    body = (await prod.client.post("/graphql", json=query)).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" and "introspection" in body["errors"][0]["message"]
    assert (await prod.client.post("/graphql", json={"query": "{ __typename }"})).json()["data"] == {"__typename": "Query"}
    page = await prod.client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in page.text.lower()

    asked = await make_app(mode="production", introspection=True)
    assert (await asked.client.post("/graphql", json=query)).json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_a_shutdown_lets_the_request_in_flight_finish(make_app, live_server):
    """SIGTERM (what a container runtime or systemd sends) while an import runs: the import completes and answers,
    every row is kept, and the server then exits cleanly."""
    import asyncio
    import signal

    import httpx

    api = await make_app()
    base = await live_server(api, metrics_enabled=True)
    server = live_server.processes[-1]
    rows = 3000
    csv = "Company,Email\n" + "".join(f"Shutdown Co {i},s{i}@shutdown.example\n" for i in range(rows))
    importing = """mutation($i: ImportCustomersInput!) { importCustomers(input: $i) { imported rejected { row } errors { code } } }"""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        login = await client.post("/graphql", json={"query": 'mutation { login(input: {email: "admin@example.com", password: "%s"}) '
                                                           '{ token } }' % api.PASSWORD})
        token = login.json()["data"]["login"]["token"]
        running = asyncio.create_task(client.post("/graphql", json={"query": importing, "variables": {"i": {"csv": csv}}},
                                                  headers={"Authorization": f"Bearer {token}"}))
        # Signal only once the server is answering the import (its in-flight gauge says so), however fast it runs.
        while b"crm_requests_in_flight 1.0" not in (await client.get("/metrics")).content:
            assert not running.done(), "the import finished before it was seen in flight"
            await asyncio.sleep(0.005)
        server.send_signal(signal.SIGTERM)
        answer = await running
    assert answer.status_code == 200 and answer.json()["data"]["importCustomers"]["imported"] == rows
    # uvicorn finishes its shutdown, then re-raises the signal it caught so that process managers see it: -15.
    assert await asyncio.to_thread(server.wait, 30) in (0, -signal.SIGTERM)
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == rows
