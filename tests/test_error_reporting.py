"""What a client learns from an error: a code always, internal details never; the log has one line per refusal and
the exception (with its id) for anything unexpected, and never a password."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy.exc import OperationalError

from sales_helpers import CREATE

LEAKS = ("SELECT", "INSERT", "Traceback", "sqlalchemy", "asyncpg", "sqlite", "crm.", ".py", "decimal.")


def no_leak(body: dict) -> None:
    for error in body.get("errors") or []:
        assert "code" in error.get("extensions", {}), error
        for word in LEAKS:
            assert word not in error["message"], error


async def test_unexpected_errors_reach_the_client_as_internal_with_an_id(make_app, monkeypatch, caplog):
    api = await make_app()
    from crm.customers.schema import queries

    async def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM core_user WHERE owner_id = 7")

    monkeypatch.setattr(queries, "list_page", broken)
    with caplog.at_level(logging.INFO, logger="crm.api"):
        body = await api.gql("{ customers { totalCount } }", token=api.admin_token, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and error["extensions"]["errorId"] in error["message"]
    no_leak(body)
    logged = [r for r in caplog.records if error["extensions"]["errorId"] in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info and "SELECT secret" in str(logged[0].exc_info[1])


async def test_the_database_away_answers_unavailable_with_retry_after(make_app, monkeypatch):
    api = await make_app()
    from crm.api import app as app_module

    async def down(*args, **kwargs):
        raise OperationalError("connect", {}, ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(app_module, "authenticate", down)
    response = await api.client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    no_leak(body)
    monkeypatch.undo()
    assert (await api.client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200


async def test_the_database_away_inside_a_resolver_answers_unavailable(make_app, monkeypatch):
    api = await make_app()
    from crm.customers.schema import queries

    async def down(*args, **kwargs):
        raise OperationalError("select", {}, ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(queries, "list_page", down)
    response = await api.client.post("/graphql", json={"query": "{ customers { totalCount } }"},
                                     headers={"Authorization": f"Bearer {api.admin_token}"})
    assert response.status_code == 503 and response.headers["retry-after"]
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"


async def test_a_plugin_failing_in_prepare_context_is_left_out_and_named(make_app, monkeypatch):
    api = await make_app(plugins=["example"])
    import crm_example.plugin as example

    def explode(context):
        raise KeyError("plugin-internal detail")

    monkeypatch.setattr(example.crm_prepare_context, "__code__", explode.__code__)
    token = await api.login("admin@example.com")  # login works while the plugin fails
    data = await api.gql("{ me { email } }", token=token)
    assert data["me"]["email"] == "admin@example.com"
    ready = (await api.client.get("/readyz")).json()
    assert ready["status"] == "degraded"
    assert ready["failing"][0]["plugin"] == "example" and ready["failing"][0]["hook"] == "crm_prepare_context"


async def test_values_the_database_cannot_store_are_refused_as_invalid(make_app):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer()
    for amount in ("1e309", "1e30", "99999999999999999", "0.00000000001", "x" * 50):
        body = await api.gql(CREATE, {"i": {"customerId": customer["id"], "name": "D", "amount": amount}}, api.admin_token, expect_errors=True)
        assert body["errors"][0]["extensions"]["code"] == "INVALID", (amount, body)
        no_leak(body)
    body = await api.gql(CREATE, {"i": {"customerId": customer["id"], "name": "D", "openedAt": "0001-01-01T00:00:00Z"}},
                         api.admin_token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INVALID"
    no_leak(body)
    data = await api.gql(CREATE, {"i": {"customerId": customer["id"], "name": "D", "amount": "-0.00"}}, api.admin_token)
    assert data["createOpportunity"]["opportunity"]["amount"] == "0.00"
    ok = await api.admin("{ opportunities(first: 5) { totalCount } }")
    assert ok["opportunities"]["totalCount"] == 1  # the refused ones changed nothing


async def raw_gql(api, query: str, variables: dict | None = None) -> dict:
    """Sent as json.dumps writes it (\\uXXXX escapes), so that a lone surrogate reaches the server as a client sends it."""
    body = json.dumps({"query": query, "variables": variables or {}})
    response = await api.client.post("/graphql", content=body, headers={"Content-Type": "application/json",
                                                                        "Authorization": f"Bearer {api.admin_token}"})
    return response.json()


@pytest.mark.parametrize("bad", ["a\u0000b", "lone \ud800 surrogate"])
async def test_nul_bytes_and_lone_surrogates_are_refused_everywhere(make_app, bad):
    api = await make_app()
    before = await api.admin("{ customers { totalCount } }")
    create = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { errors { code } } }"
    body = await raw_gql(api, create, {"i": {"kind": "COMPANY", "name": bad}})
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "i.name"}
    search = await raw_gql(api, "query($s: String) { customers(filter: {search: $s}) { totalCount } }", {"s": bad})
    assert search["errors"][0]["extensions"]["code"] == "INVALID"
    escaped = bad.encode("unicode_escape").decode().replace("\\x00", "\\u0000")
    inline = await raw_gql(api, f'{{ customers(filter: {{search: "{escaped}"}}) {{ totalCount }} }}')
    assert inline["errors"][0]["extensions"]["code"] in ("INVALID", "GRAPHQL_PARSE_FAILED")  # the lexer refuses \ud800
    for answer in (body, search, inline):
        no_leak(answer)
    assert await api.admin("{ customers { totalCount } }") == before


async def test_schema_level_refusals_carry_codes(make_app):
    api = await make_app()
    cases = {
        "{ customers { nope } }": "GRAPHQL_VALIDATION_FAILED",
        "{ customers { ": "GRAPHQL_PARSE_FAILED",
        "{ customers(first: -5) { totalCount } }": "BAD_USER_INPUT",
        '{ customers(after: "not-a-cursor") { totalCount } }': "BAD_USER_INPUT",
        "query($n: Int) { customers(first: $n) { totalCount } }": "BAD_USER_INPUT",
    }
    for query, code in cases.items():
        body = await api.gql(query, {"n": "many"}, api.admin_token, expect_errors=True)
        assert body["errors"][0]["extensions"]["code"] == code, (query, body)
        no_leak(body)
    deep = "{ customers { edges { node { contacts { customer { contacts { customer { contacts { customer { contacts { customer { contacts { customer { name } } } } } } } } } } } } } }"
    assert (await api.gql(deep, token=api.admin_token, expect_errors=True))["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"


async def test_logs_say_one_line_per_refusal_and_never_a_password(make_app, caplog):
    api = await make_app()
    _viewer, token = await api.as_user("viewer")
    secret = "hunter2-inline-secret"
    with caplog.at_level(logging.DEBUG):
        await api.gql(f'mutation {{ login(input: {{email: "admin@example.com", password: "{secret}"}}) {{ token errors {{ code }} }} }}')
        await api.gql("mutation($i: LoginInput!) { login(input: $i) { token } }",
                      {"i": {"email": "admin@example.com", "password": secret}})
        forbidden = await api.gql("{ auditLog { totalCount } }", token=token, expect_errors=True)
        assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        await api.gql("{ me { email } }", expect_errors=True)  # unauthenticated
    text = "\n".join(r.getMessage() + (str(r.exc_info) if r.exc_info else "") for r in caplog.records)
    assert secret not in text
    assert api.admin_token not in text and token not in text
    refusals = [r for r in caplog.records if r.name == "crm.api"]
    assert len(refusals) == 2 and not any(r.exc_info for r in refusals)
