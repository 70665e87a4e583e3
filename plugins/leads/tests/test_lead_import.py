"""`crm import leads FILE.csv`, run as an admin would: good rows in, bad rows reported by their row numbers."""

import asyncio

from typer.testing import CliRunner

import crm

CSV = """Name,Company,E-Mail,Phone,Tags,Score,Owner,Pool
Ada Lovelace,Engines Ltd,ada@engines.example;ada2@engines.example,,math;vip,80,admin@example.com,
Grace Hopper,Navy Labs,grace@navy.example,+1 555 0100,,10,,
Bad Address,Nope,not-an-address,,,,,
No Such Pool,Co,pool@co.example,,,,,Atlantis
Bad Score,Co,score@co.example,,,lots,,
"""
LEADS = "{ leads(orderBy: NAME, direction: ASC) { edges { node { name score emails phones tags ownerId } } } }"


async def test_import_leads_reports_rows_and_keeps_the_good_ones(make_app, tmp_path, monkeypatch):
    api = await make_app(plugins=["leads"])
    monkeypatch.setenv("CRM_DATABASE_URL", api.runtime.settings.database_url)
    monkeypatch.setenv("CRM_PASSWORD_HASH_PROFILE", "CHEAPEST")
    from crm.plugins.leads.commands import register

    register()  # what `crm` does at start for the enabled plugins
    path = tmp_path / "leads.csv"
    path.write_text(CSV, encoding="utf-8")

    def command(*args):  # in a thread: the command runs its own event loop, as on a shell
        return asyncio.to_thread(CliRunner().invoke, crm.import_cli, ["leads", str(path), *args])

    dry = await command("--as", "admin@example.com", "--dry-run")
    assert dry.exit_code == 2 and "would import 2 leads; rejected 3 rows" in dry.output, dry.output
    assert "row 4: emails.0: 'not-an-address' is not an email address" in dry.output
    assert "row 5: pool: no lead pool named Atlantis" in dry.output and "row 6: score:" in dry.output
    assert (await api.admin(LEADS))["leads"]["edges"] == []
    real = await command("--as", "admin@example.com")
    assert real.exit_code == 2 and "imported 2 leads; rejected 3 rows" in real.output, real.output
    admin_id = (await api.admin("{ me { id } }"))["me"]["id"]
    assert [e["node"] for e in (await api.admin(LEADS))["leads"]["edges"]] == [
        {"name": "Ada Lovelace", "score": 80, "emails": ["ada@engines.example", "ada2@engines.example"], "phones": [],
         "tags": ["math", "vip"], "ownerId": admin_id},
        {"name": "Grace Hopper", "score": 10, "emails": ["grace@navy.example"], "phones": ["+1 555 0100"], "tags": [], "ownerId": admin_id}]
    nobody = await command("--as", "ghost@example.com")
    assert nobody.exit_code == 1 and "no active user ghost@example.com" in nobody.output
