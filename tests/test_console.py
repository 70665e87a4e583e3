"""The web console in a real browser: Debian's Chromium, driven by Playwright, against a real server (uvicorn) with the
demo data, as people use it: log in, find a customer, open the 360 view, log a call and see it on the timeline, see a
refused field's error and the "someone changed this" of a stale version, move a deal on the board; a rep does not see
what is not theirs. A screenshot of each main page is written to console/screenshots for review, and how fast the first
page is interactive (Navigation Timing) to console/screenshots/timing.json (docs/benchmarks.md reports it)."""

import json
import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from crm.api.app import build_app
from crm.db import Database
from crm.demo import DEMO_PASSWORD, load_demo
from crm.plugin_host import installed_plugins
from crm.runtime import Runtime
from crm.system.manage import Manager
from crm.testing import Api, StatementCounter, create_pg_database, drop_pg_database, settings_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("CRM_REQUIRE_BROWSER") == "1"  # set by .ci/run: there a missing browser fails, never skips
try:
    from playwright.async_api import async_playwright, expect
except ImportError:  # pragma: no cover - the test extra brings it
    async_playwright = None
if not (CHROMIUM and async_playwright):
    reason = "the console's browser tests need Chromium (apt-get install chromium) and playwright (pip install -e '.[test]')"
    if REQUIRED:
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)

SHOTS = Path(__file__).resolve().parents[1] / "console" / "screenshots"


@pytest.fixture
async def demo(database_url):
    """An Api on a database of its own with sales, leads, service, inventory and contracts enabled and the demo data
    (`crm serve --demo`'s)."""
    url = database_url if database_url.startswith("sqlite") else await create_pg_database(database_url)
    db = Database(settings_for(url).database_url)
    await Manager(db, installed_plugins()).setup()
    await Manager(db, installed_plugins()).enable("sales")
    await Manager(db, installed_plugins()).enable("leads")
    await Manager(db, installed_plugins()).enable("service")
    await Manager(db, installed_plugins()).enable("inventory")
    await Manager(db, installed_plugins()).enable("contracts")
    runtime = await Runtime.start(settings_for(url), db=db)
    await load_demo(runtime)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://crm.test")
    yield Api(runtime, client, "", StatementCounter())
    await client.aclose()
    await db.dispose()
    if url != database_url:
        await drop_pg_database(url)


@pytest.fixture
async def console(demo, live_server, database_url):
    """(base url, api, open(email) -> logged-in page, shot(page, name))."""
    api = demo
    base = await live_server(api)
    db = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        problems: list[str] = []

        async def open_as(email: str, path: str = ""):
            """A new page at /app{path} in a browser context of its own (no cookie shared with other pages), logged in."""
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            await page.goto(f"{base}/app{path}")
            await page.get_by_label("Email").fill(email)
            await page.get_by_label("Password").fill(DEMO_PASSWORD)
            await page.get_by_role("button", name="Log in").click()
            await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
            return page

        async def shot(page, name: str):
            await page.screenshot(path=SHOTS / f"{name}-{db}.png", full_page=True)

        yield base, api, open_as, shot
        await browser.close()
        assert problems == [], problems  # no script error and no failed request in any page


async def token_of(api, email: str) -> str:
    return await api.login(email, DEMO_PASSWORD)


