"""Enabling and disabling plugins through the API: admin only, audited, atomic, and served without a restart by
every worker."""

import asyncio
import time
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import inspect, text

from conftest import example_entry_points
from crm import Manifest
from crm.plugin_host import InstalledPlugin, installed_plugins

ENABLE = "mutation($n: String!) { enablePlugin(input: {name: $n}) { plugins { name enabled } errors { field code message } } }"
DISABLE = "mutation($n: String!) { disablePlugin(input: {name: $n}) { plugins { name enabled } errors { field code message } } }"
WIDGETS = "query($id: ID!) { customer(id: $id) { widgets { name } } }"
AUDIT = '{ auditLog(first: 20, filter: {resource: "plugin"}) { edges { node { action recordId actor { email } changes { field old new } } } } }'


def with_broken_and_future():
    found = installed_plugins(entry_points=lambda: [*example_entry_points(), SimpleNamespace(name="broken", value="crm_broken", dist=None)])
    future = Manifest(name="future", version="3.0.0", hooks="crm_future.plugin", requires_core=">=99",
                      description="Made for a core API that does not exist yet.")
    return {**found, "future": InstalledPlugin(future, "distribution crm-future")}


@pytest.fixture
def crm_installed():
    return with_broken_and_future


async def _enabled(api) -> list[str]:
    return sorted(p["name"] for p in (await api.admin("{ plugins { name enabled } }"))["plugins"] if p["enabled"])


