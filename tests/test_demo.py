"""`crm serve --demo` data: every module's loader runs, and the numbers it produces are served through GraphQL."""

import httpx

from conftest import installed
from crm.testing import create_pg_database, drop_pg_database, settings_for
from crm.api.app import build_app
from crm.db import Database
from crm.demo import DEMO_PASSWORD, load_demo
from crm.runtime import Runtime
from crm.system.manage import Manager


async def test_demo_data_across_core_sales_leads_and_inventory(database_url):
    url = database_url if database_url.startswith("sqlite") else await create_pg_database(database_url)
    db = Database(settings_for(url).database_url)
    try:
        manager = Manager(db, installed())
        await manager.setup()
        await manager.enable("sales")
        await manager.enable("leads")
        await manager.enable("inventory")
        await manager.enable("contracts")
        await manager.enable("service")
        runtime = await Runtime.start(settings_for(url), installed=installed(), db=db)
        logins = await load_demo(runtime)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://crm.test")

        async def ask(email, query):
            login = await client.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { token } }",
                                                         "variables": {"i": {"email": email, "password": DEMO_PASSWORD}}})
            token = login.json()["data"]["login"]["token"]
            body = (await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})).json()
            assert "errors" not in body, body
            return body["data"]

        assert "rep1@example.com" in logins
        query = """{ customers { totalCount } opportunities { totalCount }
            salesForecast(period: QUARTER, from: "2024-01-01", to: "2030-12-31") { rows { closedWon } }
            customerSegments { total segments { segment customers } } }"""
        everything = await ask("admin@example.com", query)
        mine = await ask("rep1@example.com", query)
        assert everything["customers"]["totalCount"] == 120 and everything["opportunities"]["totalCount"] > 80
        assert 0 < mine["customers"]["totalCount"] < 120 and 0 < mine["opportunities"]["totalCount"] < everything["opportunities"]["totalCount"]
        assert sum(float(r["closedWon"]) for r in everything["salesForecast"]["rows"]) > 0
        assert everything["customerSegments"]["total"] == 120
        leads = "{ leads { totalCount } leadPools { name waiting } }"
        all_leads, rep_leads = await ask("admin@example.com", leads), await ask("rep1@example.com", leads)
        assert all_leads["leads"]["totalCount"] == 80 and len(all_leads["leadPools"]) == 2
        assert 0 < rep_leads["leads"]["totalCount"] < 80  # their own, and what waits in their pools
        assert sum(p["waiting"] for p in all_leads["leadPools"]) > 0
        stock = await ask("rep1@example.com", """{ warehouses { code isDefault } lowStock { edges { node { product { sku } } } }
            stockValuation { total } }""")
        assert [w["code"] for w in stock["warehouses"]] == ["MAIN", "NORTH"] and float(stock["stockValuation"]["total"]) > 0
        assert [e["node"]["product"]["sku"] for e in stock["lowStock"]["edges"]] == ["HW-PRINTER"]
        money = await ask("manager@example.com", "{ contracts { totalCount } overduePayments { totalCount } receivables { rows { outstanding } } }")
        assert money["contracts"]["totalCount"] > 0 and money["overduePayments"]["totalCount"] > 0 and money["receivables"]["rows"]
        service = await ask("manager@example.com", """{ tickets { totalCount } queues { name }
            slaReport(from: "2021-01-01", to: "2030-12-31") { tickets responded resolved firstResponseMet firstResponseMissed }
            satisfactionReport(from: "2020-01-01", to: "2030-12-31") { responses averageScore } }""")
        assert service["tickets"]["totalCount"] == 40 and service["queues"] == [{"name": "Support"}]
        sla = service["slaReport"][0]
        assert sla["tickets"] == 40 and sla["responded"] == 32 and sla["resolved"] == 16 and sla["firstResponseMet"] > 0
        assert service["satisfactionReport"][0]["responses"] == 8
    finally:
        await db.dispose()
        if url != database_url:
            await drop_pg_database(url)
