"""Start-up problems an admin meets first: a database that cannot be reached, does not exist or cannot be written,
and a misspelt setting, each said in one line that names the setting, never a traceback."""

import pytest
from typer.testing import CliRunner

from crm.cli import cli
from crm.settings import load_settings, unknown_variables


@pytest.mark.parametrize("url, expected", [
    ("postgresql://postgres@127.0.0.1:1/crm", "cannot reach PostgreSQL at 127.0.0.1:1 (CRM_DATABASE_URL=postgresql://postgres@127.0.0.1:1/crm)"),
    ("sqlite:////nonexistent-folder/crm.db", "its folder /nonexistent-folder does not exist"),
])
def test_an_unusable_database_is_one_clear_line(monkeypatch, url, expected):
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 1
    assert expected in " ".join(result.output.split()) and "Traceback" not in result.output, result.output


async def test_a_missing_postgresql_database_is_named_with_the_fix(database_url, monkeypatch):
    if database_url.startswith("sqlite"):
        pytest.skip("needs a PostgreSQL server that answers")
    base = database_url.rsplit("/", 1)[0]
    monkeypatch.setenv("CRM_DATABASE_URL", f"{base}/crm_does_not_exist")
    import asyncio

    result = await asyncio.to_thread(CliRunner().invoke, cli, ["db", "status"])
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and "the database 'crm_does_not_exist' does not exist" in text and "createdb crm_does_not_exist" in text


def test_a_misspelt_variable_is_reported_with_the_likely_one():
    found = unknown_variables({"CRM_DATABSE_URL": "x", "CRM_MAX_PAGE_SIZE": "50", "CRM_TEST_DATABASE_URL": "sqlite", "CRM_NOPE": "1",
                               "HOME": "/root"})
    assert found == ["CRM_DATABSE_URL is not a setting; did you mean CRM_DATABASE_URL?", "CRM_NOPE is not a setting (see core/settings.py)"]


def test_trusted_proxies_must_be_addresses(monkeypatch):
    from crm.settings import SettingsError

    with pytest.raises(SettingsError, match="CRM_TRUSTED_PROXIES"):
        load_settings(trusted_proxies=["proxy.example.com"])
    assert load_settings(trusted_proxies=[" 10.0.0.0/8", "::1"]).trusted_proxies == ["10.0.0.0/8", "::1"]