async def test_a_rep_finds_a_customer_logs_a_call_and_sees_it_on_the_timeline(console):
    base, api, open_as, shot = console
    rep = await token_of(api, "rep1@example.com")
    mine = (await api.gql("{ customers(first: 1, orderBy: {field: NAME}) { edges { node { id name } } } }", token=rep))["customers"]
    name = mine["edges"][0]["node"]["name"]
    page = await open_as("rep1@example.com")
    for loaded in (page.locator(".tasks li").first.or_(page.get_by_text("No open tasks.")),
                   page.locator("[data-approval]").first.or_(page.get_by_text("Nothing waits for you.")),
                   page.locator("[data-ticket]").first.or_(page.get_by_text("No ticket is close to missing its target."))):
        await expect(loaded).to_be_visible()  # My day's three parts, each read
    await shot(page, "my-day")
    await page.get_by_role("link", name="Customers").click()
    await page.get_by_label("Search customers").fill(name)
    await page.get_by_role("link", name=name, exact=True).first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await page.get_by_label("Subject").fill("Called about the renewal")
    await page.get_by_role("button", name="Log", exact=True).click()
    entry = page.get_by_role("list").filter(has_text="Called about the renewal")
    await expect(entry).to_be_visible()
    await shot(page, "customer-360")
    logged = await api.gql("""query($id: ID!) { activities(filter: {customerId: $id, kinds: ["call"]}) { edges { node { subject } } } }""",
                           {"id": mine["edges"][0]["node"]["id"]}, rep)
    assert "Called about the renewal" in [e["node"]["subject"] for e in logged["activities"]["edges"]]
    # A task for the customer: it is listed under open tasks, and done from there.
    await page.get_by_label("Kind", exact=True).select_option("task")
    await page.get_by_label("Due").fill("2031-05-04T09:30")
    await page.get_by_label("Subject").fill("Send the revised offer")
    await page.get_by_role("button", name="Log", exact=True).click()
    await page.get_by_role("button", name="Complete Send the revised offer").click()
    await expect(page.get_by_role("button", name="Complete Send the revised offer")).to_have_count(0)
    tasks = await api.gql("""query($id: ID!) { activities(filter: {customerId: $id, kinds: ["task"]}) { edges { node { subject done dueAt } } } }""",
                          {"id": mine["edges"][0]["node"]["id"]}, rep)
    offer = next(e["node"] for e in tasks["activities"]["edges"] if e["node"]["subject"] == "Send the revised offer")
    assert offer["done"] is True and offer["dueAt"].startswith("2031-05-0")


async def test_a_refused_field_shows_its_error_and_a_stale_version_asks_to_reload(console):
    base, api, open_as, shot = console
    rep = await token_of(api, "rep1@example.com")
    customer = (await api.gql("{ customers(first: 1, orderBy: {field: NAME}) { edges { node { id version } } } }", token=rep))["customers"]["edges"][0]["node"]
    page = await open_as("rep1@example.com", f"/customers/{customer['id']}")
    await page.get_by_label("Name").fill("   ")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#f-name-error")).to_be_visible()
    await expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    # Someone else changes it meanwhile: saving the old version is refused, and the page says to reload.
    changed = await api.gql("mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { errors { code } } }",
                            {"i": {"id": customer["id"], "version": customer["version"], "region": "elsewhere"}}, rep)
    assert changed["updateCustomer"]["errors"] == []
    await page.get_by_label("Name").fill("A new name")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Someone changed this meanwhile")).to_be_visible()
    await shot(page, "customer-conflict")


async def test_a_rep_does_not_see_the_managers_customers(console):
    base, api, open_as, shot = console
    admin = await token_of(api, "admin@example.com")
    rep = await token_of(api, "rep1@example.com")
    everyone = (await api.gql("{ customers(first: 100) { edges { node { id name owner { email } } } } }", token=admin))["customers"]["edges"]
    theirs = next(e["node"] for e in everyone if e["node"]["owner"]["email"] != "rep1@example.com")
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Customers").click()
    total = (await api.gql("{ customers { totalCount } }", token=rep))["customers"]["totalCount"]
    await expect(page.get_by_text(f"{total} customers")).to_be_visible()
    assert total < len(everyone)
    await page.get_by_label("Search customers").fill(theirs["name"])
    await expect(page.get_by_text("0 customers")).to_be_visible() if not any(
        e["node"]["name"] == theirs["name"] and e["node"]["owner"]["email"] == "rep1@example.com" for e in everyone) else None
    page = await open_as("rep1@example.com", f"/customers/{theirs['id']}")
    await expect(page.get_by_role("alert")).to_have_text("There is no such customer, or it is not yours to see.")
    manager = await open_as("manager@example.com")
    await manager.get_by_role("link", name="Customers").click()
    team = (await api.gql("{ customers { totalCount } }", token=await token_of(api, "manager@example.com")))["customers"]["totalCount"]
    await expect(manager.get_by_text(f"{team} customers")).to_be_visible()
    assert team > total
    await shot(manager, "customers")


