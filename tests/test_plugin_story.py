"""The story of a company adopting the CRM one piece at a time: nothing is ever lost."""

from crm_example import plugin as example
from crm import parse_id

WIDGETS = "query($id: ID!) { customer(id: $id) { name widgets { name } summary { widgetCount } } }"


async def test_core_only_then_enable_disable_reenable(make_app):
    api = await make_app()
    customers = [await api.create_customer(name=f"Early {i}") for i in range(3)]
    schema = api.runtime.schema.as_str()
    assert "widgets" not in schema and "createWidget" not in schema

    await api.restart(plugins=["example"])
    assert [r["name"] for r in (await api.admin("{ plugins { name enabled } }"))["plugins"] if r["enabled"]] == ["example"]
    data = await api.admin("{ customers { totalCount } }")
    assert data["customers"]["totalCount"] == 3
    created = await api.admin(
        "mutation($i: CreateWidgetInput!) { createWidget(input: $i) { widget { name } errors { code } } }",
        {"i": {"customerId": customers[0]["id"], "name": "Sprocket"}},
    )
    assert created["createWidget"] == {"widget": {"name": "Sprocket"}, "errors": []}
    seen = await api.admin(WIDGETS, {"id": customers[0]["id"]})
    assert seen["customer"]["widgets"] == [{"name": "Sprocket"}]
    assert seen["customer"]["summary"]["widgetCount"] == 1

    await api.restart(plugins=[])
    body = await api.gql(WIDGETS, {"id": customers[0]["id"]}, api.admin_token, expect_errors=True)
    assert "Cannot query field 'widgets'" in body["errors"][0]["message"]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 3

    await api.restart(plugins=["example"])
    assert (await api.admin(WIDGETS, {"id": customers[0]["id"]}))["customer"]["widgets"] == [{"name": "Sprocket"}]


async def test_plugin_receives_core_events_and_adds_timeline_entries(make_app):
    api = await make_app(plugins=["example"])
    customer = await api.create_customer(name="Evented")
    assert ("customer_created", parse_id(customer["id"])) in example.EVENTS
    await api.admin(
        "mutation($i: CreateWidgetInput!) { createWidget(input: $i) { errors { code } } }", {"i": {"customerId": customer["id"], "name": "Gear"}}
    )
    data = await api.admin(
        "query($id: ID!) { customer(id: $id) { timeline(first: 10) { edges { node { kind title recordType } } } } }", {"id": customer["id"]}
    )
    kinds = [e["node"]["kind"] for e in data["customer"]["timeline"]["edges"]]
    assert "widget_added" in kinds and "change" in kinds
    only = await api.admin(
        "query($id: ID!) { customer(id: $id) { timeline(kinds: [\"widget_added\"]) { edges { node { title } } } } }", {"id": customer["id"]}
    )
    assert [e["node"]["title"] for e in only["customer"]["timeline"]["edges"]] == ["Gear"]


async def test_plugin_adds_to_the_request_context_and_publishes_hooks(make_app):
    api = await make_app(plugins=["example", "sales", "orderwatch"])
    me = (await api.admin("{ me { id } widgetRequestTag }"))
    assert me["widgetRequestTag"] == f"user:{parse_id(me['me']['id'])}"  # crm_prepare_context ran for this request
    # crm_add_hookspecs: sales published crm_on_order_confirmed; orderwatch (a third party) implements it.
    hooks = api.runtime.pm.hook
    assert hooks.crm_on_order_confirmed.get_hookimpls()[0].plugin_name.endswith("orderwatch")


async def test_sales_story_core_first_then_sales_then_off_and_on(make_app):
    """The adoption story: customers first; enabling sales keeps every customer and lets them have opportunities;
    disabling sales hides its API without losing a row; enabling it again brings everything back."""
    api = await make_app()
    customers = [await api.create_customer(name=f"Early {i}") for i in range(3)]
    body = await api.gql("{ pipelines { id } }", token=api.admin_token, expect_errors=True)
    assert "Cannot query field 'pipelines'" in body["errors"][0]["message"]

    await api.restart(plugins=["sales"])
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 3
    made = await api.admin('mutation($c: ID!) { createOpportunity(input: {customerId: $c, name: "First deal", amount: "10"}) { errors { code } } }',
                           {"c": customers[0]["id"]})
    assert made["createOpportunity"]["errors"] == []
    view = 'query($id: ID!) { customer(id: $id) { opportunities { edges { node { name amount } } } } }'
    assert (await api.admin(view, {"id": customers[0]["id"]}))["customer"]["opportunities"]["edges"] == [
        {"node": {"name": "First deal", "amount": "10.00"}}]

    await api.restart(plugins=[])
    gone = await api.gql(view, {"id": customers[0]["id"]}, api.admin_token, expect_errors=True)
    assert "Cannot query field 'opportunities'" in gone["errors"][0]["message"]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 3

    await api.restart(plugins=["sales"])
    assert (await api.admin(view, {"id": customers[0]["id"]}))["customer"]["opportunities"]["edges"][0]["node"]["name"] == "First deal"


def test_the_core_alone_never_imports_a_plugin(tmp_path):
    """With only the core enabled, no plugin's hook module is imported (checked in a fresh interpreter)."""
    import subprocess
    import sys

    script = f"""
import asyncio, sys
from crm.db import Database
from crm.plugin_host import installed_plugins
from crm.runtime import Runtime
from crm.settings import load_settings
from crm.system.manage import Manager

async def main():
    settings = load_settings(database_url="sqlite:///{tmp_path / 'core.db'}")
    db = Database(settings.database_url)
    await Manager(db, installed_plugins()).setup()
    runtime = await Runtime.start(settings, db=db)
    assert "sales" in runtime.installed and "sales" not in runtime.enabled
    assert "opportunities" not in runtime.schema.as_str()
    await runtime.stop()

asyncio.run(main())
loaded = sorted(m for m in sys.modules if m.startswith("crm.plugins.") and m.count(".") > 2)
print(loaded)
assert loaded == [], loaded
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


async def test_an_async_listener_reads_writes_and_refuses_inside_the_publishing_transaction(make_app):
    api = await make_app(plugins=["example"])
    create = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id tags } errors { field code } } }"
    first = (await api.admin(create, {"i": {"kind": "COMPANY", "name": "Twin"}}))["createCustomer"]
    second = (await api.admin(create, {"i": {"kind": "COMPANY", "name": "Twin"}}))["createCustomer"]
    assert first["customer"]["tags"] == [] and first["errors"] == []
    assert second["customer"]["tags"] == ["namesake"]  # the listener counted in the database and wrote a tag
    refused = (await api.admin(create, {"i": {"kind": "COMPANY", "name": "Refused by example"}}))["createCustomer"]
    assert refused == {"customer": None, "errors": [{"field": "name", "code": "INVALID"}]}
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 2
