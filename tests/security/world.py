"""A world to attack: a fresh database with every bundled plugin and the demo data (a company with a manager, two
reps and a viewer, customers, deals, leads, contracts, tickets, stock), served in process, with a pool of real ids
for the generated inputs to hit."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Integer, inspect, select

from crm.api.app import build_app
from crm.db import Database
from crm.demo import DEMO_PASSWORD, load_demo
from crm.models import metadata
from crm.plugin_host import installed_plugins
from crm.runtime import Runtime
from crm.system.manage import Manager
from crm.testing import create_pg_database, drop_pg_database, settings_for

EVERY_PLUGIN = ["sales", "leads", "inventory", "contracts", "contracts_sales", "service", "service_sales", "leads_sales"]
ROLES = {"admin": "admin@example.com", "manager": "manager@example.com", "rep": "rep1@example.com", "rep2": "rep2@example.com",
         "viewer": "viewer@example.com"}


@dataclass
class World:
    runtime: Runtime
    client: httpx.AsyncClient
    tokens: dict[str, str] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)

    async def post(self, query: str, variables: dict | None = None, role: str = "admin") -> httpx.Response:
        # Encoded here, ASCII-escaped: a generated lone surrogate must reach the server (which refuses it), not stop
        # the client's UTF-8 encoder.
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return await self.client.post("/graphql", content=body, headers={"Authorization": f"Bearer {self.tokens[role]}",
                                                                          "Content-Type": "application/json"})

    async def login(self, role: str) -> None:
        body = (await self.client.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { token } }",
                                                          "variables": {"i": {"email": ROLES[role], "password": DEMO_PASSWORD}}})).json()
        self.tokens[role] = body["data"]["login"]["token"]


@contextlib.asynccontextmanager
async def make_world(database_url):
    url = database_url if database_url.startswith("sqlite") else await create_pg_database(database_url)
    settings = settings_for(url, policy_check_seconds=0, plugin_check_seconds=3600)
    db = Database(settings.database_url)
    try:
        manager = Manager(db, installed_plugins())
        await manager.setup()
        for name in EVERY_PLUGIN:
            await manager.enable(name)
        runtime = await Runtime.start(settings, installed=installed_plugins(), db=db)
        await load_demo(runtime)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://crm.test")
        found = World(runtime, client)
        for role in ROLES:
            await found.login(role)
        async with db.read() as session:  # the first and last ids of every table, so that generated ids often name real records
            ids = set()
            present = await session.run_sync(lambda s: set(inspect(s.connection()).get_table_names()))
            for table in metadata.sorted_tables:
                column = table.c.get("id")
                if table.name in present and column is not None and isinstance(column.type, Integer):
                    ids.update((await session.scalars(select(column).order_by(column).limit(2))).all())
                    ids.update((await session.scalars(select(column).order_by(column.desc()).limit(3))).all())
        found.ids = sorted(str(i) for i in ids)
        yield found
    finally:
        await db.dispose()
        if not database_url.startswith("sqlite"):
            await drop_pg_database(url)