async def test_a_deal_moves_on_the_board(console):
    base, api, open_as, shot = console
    rep = await token_of(api, "rep1@example.com")
    board = await api.gql("""{ pipelines { isDefault stages { id name kind } }
      opportunities(first: 100, filter: {status: OPEN}) { edges { node { id name pipeline { isDefault } stage { id name } } } } }""", token=rep)
    stages = [s for s in next(p for p in board["pipelines"] if p["isDefault"])["stages"] if s["kind"] == "OPEN"]
    deal = next(e["node"] for e in board["opportunities"]["edges"] if e["node"]["pipeline"]["isDefault"])
    target = next(s for s in stages if s["id"] != deal["stage"]["id"])
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Pipeline").click()
    card = page.locator(f'[data-deal="{deal["id"]}"]')
    await expect(card).to_be_visible()
    await shot(page, "pipeline")
    await card.drag_to(page.locator(f'[data-stage="{target["id"]}"]'), target_position={"x": 40, "y": 20})  # onto its heading
    await expect(page.locator(f'[data-stage="{target["id"]}"] [data-deal="{deal["id"]}"]')).to_be_visible()
    moved = await api.gql("query($id: ID!) { opportunity(id: $id) { stage { id } } }", {"id": deal["id"]}, rep)
    assert moved["opportunity"]["stage"]["id"] == target["id"]


async def test_a_rep_claims_a_lead_from_the_pool(console):
    base, api, open_as, shot = console
    rep = await token_of(api, "rep1@example.com")
    pools = (await api.gql("{ leadPools { id name waiting } }", token=rep))["leadPools"]
    pool = next(p for p in pools if p["waiting"])
    waiting = (await api.gql("query($p: ID!) { leadPool(poolId: $p, first: 1) { edges { node { id name } } } }", {"p": pool["id"]}, rep))
    lead = waiting["leadPool"]["edges"][0]["node"]
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Lead pool").click()
    await page.get_by_role("tab", name=pool["name"], exact=False).click()
    await shot(page, "lead-pool")
    await page.locator(f'[data-lead="{lead["id"]}"]').get_by_role("button", name=f"Claim {lead['name']}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{lead['name']} is yours now.")
    await expect(page.locator(f'[data-lead="{lead["id"]}"]')).to_have_count(0)
    owner = await api.gql("query($id: ID!) { lead(id: $id) { owner { email } } }", {"id": lead["id"]}, rep)
    assert owner["lead"]["owner"]["email"] == "rep1@example.com"


async def test_the_ticket_queue_shows_each_tickets_sla_countdown(console):
    base, api, open_as, shot = console
    manager = await token_of(api, "manager@example.com")
    open_tickets = (await api.gql("""{ tickets(first: 50, filter: {open: true}) { totalCount edges { node { id number
      firstResponse { breached remainingMinutes } } } } }""", token=manager))["tickets"]
    page = await open_as("manager@example.com")
    await page.get_by_role("link", name="Tickets").click()
    rows = page.locator("[data-ticket]")
    await expect(rows).to_have_count(len(open_tickets["edges"]))
    first = open_tickets["edges"][0]["node"]
    cell = page.locator(f'[data-ticket="{first["id"]}"] td').nth(4)
    target = first["firstResponse"]
    if target:
        await expect(cell).to_have_text("missed" if target["breached"] else re.compile(r"(\d+ h )?\d+ min left"))
    await shot(page, "tickets")
    at_risk = (await api.gql("{ ticketsAtRisk(first: 50) { edges { node { id } } } }", token=manager))["ticketsAtRisk"]["edges"]
    await page.get_by_label("At risk only").check()
    await expect(rows).to_have_count(len(at_risk))


async def test_stock_and_what_to_reorder(console):
    base, api, open_as, shot = console
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Stock").click()
    await expect(page.get_by_role("list", name="To reorder")).to_contain_text("HW-PRINTER")
    await page.get_by_label("Warehouse").select_option(label="NORTH Northern depot")
    await expect(page.locator("tbody tr td:nth-child(2)").filter(has_text="MAIN")).to_have_count(0)
    assert set(await page.locator("tbody tr td:nth-child(2)").all_inner_texts()) == {"NORTH"}
    await shot(page, "stock")