async def test_an_admin_enables_a_plugin_and_the_same_app_serves_it_at_once(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Early")
    missing = await api.gql(WIDGETS, {"id": customer["id"]}, api.admin_token, expect_errors=True)
    assert "Cannot query field 'widgets'" in missing["errors"][0]["message"]

    done = (await api.admin(ENABLE, {"n": "example"}))["enablePlugin"]
    assert done == {"plugins": [{"name": "example", "enabled": True}], "errors": []}
    # The next request of this very client runs on the new schema: no restart, no waiting.
    assert (await api.admin(WIDGETS, {"id": customer["id"]}))["customer"]["widgets"] == []
    again = (await api.admin(ENABLE, {"n": "example"}))["enablePlugin"]
    assert again == {"plugins": [], "errors": []}  # already enabled: nothing changed

    off = (await api.admin(DISABLE, {"n": "example"}))["disablePlugin"]
    assert off == {"plugins": [{"name": "example", "enabled": False}], "errors": []}
    gone = await api.gql(WIDGETS, {"id": customer["id"]}, api.admin_token, expect_errors=True)
    assert "Cannot query field 'widgets'" in gone["errors"][0]["message"]

    entries = [e["node"] for e in (await api.admin(AUDIT))["auditLog"]["edges"]]
    assert [(e["action"], e["recordId"], e["actor"]["email"]) for e in entries] == [
        ("disable", "example", "admin@example.com"), ("enable", "example", "admin@example.com")]
    assert entries[1]["changes"] == [{"field": "enabled", "old": False, "new": True}]


async def test_only_those_who_manage_roles_switch_plugins_and_refusals_are_typed(make_app):
    api = await make_app(plugins=["sales"])
    _, rep = await api.as_user("sales_rep")
    _, manager = await api.as_user("manager")
    for token in (rep, manager):
        body = await api.gql(ENABLE, {"n": "example"}, token, expect_errors=True)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _enabled(api) == ["catalogue", "sales"]

    unknown = (await api.admin(ENABLE, {"n": "nope"}))["enablePlugin"]
    assert unknown["errors"][0]["field"] == "name" and unknown["errors"][0]["code"] == "NOT_FOUND"
    assert "no plugin named 'nope' is installed" in unknown["errors"][0]["message"]
    blank = (await api.admin(ENABLE, {"n": "  "}))["enablePlugin"]
    assert blank["errors"][0]["code"] == "REQUIRED"
    in_use = (await api.admin(DISABLE, {"n": "catalogue"}))["disablePlugin"]
    assert in_use["errors"] == [{"field": "name", "code": "IN_USE", "message": "sales depend on 'catalogue'; disable them first"}]
    not_on = (await api.admin(DISABLE, {"n": "example"}))["disablePlugin"]
    assert not_on["errors"][0]["code"] == "NOT_FOUND"

    future = (await api.admin(ENABLE, {"n": "future"}))["enablePlugin"]
    assert future["errors"][0]["code"] == "PLUGIN_FAILED"
    assert "plugin 'future' 3.0.0 needs core API >=99, this core is 1." in future["errors"][0]["message"]
    assert await _enabled(api) == ["catalogue", "sales"]


async def _snapshot(api) -> dict:
    async with api.runtime.db.read() as session:
        tables = await session.run_sync(lambda s: sorted(inspect(s.connection()).get_table_names()))
        versions = sorted((await session.execute(text("SELECT version_num FROM alembic_version"))).scalars())
        plugins = sorted(tuple(r) for r in (await session.execute(text("SELECT name, enabled, grants_seeded FROM core_plugin"))).all())
        grants = (await session.execute(text("SELECT count(*) FROM core_casbin_rule"))).scalar()
        audit = (await session.execute(text("SELECT count(*) FROM core_audit_entry"))).scalar()
    return {"tables": tables, "versions": versions, "plugins": plugins, "grants": grants, "audit": audit}


async def test_a_migration_failing_halfway_leaves_the_database_as_it_was(make_app):
    """broken depends on example: enabling it runs example's migration, then broken's, which creates a table,
    writes a row and fails. Both plugins stay disabled and no table, revision, grant or audit entry is left; the
    same is guaranteed on SQLite, whose DDL our write connections run inside one BEGIN IMMEDIATE transaction."""
    api = await make_app()
    before = await _snapshot(api)
    assert "example_widget" not in before["tables"]

    result = (await api.admin(ENABLE, {"n": "broken"}))["enablePlugin"]
    assert result["plugins"] == [] and result["errors"][0]["code"] == "PLUGIN_FAILED"
    message = result["errors"][0]["message"]
    assert "a migration of 'broken' failed" in message and "nothing was changed" in message and "example" in message

    assert await _snapshot(api) == before
    assert await _enabled(api) == []
    # What did not depend on the broken part still works.
    assert (await api.admin(ENABLE, {"n": "example"}))["enablePlugin"]["errors"] == []
    assert "example_widget" in (await _snapshot(api))["tables"]


async def test_enabling_through_one_server_is_served_by_another_without_a_restart(make_app, live_server):
    """Two servers on one database (two workers of a deployment): enable inventory through A, and B serves its
    fields within a few seconds, while B's requests before the change were answered on the old schema."""
    api = await make_app()
    a = await live_server(api, plugin_check_seconds=0.5)
    b = await live_server(api, plugin_check_seconds=0.5)
    query = {"query": "{ warehouses { name } }"}
    headers = {"Authorization": f"Bearer {api.admin_token}"}
    async with httpx.AsyncClient(timeout=30) as client:
        before = (await client.post(f"{b}/graphql", json=query, headers=headers)).json()
        assert "Cannot query field 'warehouses'" in before["errors"][0]["message"]
        enabled = (await client.post(f"{a}/graphql", json={"query": ENABLE, "variables": {"n": "inventory"}}, headers=headers)).json()
        assert enabled["data"]["enablePlugin"]["errors"] == [], enabled
        started = time.monotonic()
        while True:
            body = (await client.post(f"{b}/graphql", json=query, headers=headers)).json()
            if "errors" not in body:
                break
            assert time.monotonic() - started < 10, body
            await asyncio.sleep(0.2)
        assert body["data"]["warehouses"] == []
        ready = (await client.get(f"{b}/readyz")).json()
        assert "inventory" in ready["plugins"]


async def test_requests_in_flight_finish_on_the_runtime_they_started_with(monkeypatch):
    """The switch itself, without a database: a request that entered before the plugins changed keeps its app; the
    old runtime retires when that request leaves, not before; a runtime that fails to start leaves the old serving."""
    from crm.api import serving as serving_module
    from crm.api.serving import Serving

    version = {"now": 1}
    monkeypatch.setattr(serving_module, "plugins_version", lambda db: asyncio.sleep(0, version["now"]))

    class FakeRuntime:
        def __init__(self, n, fail_next=False):
            self.n, self.plugins_version, self.plugins_changed_here, self.retired = n, n, False, False
            self.settings, self.db, self.enabled, self.fail_next = SimpleNamespace(plugin_check_seconds=0), None, [], fail_next

        async def successor(self):
            if self.fail_next:
                raise RuntimeError("a plugin cannot start")
            return FakeRuntime(version["now"])

        def retire(self):
            self.retired = True

    serving = Serving(lambda runtime: SimpleNamespace(runtime=runtime))
    serving.serve(FakeRuntime(1))
    slow = await serving.enter()  # a request that started on runtime 1
    second = await serving.enter()
    assert second is slow  # nothing changed: the same app
    version["now"] = 2
    fresh = await serving.enter()
    assert fresh.runtime.n == 2 and slow.runtime.n == 1 and not slow.runtime.retired
    serving.leave(fresh)
    serving.leave(second)
    assert not slow.runtime.retired  # the slow request is still running on it
    serving.leave(slow)
    assert slow.runtime.retired and not fresh.runtime.retired

    serving.current.runtime.fail_next = True
    version["now"] = 3
    assert (await serving.enter()).runtime.n == 2  # could not switch: the old runtime goes on serving


async def test_migrating_again_does_not_make_workers_switch(make_app):
    """`crm db upgrade` with nothing to do leaves the counters alone: running workers keep their runtime and grants."""
    from crm.api.serving import plugins_version
    from crm.system.manage import Manager

    api = await make_app(plugins=["example"])
    before = await plugins_version(api.runtime.db)
    await Manager(api.runtime.db, api.installed()).setup()
    assert await plugins_version(api.runtime.db) == before
    assert (await api.admin(ENABLE, {"n": "sales"}))["enablePlugin"]["errors"] == []
    assert await plugins_version(api.runtime.db) > before
