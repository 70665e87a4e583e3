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


async def test_the_consoles_session_cookie_is_httponly_strict_and_only_taken_with_the_consoles_header(make_app):
    api = await make_app()
    user, token = await api.as_user("sales_rep")
    console = {"X-CRM-Console": "1"}
    me = {"query": "{ me { email } }"}
    # The cookie is set only for a valid login token, only when the console asks for it.
    assert (await api.client.post("/app/session", json={"token": token})).status_code == 403
    assert (await api.client.post("/app/session", json={"token": "nope"}, headers=console)).status_code == 401
    assert (await api.client.post("/app/session", content=b"[1]", headers=console)).status_code == 400
    roles = {r["name"]: r["id"] for r in (await api.admin("{ roles { id name } }"))["roles"]}
    key = (await api.admin("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
                           {"i": {"name": "sync", "roleId": roles["viewer"]}}))["createApiKey"]["secret"]
    assert (await api.client.post("/app/session", json={"token": key}, headers=console)).status_code == 401  # not a browser session
    started = await api.client.post("/app/session", json={"token": token}, headers=console)
    assert started.status_code == 204
    cookie = started.headers["set-cookie"]
    assert cookie.startswith(f"crm_session={token};") and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    api.client.cookies.set("crm_session", token)
    try:
        # With the cookie alone (a form or a link of another site could send that much) nobody is logged in; the
        # console's header makes it count.
        assert (await api.client.post("/graphql", json=me)).json()["data"]["me"] is None
        assert (await api.client.post("/graphql", json=me, headers=console)).json()["data"]["me"] == {"email": user["email"]}
        # Logging out revokes the token the cookie holds; DELETE forgets the cookie.
        out = await api.client.post("/graphql", json={"query": "mutation { logout { errors { code } } }"}, headers=console)
        assert out.json()["data"]["logout"]["errors"] == []
        assert (await api.client.post("/graphql", json=me, headers=console)).json()["data"]["me"] is None
        ended = await api.client.delete("/app/session", headers=console)
        assert ended.status_code == 204 and 'crm_session=""' in ended.headers["set-cookie"] and "Max-Age=0" in ended.headers["set-cookie"]
    finally:
        api.client.cookies.clear()


async def test_a_session_the_server_cannot_check_is_refused_with_a_code_and_an_id(make_app, monkeypatch):
    from crm.identity import auth

    api = await make_app()

    async def broken(db, authorization):
        raise RuntimeError("SELECT secret FROM core_token")  # what must never reach the client
    monkeypatch.setattr(auth, "authenticate", broken)
    answer = await api.client.post("/app/session", json={"token": "crm_x"}, headers={"X-CRM-Console": "1"})
    error = answer.json()["errors"][0]
    assert answer.status_code == 500 and error["extensions"]["code"] == "INTERNAL" and error["extensions"]["errorId"]
    assert "SELECT" not in answer.text and "Traceback" not in answer.text
