"""The web console as the server serves it: its files at /app with a strict Content-Security-Policy and long-cached
hashed assets, and its navigation from `consolePages`, which follows the enabled modules and the caller's grants."""

import re

PAGES = "{ consolePages { path title resource } }"


async def test_the_console_is_served_under_app_with_a_strict_policy(make_app):
    api = await make_app()
    page = await api.client.get("/app/customers/Q3VzdG9tZXI6MQ")  # any address under /app is the app: reload or share it
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "unsafe" not in policy and "http" not in policy
    assert page.headers["cache-control"] == "no-cache"
    assets = re.findall(r'/app/assets/[\w.-]+', page.text)
    assert assets and all(re.search(r"-[\w-]{8}\.(js|css)$", a) for a in assets)  # named by their content's hash
    for asset in assets:
        served = await api.client.get(asset)
        assert served.status_code == 200 and "immutable" in served.headers["cache-control"]
    assert (await api.client.get("/app/assets/../../api/app.py")).status_code == 404
    assert (await api.client.get("/app/assets/nothing.js")).status_code == 404


async def test_navigation_follows_enabled_modules_and_grants(make_app):
    api = await make_app()
    assert (await api.admin(PAGES))["consolePages"] == [{"path": "/my-day", "title": "My day", "resource": "activity"},
                                                         {"path": "/customers", "title": "Customers", "resource": "customer"}]
    await api.restart(plugins=["sales"])
    _, rep = await api.as_user("sales_rep")
    assert [p["path"] for p in (await api.gql(PAGES, token=rep))["consolePages"]] == ["/my-day", "/customers", "/pipeline", "/forecast"]
    role = await api.admin('mutation { createRole(input: {name: "customers only", grants: [{resource: "customer", action: READ, scope: OWN}]}) { role { id } } }')
    narrow, token = await api.as_user()
    await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }",
                    {"i": {"userId": narrow["id"], "roleId": role["createRole"]["role"]["id"]}})
    assert [p["path"] for p in (await api.gql(PAGES, token=token))["consolePages"]] == ["/customers"]
    body = await api.gql(PAGES, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_plugins_page_script_is_named_by_its_content_and_must_be_a_js_file(tmp_path):
    import pytest

    from crm import ConsolePage
    from crm.plugin_host import PluginError
    from crm.web.scripts import page_scripts

    script = tmp_path / "page.js"
    script.write_text("export function mount(element) { element.textContent = 'one'; }")
    first = page_scripts([("shop", [ConsolePage("/shop", "Shop", "customer", script=script)])])["/shop"].url
    assert re.fullmatch(r"/app/pages/shop-[0-9a-f]{16}\.js", first)
    script.write_text("export function mount(element) { element.textContent = 'two'; }")
    assert page_scripts([("shop", [ConsolePage("/shop", "Shop", "customer", script=script)])])["/shop"].url != first  # a new name: no stale cache
    for wrong in (tmp_path / "missing.js", tmp_path):
        with pytest.raises(PluginError, match="plugin 'shop' declares the console page /shop"):
            page_scripts([("shop", [ConsolePage("/shop", "Shop", "customer", script=wrong)])])