async def test_the_first_page_is_served_from_this_server_alone_and_timed(console, database_url):
    base, api, open_as, shot = console
    page = await open_as("rep1@example.com")
    hosts = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    await page.reload()  # still logged in: the session cookie (HttpOnly) survives a reload, the page's memory does not
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    timing = await page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {domInteractive: n.domInteractive, loadEventEnd: n.loadEventEnd, transferSize: n.transferSize}; }""")
    assert hosts == {base.split("/")[2]}  # nothing from another host: the console works without the internet
    db = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    (SHOTS / f"timing-{db}.json").write_text(json.dumps(timing, indent=1))
    assert [c["name"] for c in await page.context.cookies() if c["httpOnly"] and c["sameSite"] == "Strict"] == ["crm_session"]
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_label("Email")).to_be_visible()
    await page.reload()  # logged out for good: the token is revoked and the cookie gone
    await expect(page.get_by_label("Email")).to_be_visible()
    await shot(page, "login")
    await page.goto(f"{base}/graphql")  # GraphiQL, for developers: the package's own files too
    await expect(page.locator(".graphiql-container")).to_be_visible()
    assert hosts == {base.split("/")[2]}


async def test_a_deal_page_shows_its_history_refuses_a_bad_amount_and_wins_the_deal(console):
    base, api, open_as, shot = console
    rep = await token_of(api, "rep1@example.com")
    deals = await api.gql("""{ opportunities(first: 100, filter: {status: OPEN}) { edges { node { id name pipeline { isDefault }
      stageVisits { stage { name } } } } } }""", token=rep)
    deal = next(e["node"] for e in deals["opportunities"]["edges"] if e["node"]["pipeline"]["isDefault"])
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Pipeline").click()
    await page.locator(f'[data-deal="{deal["id"]}"]').get_by_role("link", name=deal["name"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(deal["name"])
    stages = page.get_by_role("table", name="Stages").locator("tbody tr")
    await expect(stages).to_have_count(len(deal["stageVisits"]))
    await page.get_by_label("Amount").fill("-5")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_label("Amount")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert").filter(has_text="negative")).to_be_visible()
    await page.get_by_label("Amount").fill("12500")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("table", name="Changes")).to_contain_text("12,500")  # the change is in its history
    await shot(page, "deal")
    await page.get_by_role("button", name="Won").click()
    await expect(page.locator(".status")).to_have_text("won")
    won = await api.gql("query($id: ID!) { opportunity(id: $id) { status amount } }", {"id": deal["id"]}, rep)
    assert won["opportunity"]["status"] == "WON" and float(won["opportunity"]["amount"]) == 12500


async def test_the_forecast_and_the_funnel_show_the_apis_numbers(console):
    base, api, open_as, shot = console
    manager = await token_of(api, "manager@example.com")
    page = await open_as("manager@example.com")
    await page.get_by_role("link", name="Forecast").click()
    funnel_figure = page.locator("figure").filter(has_text="by the furthest stage they reached")
    await expect(funnel_figure).to_be_visible()
    # The funnel's figures are the API's, stage by stage.
    pipeline = next(p for p in (await api.gql("{ pipelines { id isDefault } }", token=manager))["pipelines"] if p["isDefault"])
    today = await page.evaluate("new Date().toISOString().slice(0, 10)")
    year_ago = await page.evaluate("(() => { const t = new Date(); return new Date(Date.UTC(t.getUTCFullYear() - 1, t.getUTCMonth(), "
                                   "t.getUTCDate() + 1)).toISOString().slice(0, 10); })()")
    funnel = (await api.gql("""query($p: ID!, $f: Date!, $t: Date!) { salesFunnel(pipelineId: $p, from: $f, to: $t) {
      stages { reached stage { name } } } }""", {"p": pipeline["id"], "f": year_ago, "t": today}, manager))["salesFunnel"]
    await funnel_figure.get_by_text("Figures").click()
    rows = funnel_figure.locator("tbody tr")
    assert [(s["stage"]["name"], str(s["reached"])) for s in funnel["stages"]] == [
        tuple(r.split("\t")[:2]) for r in await rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.innerText).join('\\t'))")]
    forecast_figure = page.locator("figure").filter(has_text="Expected revenue")
    no_deals = page.get_by_text("No deal is expected to close")
    await expect(forecast_figure.or_(no_deals)).to_be_visible()
    await page.get_by_label("Periods").select_option(label="The next 4 quarters")
    await expect(forecast_figure.or_(no_deals)).to_be_visible()
    if await forecast_figure.count():
        await forecast_figure.get_by_text("Figures").click()
        await expect(forecast_figure.locator("tbody tr td:first-child").first).to_have_text(re.compile(r"\d{4}-Q[1-4]"))
        assert all(re.fullmatch(r"\d{4}-Q[1-4]", p) for p in await forecast_figure.locator("tbody tr td:first-child").all_inner_texts())
    await shot(page, "forecast")


async def test_a_manager_decides_contracts_awaiting_approval_a_rejection_needs_a_reason(console):
    base, api, open_as, shot = console
    chain = await api.gql("""mutation($i: ApprovalChainInput!) { createApprovalChain(input: $i) { errors { code message } } }""",
                          {"i": {"resource": "contract", "name": "Every contract", "steps": [{"name": "Team manager", "approver": "MANAGER"}]}},
                          await token_of(api, "admin@example.com"))
    assert chain["createApprovalChain"]["errors"] == []
    rep = await token_of(api, "rep1@example.com")
    drafts = (await api.gql('{ contracts(first: 10, filter: {status: DRAFT}) { edges { node { id number title } } } }', token=rep))["contracts"]["edges"]
    assert len(drafts) >= 2, "the demo gives rep1 draft contracts"
    for d in drafts[:2]:
        sent = await api.gql("""mutation($i: SubmitForApprovalInput!) { submitForApproval(input: $i) { errors { code message } } }""",
                             {"i": {"recordType": "contract", "recordId": d["node"]["id"]}}, rep)
        assert sent["submitForApproval"]["errors"] == []
    first, second = (f"Contract {d['node']['number']}: {d['node']['title']}" for d in drafts[:2])
    page = await open_as("manager@example.com")
    await expect(page.get_by_role("button", name=f"Approve {first}")).to_be_visible()  # My day lists them too
    await page.get_by_role("link", name="Contracts").click()
    await page.get_by_role("button", name=f"Approve {first}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{first}: approved.")
    await page.get_by_role("button", name=f"Reject {second}").click()
    await page.get_by_role("form", name=f"Reject {second}").get_by_role("button", name="Reject").click()
    await expect(page.get_by_label("Why is it rejected?")).to_have_attribute("aria-invalid", "true")
    await page.get_by_label("Why is it rejected?").fill("The discount is too deep")
    await page.get_by_role("form", name=f"Reject {second}").get_by_role("button", name="Reject").click()
    await expect(page.get_by_role("status")).to_have_text(f"{second}: rejected, back to its owner.")
    await expect(page.get_by_text("Nothing waits for you.")).to_be_visible()
    await shot(page, "contracts")
    statuses = [(await api.gql("query($id: ID!) { contract(id: $id) { status } }", {"id": d["node"]["id"]}, rep))["contract"]["status"]
                for d in drafts[:2]]
    assert statuses == ["APPROVED", "REJECTED"]


async def test_filters_are_saved_as_a_view_and_bring_the_same_customers_back(console):
    base, api, open_as, shot = console
    rep1 = await api.gql("{ me { id } }", token=await token_of(api, "rep1@example.com"))
    manager = await token_of(api, "manager@example.com")
    wanted = await api.gql("query($f: CustomerFilter) { customers(filter: $f) { totalCount } }",
                           {"f": {"kind": "COMPANY", "ownerId": rep1["me"]["id"]}}, manager)
    page = await open_as("rep1@example.com")
    await page.get_by_role("link", name="Customers").click()
    await page.get_by_label("Kind").select_option(label="companies")
    await page.get_by_label("Mine only").check()
    await expect(page.get_by_text(f"{wanted['customers']['totalCount']} customers")).to_be_visible()
    await page.get_by_role("button", name="Save view…").click()
    await page.get_by_label("View name").fill("My companies")
    await page.get_by_role("form", name="Save this view").get_by_role("button", name="Save view").click()
    await expect(page.get_by_label("Saved view")).to_have_value(re.compile(".+"))
    # Another session starts unfiltered; choosing the view brings the same list back.
    page = await open_as("rep1@example.com", "/customers")
    total = (await api.gql("{ customers { totalCount } }", token=await token_of(api, "rep1@example.com")))["customers"]["totalCount"]
    await expect(page.get_by_text(f"{total} customers")).to_be_visible()
    await page.get_by_label("Saved view").select_option(label="My companies")
    await expect(page.get_by_text(f"{wanted['customers']['totalCount']} customers")).to_be_visible()
    await expect(page.get_by_label("Mine only")).to_be_checked()
    await shot(page, "customers-view")


async def test_every_page_passes_the_accessibility_audit_and_fits_a_phone(console, database_url):
    """axe-core's rules (WCAG 2.1 A and AA: names, labels, contrast, landmarks, ARIA) on every page a manager may open,
    at a desktop's and a phone's width; at the phone's width no page scrolls sideways."""
    from axe_playwright_python.async_playwright import Axe

    base, api, open_as, shot = console
    manager = await token_of(api, "manager@example.com")
    listed = await api.gql("{ consolePages { path } customers(first: 1) { edges { node { id } } } opportunities(first: 1) { edges { node { id } } } }",
                           token=manager)
    paths = [p["path"] for p in listed["consolePages"]]
    assert {"/my-day", "/customers", "/pipeline", "/forecast", "/lead-pool", "/tickets", "/stock", "/contracts"} <= set(paths)
    paths += [f"/customers/{listed['customers']['edges'][0]['node']['id']}", f"/deals/{listed['opportunities']['edges'][0]['node']['id']}"]
    page = await open_as("manager@example.com")
    axe = Axe()
    found = {}
    for width, height in ((1280, 900), (390, 844)):
        await page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            await page.evaluate("p => { history.pushState(null, '', '/app' + p); dispatchEvent(new PopStateEvent('popstate')); }", path)
            await page.wait_for_load_state("networkidle")
            await expect(page.locator("main h1")).to_be_visible()
            result = await axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            for v in result.response["violations"]:
                found.setdefault(f"{path} at {width}px: {v['id']}", [n["target"] for n in v["nodes"]][:3])
            if width < 600 and path.startswith("/deals/"):  # every column of its history is there, in a region that scrolls
                assert await page.get_by_role("region", name="Changes").get_by_role("columnheader", name="Amount").is_visible()
            if width < 600:
                sideways = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if sideways > 0:
                    found[f"{path} at {width}px"] = f"the page scrolls sideways by {sideways}px"
                if path in ("/my-day", "/customers", "/pipeline") or path.startswith("/deals/"):
                    await shot(page, "phone-deal" if path.startswith("/deals/") else f"phone{path.replace('/', '-')}")
    assert found == {}
    # The audit can fail: an unlabelled field put on the page is found.
    await page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('input'), {type: 'text'}))")
    result = await axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a"]}})
    assert "label" in {v["id"] for v in result.response["violations"]}


