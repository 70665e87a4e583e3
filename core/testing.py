"""crm.testing: the pytest plugin that bundled and third-party plugins test with (loaded by the `pytest11` entry point).

    async def test_a_loyalty_tier(make_app):
        api = await make_app(plugins=["sales", "loyalty"])      # a fresh database, migrated, an admin logged in
        rep, token = await api.as_user("sales_rep")               # a new user with a built-in role, and their token
        customer = await api.create_customer(token, name="Ada")
        data = await api.gql("{ customers(first: 5) { totalCount } }", token=token)

Every test that asks for `make_app` runs against each database named by CRM_TEST_DATABASE_URL (a fresh database per
app: a SQLite file, or a PostgreSQL database created on that server). Without the variable, tests run on SQLite and
on the PostgreSQL at 127.0.0.1:5432 (database `test`, user `postgres`); when that server is absent the PostgreSQL
half is skipped with the reason shown in the summary. `live_server` serves the same database from a real uvicorn.
Override the `crm_installed` fixture to make plugins visible that are not pip-installed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from crm.api.app import build_app
from crm.db import Database
from crm.identity.admin import create_admin
from crm.plugin_host import installed_plugins, resolve, with_dependencies
from crm.runtime import Runtime
from crm.settings import async_database_url, load_settings
from crm.system.manage import Manager

if TYPE_CHECKING:  # httpx comes with the test extra; imported where a client is made
    import httpx

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def crm_installed():
    """What `make_app` sees as installed: a function returning `crm.plugin_host.installed_plugins()`. Override it in
    a conftest to add plugins that are not pip-installed (a plugin's own tests, test doubles)."""
    return installed_plugins


def _targets() -> list[str]:
    chosen = os.environ.get("CRM_TEST_DATABASE_URL")
    return [chosen] if chosen else ["sqlite", DEFAULT_PG]


_pg_checked: dict[str, str | None] = {}


async def _pg_problem(url: str) -> str | None:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.connect() as conn:
            await conn.execute(text("select 1"))
        return None
    except Exception as exc:
        return f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is not reachable: {type(exc).__name__}: {exc}"[:300]
    finally:
        await engine.dispose()


@pytest.fixture(params=_targets(), ids=lambda t: "sqlite" if t.startswith("sqlite") else "postgresql")
def database_url(request, tmp_path):
    target = request.param
    if target.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'crm.db'}"
    if target not in _pg_checked:
        _pg_checked[target] = asyncio.run(_pg_problem(target))
    if _pg_checked[target]:
        pytest.skip(_pg_checked[target])
    return target


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


@dataclass
class Api:
    """A running app and an HTTP client talking GraphQL to it, as a front-end would."""

    PASSWORD = PASSWORD  # every user the fixtures create has this password

    runtime: Runtime
    client: httpx.AsyncClient
    admin_token: str
    counter: StatementCounter
    installed: Callable[[], dict] = installed_plugins

    async def gql(self, query: str, variables: dict | None = None, token: str | None = None, *, expect_errors: bool = False) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        body = response.json()
        if not expect_errors:
            assert "errors" not in body, body["errors"]
            return body["data"]
        return body

    async def admin(self, query: str, variables: dict | None = None) -> dict:
        return await self.gql(query, variables, self.admin_token)

    async def create_user(self, role: str | None = None, email: str | None = None, name: str = "Test User") -> dict:
        email = email or f"{uuid.uuid4().hex[:10]}@example.com"
        roles = await self.admin("{ roles { id name } }")
        role_ids = [r["id"] for r in roles["roles"] if r["name"] == role] if role else []
        data = await self.admin(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id email } errors { field code message } } }",
            {"i": {"email": email, "name": name, "password": PASSWORD, "roleIds": role_ids}},
        )
        assert data["createUser"]["errors"] == []
        return data["createUser"]["user"]

    async def login(self, email: str, password: str = PASSWORD) -> str:
        data = await self.gql(
            "mutation($i: LoginInput!) { login(input: $i) { token errors { code message } } }", {"i": {"email": email, "password": password}}
        )
        assert data["login"]["errors"] == [], data
        return data["login"]["token"]

    async def as_user(self, role: str | None = None, **kw) -> tuple[dict, str]:
        user = await self.create_user(role, **kw)
        return user, await self.login(user["email"])

    async def create_customer(self, token: str | None = None, **fields) -> dict:
        fields.setdefault("kind", "COMPANY")
        fields.setdefault("name", f"Customer {uuid.uuid4().hex[:6]}")
        data = await self.gql(
            "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id name version } errors { field code message } } }",
            {"i": fields}, token or self.admin_token,
        )
        assert data["createCustomer"]["errors"] == [], data
        return data["createCustomer"]["customer"]

    async def restart(self, plugins: list[str] | None = None) -> None:
        """Enable exactly `plugins` (as `crm plugins enable/disable` would) and start a new runtime on the same database."""
        await _restart(self, plugins)


