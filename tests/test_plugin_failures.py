"""A plugin that fails is named, and takes down only what is its own: a failing resolver fails its field of that
request; a plugin that cannot start stops start-up (or its enabling) with its name."""

from types import SimpleNamespace

import pytest

from conftest import example_entry_points
from crm.plugin_host import PluginError, installed_plugins
from crm.runtime import Runtime
from crm_faulty import plugin as faulty

ENABLE = "mutation($n: String!) { enablePlugin(input: {name: $n}) { plugins { name } errors { code message } } }"


def with_faulty():
    return installed_plugins(entry_points=lambda: [*example_entry_points(), SimpleNamespace(name="faulty", value="crm_faulty", dist=None)])


@pytest.fixture
def crm_installed():
    return with_faulty


@pytest.fixture(autouse=True)
def healthy():
    faulty.FAIL_IN.clear()
    yield
    faulty.FAIL_IN.clear()


async def test_a_failing_resolver_fails_its_field_names_the_plugin_and_the_server_goes_on(make_app, caplog):
    api = await make_app(plugins=["faulty"])
    assert (await api.admin("{ faultyAnswer }")) == {"faultyAnswer": 42}
    faulty.FAIL_IN.add("resolver")
    body = await api.gql("{ faultyAnswer me { email } }", token=api.admin_token, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and error["extensions"]["plugin"] == "faulty"
    assert error["message"].startswith("the plugin faulty failed; the error id is ")
    assert "divided by zero" not in str(body)  # the cause is in the log, under the error id, not in the response
    assert any("plugin faulty failed" in r.getMessage() and error["extensions"]["errorId"] in r.getMessage() for r in caplog.records)
    assert (await api.admin("{ customers(first: 1) { totalCount } }"))["customers"]["totalCount"] == 0  # the rest serves


async def test_a_plugin_failing_at_startup_stops_it_with_its_name(make_app):
    api = await make_app(plugins=["faulty"])
    faulty.FAIL_IN.add("startup")
    with pytest.raises(PluginError, match="plugin 'faulty' failed in crm_startup: RuntimeError: the faulty plugin cannot start"):
        await Runtime.start(api.runtime.settings, db=api.runtime.db, discover=with_faulty)
    faulty.FAIL_IN.clear()
    faulty.FAIL_IN.add("graphql")
    with pytest.raises(PluginError, match="plugin 'faulty' failed in crm_register_graphql"):
        await Runtime.start(api.runtime.settings, db=api.runtime.db, discover=with_faulty)


async def test_a_plugin_whose_schema_fails_is_not_enabled(make_app):
    api = await make_app()
    faulty.FAIL_IN.add("graphql")
    refused = (await api.admin(ENABLE, {"n": "faulty"}))["enablePlugin"]
    assert refused["errors"][0]["code"] == "PLUGIN_FAILED"
    assert "plugin 'faulty' failed in crm_register_graphql" in refused["errors"][0]["message"]
    assert [p["name"] for p in (await api.admin("{ plugins { name enabled } }"))["plugins"] if p["enabled"]] == []
    faulty.FAIL_IN.clear()
    assert (await api.admin(ENABLE, {"n": "faulty"}))["enablePlugin"]["errors"] == []
    assert (await api.admin("{ faultyAnswer }")) == {"faultyAnswer": 42}
