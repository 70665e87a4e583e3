"""The `crm` command line, run as a user would (in-process, with its own SQLite database)."""

from pathlib import Path

from typer.testing import CliRunner

from crm.cli import cli

# The core's newest revision, whichever it is: core_0001_core_tables.py ... core_NNNN_*.py
ROOT = Path(__file__).resolve().parent.parent
CORE_HEAD = sorted(p.name[:9] for p in (ROOT / "core" / "migrations" / "versions").glob("core_*.py"))[-1]
SALES_HEAD = sorted(p.name[:10] for p in (ROOT / "plugins" / "sales" / "migrations" / "versions").glob("sales_*.py"))[-1]


def test_db_upgrade_status_and_plugins_list(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"core: {CORE_HEAD}" in upgraded.output
    status = runner.invoke(cli, ["db", "status"])
    assert status.exit_code == 0 and "core" in status.output and "ok" in status.output
    listed = runner.invoke(cli, ["plugins", "list"])
    assert listed.exit_code == 0, listed.output
    # Enabling sales enables the catalogue it depends on. sales_0004 depends on core_0006 and sales_0005 on
    # catalogue_0001, so alembic keeps only sales' head: the core and the catalogue are still reported as up to date.
    enabled = runner.invoke(cli, ["plugins", "enable", "sales"])
    assert enabled.exit_code == 0 and "catalogue, sales" in enabled.output, enabled.output
    after = runner.invoke(cli, ["db", "status"])
    assert "behind" not in after.output and all(rev in after.output for rev in (CORE_HEAD, "catalogue_0001", SALES_HEAD)), after.output
    missing = runner.invoke(cli, ["plugins", "enable", "no-such-plugin"])
    assert missing.exit_code == 1 and "no plugin named 'no-such-plugin' is installed" in missing.output


def test_create_admin_refuses_a_weak_password(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CRM_PASSWORD_HASH_PROFILE", "CHEAPEST")
    runner = CliRunner()
    weak = runner.invoke(cli, ["users", "create-admin", "--email", "boss@example.com", "--password", "short"])
    assert weak.exit_code == 1 and "password" in weak.output
    ok = runner.invoke(cli, ["users", "create-admin", "--email", "boss@example.com", "--password", "long-enough-pass-1"])
    assert ok.exit_code == 0, ok.output


def test_bad_settings_are_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE_URL", "mysql://root@localhost/crm")
    result = CliRunner().invoke(cli, ["db", "status"])
    assert result.exit_code == 1 and "unsupported database 'mysql'" in result.output


def test_uninstall_drops_a_plugins_tables_only_when_told(tmp_path, monkeypatch):
    import sqlite3

    db = tmp_path / "cli.db"
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{db}")
    runner = CliRunner()
    assert runner.invoke(cli, ["plugins", "enable", "inventory"]).exit_code == 0

    def tables():
        with sqlite3.connect(db) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    assert "inventory_warehouse" in tables()
    kept = runner.invoke(cli, ["plugins", "disable", "inventory"])
    assert kept.exit_code == 0 and "data kept" in kept.output and "inventory_warehouse" in tables()
    unsaid = runner.invoke(cli, ["plugins", "uninstall", "inventory", "--yes"])
    assert unsaid.exit_code == 1 and "--drop-data" in unsaid.output and "inventory_warehouse" in tables()
    declined = runner.invoke(cli, ["plugins", "uninstall", "inventory", "--drop-data"], input="n\n")
    assert declined.exit_code == 1 and "inventory_warehouse" in tables()
    dropped = runner.invoke(cli, ["plugins", "uninstall", "inventory", "--drop-data", "--yes"])
    assert dropped.exit_code == 0, dropped.output
    assert not any(t.startswith("inventory_") for t in tables()) and "core_customer" in tables()
    listed = runner.invoke(cli, ["plugins", "list"])
    assert "inventory" in listed.output  # still installed (pip), disabled, no tables
    again = runner.invoke(cli, ["plugins", "enable", "inventory"])
    assert again.exit_code == 0 and "inventory_warehouse" in tables()


def test_dump_and_restore_from_the_command_line(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'first.db'}")
    assert runner.invoke(cli, ["plugins", "enable", "sales"]).exit_code == 0
    dumped = runner.invoke(cli, ["dump", str(tmp_path / "backup.jsonl.gz")])
    assert dumped.exit_code == 0 and "rows of" in dumped.output, dumped.output
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    restored = runner.invoke(cli, ["restore", str(tmp_path / "backup.jsonl.gz")])
    assert restored.exit_code == 0 and "restored" in restored.output, restored.output
    assert "sales" in runner.invoke(cli, ["plugins", "list"]).output
    again = runner.invoke(cli, ["restore", str(tmp_path / "backup.jsonl.gz")])
    assert again.exit_code == 1 and "not empty" in again.output
