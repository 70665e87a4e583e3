"""`crm plugins new NAME` writes a plugin whose own tests pass straight away, on the database the suite runs on."""

import os
import subprocess
import sys

from typer.testing import CliRunner

from crm.cli import cli


def test_a_new_plugin_passes_its_own_tests(tmp_path):
    made = CliRunner().invoke(cli, ["plugins", "new", "gift_cards", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    folder = tmp_path / "crm-gift-cards"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*.py")} == {
        "crm_gift_cards/__init__.py", "crm_gift_cards/models.py", "crm_gift_cards/schema.py", "crm_gift_cards/plugin.py",
        "crm_gift_cards/migrations/versions/gift_cards_0001_initial.py", "tests/conftest.py", "tests/test_gift_cards.py"}
    assert 'gift_cards = "crm_gift_cards"' in (folder / "pyproject.toml").read_text()

    env = {**os.environ, "CRM_TEST_DATABASE_URL": os.environ.get("CRM_TEST_DATABASE_URL", "sqlite")}
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout or "4 skipped" in run.stdout, run.stdout[-500:]  # skipped: no PostgreSQL, with the reason


def test_names_are_checked_and_nothing_is_overwritten(tmp_path):
    runner = CliRunner()
    for bad in ("Gift", "1gifts", "gift-cards", "class", "core", "sales", "x"):
        result = runner.invoke(cli, ["plugins", "new", bad, "--dir", str(tmp_path)])
        assert result.exit_code == 1, (bad, result.output)
    assert list(tmp_path.iterdir()) == []
    assert runner.invoke(cli, ["plugins", "new", "gifts", "--dir", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["plugins", "new", "gifts", "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "exists already" in again.output