def _dependents_first(names: set[str], enabled: set[str], installed: dict) -> list[str]:
    """`names` (some of the `enabled`) in an order that can be disabled: a plugin before the plugins it depends on."""
    order = [m.name for m in resolve(enabled, installed)]
    return [name for name in reversed(order) if name in names]


async def _set_plugins(db, plugins: list[str], installed: Callable[[], dict]) -> None:
    manager = Manager(db, installed())
    current = {r.name for r in await manager.rows() if r.enabled}
    wanted = with_dependencies(plugins, manager.installed)
    for name in _dependents_first(current - wanted, current, manager.installed):
        await manager.disable(name)
    for name in plugins:
        if name not in current:
            await manager.enable(name)


async def _restart(api: Api, plugins: list[str] | None) -> None:
    import httpx

    settings = api.runtime.settings
    if plugins is not None:
        await _set_plugins(api.runtime.db, plugins, api.installed)
    runtime = await Runtime.start(settings, db=api.runtime.db, discover=api.installed)
    api.runtime = runtime
    api.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://crm.test")


def settings_for(database_url: str, **overrides):
    values = {"password_hash_profile": "CHEAPEST", "policy_check_seconds": 0.2, "plugin_check_seconds": 0.2, "strict_error_codes": True,
              **overrides}
    return load_settings(database_url=database_url, **values)


async def create_pg_database(url: str) -> str:
    """A new, empty database on the server of `url`; its URL."""
    base = make_url(async_database_url(url))
    name = f"crm_test_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


async def drop_pg_database(url: str) -> None:
    target = make_url(url)
    engine = create_async_engine(target.set(database=DEFAULT_DB_FOR_ADMIN), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    await engine.dispose()


DEFAULT_DB_FOR_ADMIN = "postgres"


@pytest.fixture
async def make_app(database_url, crm_installed):
    """`await make_app(plugins=[...], **settings)`: a fresh database migrated for the core and those plugins, an admin,
    and a client. Several calls in one test share nothing."""
    import httpx

    made: list[tuple[Api, str | None]] = []

    async def factory(plugins: list[str] = (), **overrides) -> Api:
        url = database_url
        created = None
        if not url.startswith("sqlite"):
            url = created = await create_pg_database(url)
        elif made:
            url = url.replace("crm.db", f"crm{len(made)}.db")
        settings = settings_for(url, **overrides)
        db = Database(settings.database_url)
        await Manager(db, crm_installed()).setup()
        await _set_plugins(db, list(plugins), crm_installed)
        await create_admin(db, settings, "admin@example.com", PASSWORD, "Admin")
        runtime = await Runtime.start(settings, db=db, discover=crm_installed)
        counter = StatementCounter()
        for engine in db.engines:
            event.listen(engine.sync_engine, "before_cursor_execute", counter)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://crm.test")
        api = Api(runtime, client, "", counter, crm_installed)
        api.admin_token = await api.login("admin@example.com")
        made.append((api, created))
        return api

    yield factory
    for api, created in made:
        await api.runtime.db.dispose()
        if created:
            await drop_pg_database(created)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def live_server():
    """`base_url = await live_server(api, workers=1, **settings)`: the same database served by a real uvicorn process
    (bundled plugins only: test plugins are not installed in that process), stopped after the test;
    `live_server.processes[-1]` is the last one started."""
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    import httpx

    started: list[subprocess.Popen] = []
    logs: list = []  # the servers' logs, removed at the end

    async def start(api: Api, workers: int = 1, **settings) -> str:
        port = free_port()
        env = {**os.environ, "CRM_DATABASE_URL": api.runtime.settings.database_url, "CRM_PASSWORD_HASH_PROFILE": "CHEAPEST",
               "CRM_JOBS_ENABLED": "false", **{f"CRM_{k.upper()}": str(v) for k, v in settings.items()}}
        log = tempfile.NamedTemporaryFile("w+", prefix="crm-live-server-", suffix=".log", delete=False)
        logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "crm.api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
            # Its log goes to a file, not a pipe: a pipe nobody reads fills up (64 KB of warnings while the database is
            # away) and then blocks the worker that writes to it.
            env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
        )
        started.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    raise RuntimeError(f"the server did not start: {Path(log.name).read_text()[-2000:]}")
                try:
                    if (await client.get(f"{base}/readyz")).status_code == 200:
                        return base
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("the server did not become ready within 60 s")

    start.processes = started  # the uvicorn processes, newest last (to signal one)
    start.logs = logs  # their log files (start.logs[-1].name), newest last
    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    for log in logs:
        log.close()
        Path(log.name).unlink(missing_ok=True)
