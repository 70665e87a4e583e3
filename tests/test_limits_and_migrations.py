"""Query limits, health endpoints, and migrations that agree with the models."""

async def test_deep_query_is_refused_before_touching_the_database(make_app):
    api = await make_app(max_query_depth=4, policy_check_seconds=3600, plugin_check_seconds=3600)
    before = api.counter.count
    await api.admin("{ __typename }")
    authentication = api.counter.count - before  # every request looks up its token
    deep = "{ customers { edges { node { contacts { customer { contacts { name } } } } } } }"
    body = await api.gql(deep, token=api.admin_token, expect_errors=True)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert api.counter.count - before == 2 * authentication


async def test_alias_multiplied_and_costly_queries_are_refused(make_app):
    api = await make_app(max_aliases=5, max_query_complexity=500)
    aliases = "{ " + " ".join(f"a{i}: customers {{ totalCount }}" for i in range(8)) + " }"
    body = await api.gql(aliases, token=api.admin_token, expect_errors=True)
    assert "aliases" in body["errors"][0]["message"]
    costly = "{ customers(first: 100) { edges { node { name contacts { name emails { value } phones { value } } } } } }"
    body = await api.gql(costly, token=api.admin_token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_health_and_readiness(make_app):
    api = await make_app()
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_graphiql_in_a_browser(make_app):
    api = await make_app()
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_models_and_migrations_agree(make_app):
    api = await make_app(plugins=["example", "sales", "leads"])
    for branch in ("core", "example", "catalogue", "sales", "leads", "leads_sales"):
        assert await api.runtime.migrator.compare({branch}) == [], branch


async def test_downgrade_then_enable_restores_the_tables(make_app):
    from crm.system.manage import Manager

    api = await make_app(plugins=["example"])
    manager = Manager(api.runtime.db, api.runtime.installed)
    await manager.downgrade("example")
    status = {b.name: b for b in await api.runtime.migrator.status()}
    assert status["example"].current is None and status["core"].at_head
    await manager.enable("example")
    status = {b.name: b for b in await api.runtime.migrator.status()}
    assert status["example"].at_head
    assert await api.runtime.migrator.compare({"example"}) == []