async def test_what_a_role_may_not_do_is_not_offered(console):
    """The viewer reads everything and writes nothing: the console offers no form and no button that writes (the server
    would refuse them anyway: tests/test_access_matrix.py)."""
    base, api, open_as, shot = console
    viewer = await token_of(api, "viewer@example.com")
    grants = (await api.gql("{ me { effectiveGrants { resource action } } }", token=viewer))["me"]["effectiveGrants"]
    assert not any(g["action"] == "WRITE" and g["resource"] in ("customer", "activity", "opportunity") for g in grants)
    ids = await api.gql("{ customers(first: 1) { edges { node { id name } } } opportunities(first: 1, filter: {status: OPEN}) { edges { node { id } } } }",
                        token=viewer)
    customer = ids["customers"]["edges"][0]["node"]
    page = await open_as("viewer@example.com", f"/customers/{customer['id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(customer["name"])
    await expect(page.get_by_role("form")).to_have_count(0)  # neither the edit form nor "log an activity"
    await page.get_by_role("link", name="Customers").click()
    await expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    await expect(page.get_by_role("button", name="New customer")).to_have_count(0)
    await page.get_by_role("link", name="Pipeline").click()
    await expect(page.locator("[data-deal]").first).to_be_visible()
    await expect(page.locator('[data-deal][draggable="true"]')).to_have_count(0)
    await expect(page.get_by_role("combobox")).to_have_count(0)  # no "move to" either
    await page.goto(f"{base}/app/deals/{ids['opportunities']['edges'][0]['node']['id']}")  # typed in: still logged in
    await expect(page.get_by_role("table", name="Stages")).to_be_visible()
    await expect(page.get_by_role("button", name="Won")).to_have_count(0)
    await expect(page.get_by_role("form")).to_have_count(0)


async def test_a_third_party_plugin_brings_its_own_page(console):
    """crm-loyalty, pip-installed after the console was built, ships its page as a script of its package: enabled
    through the API while the server runs, its entry appears, its page searches members and redeems points with the
    API's typed errors on their fields, passes the same accessibility audit, and its script is gone once it is disabled."""
    try:
        import crm_loyalty  # noqa: F401
    except ImportError:
        if os.environ.get("CRM_REQUIRE_EXAMPLES"):
            raise
        pytest.skip("crm-loyalty is not installed: pip install ./examples/crm-loyalty")
    from axe_playwright_python.async_playwright import Axe

    base, api, open_as, shot = console
    admin = {"Authorization": f"Bearer {await token_of(api, 'admin@example.com')}"}
    switch = "mutation($n: String!) { %s(input: {name: $n}) { errors { code message } } }"
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        enabled = (await http.post("/graphql", json={"query": switch % "enablePlugin", "variables": {"n": "loyalty"}}, headers=admin)).json()
        assert enabled["data"]["enablePlugin"]["errors"] == [], enabled
        rep = await token_of(api, "rep1@example.com")
        customer = (await api.gql("{ customers(first: 1, orderBy: {field: NAME}) { edges { node { id name } } } }", token=rep))["customers"]["edges"][0]["node"]
        given = (await http.post("/graphql", headers=admin, json={
            "query": "mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { errors { code } } }",
            "variables": {"i": {"customerId": customer["id"], "points": 500, "reason": "Welcome"}}})).json()
        assert given["data"]["adjustPoints"]["errors"] == [], given

        page = await open_as("rep1@example.com")
        await page.get_by_role("link", name="Loyalty").click()
        await expect(page.get_by_role("heading", name="Loyalty")).to_be_visible()
        member = page.locator(f'[data-member="{customer["id"]}"]')
        await expect(member).to_contain_text("500")
        await page.get_by_label("Customer", exact=True).select_option(customer["id"])
        await page.get_by_label("Points", exact=True).fill("9999")
        await page.get_by_label("For what").fill("A weekend away")
        await page.get_by_role("button", name="Redeem").click()
        await expect(page.get_by_label("Points", exact=True)).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#redeem-points-error")).not_to_be_empty()
        await page.get_by_label("Points", exact=True).fill("200")
        await page.get_by_role("button", name="Redeem").click()
        await expect(page.get_by_role("status")).to_have_text("Redeemed 200 points: 300 left.")
        await expect(member).to_contain_text("300")
        await shot(page, "plugin-page")
        audit = await Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
        assert audit.response["violations"] == []
        left = await api.gql("query($id: ID!) { customer(id: $id) { loyalty { points } } }", {"id": customer["id"]}, rep)
        assert left["customer"]["loyalty"]["points"] == 300

        pages = (await http.post("/graphql", json={"query": "{ consolePages { path script } }"}, headers=admin)).json()["data"]["consolePages"]
        script = next(p["script"] for p in pages if p["path"] == "/loyalty")
        served = await http.get(script)
        assert served.status_code == 200 and "immutable" in served.headers["cache-control"]
        assert served.headers["content-type"].startswith("text/javascript") and "export function mount" in served.text
        disabled = (await http.post("/graphql", json={"query": switch % "disablePlugin", "variables": {"n": "loyalty"}}, headers=admin)).json()
        assert disabled["data"]["disablePlugin"]["errors"] == [], disabled
        assert (await http.get(script)).status_code == 404
