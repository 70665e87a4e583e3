"""The database goes away under load and comes back: a PostgreSQL cluster this test starts itself (never the shared
one) is stopped while a served app is reading and writing. Meanwhile `/readyz` says unavailable and requests get a
clear `UNAVAILABLE` (503 with Retry-After); when the database is back the server recovers by itself, without a
restart; and no mutation is half-applied (every customer that exists has its e-mail and its audit entry)."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from crm.testing import free_port

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } errors { code } } }"""


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("CRM_TEST_DATABASE_URL", "").startswith("sqlite"):
        pytest.skip("a PostgreSQL fault: it runs in the PostgreSQL half, on a cluster of its own")
    if not BIN or not os.path.exists(os.path.join(BIN[-1], "pg_ctl")):
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed here")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb refuses to run as root")
    folder = Path(tempfile.mkdtemp(prefix="crm-pg-"))  # under /tmp itself: the server's user must reach it
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    made = _as_postgres(os.path.join(BIN[-1], "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    if made.returncode:
        pytest.skip(f"initdb failed here: {made.stderr[-300:]}")
    port = free_port()
    ctl = os.path.join(BIN[-1], "pg_ctl")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start():
        done = _as_postgres(ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        assert done.returncode == 0, done.stderr

    def stop():
        _as_postgres(ctl, "-D", str(data), "-m", "fast", "-w", "stop")

    start()
    yield {"url": f"postgresql://postgres@127.0.0.1:{port}/postgres", "start": start, "stop": stop}
    stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_url(cluster):
    """make_app creates its database on the private cluster (this module runs once, not once per database kind)."""
    return cluster["url"]


async def test_the_database_restarts_under_load_and_the_server_recovers_by_itself(make_app, live_server, cluster):
    api = await make_app()
    base = await live_server(api, workers=2)
    headers = {"Authorization": f"Bearer {api.admin_token}"}
    seen: list[tuple[str, int, str]] = []  # (phase, status, code)
    phase = {"now": "before"}
    stop_at = {"t": float("inf")}

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def load(n: int) -> None:
            while time.monotonic() < stop_at["t"]:
                if n % 2:
                    response = await client.post("/graphql", json={"query": "{ customers(first: 5) { totalCount } }"}, headers=headers)
                else:
                    name = f"Restart {uuid.uuid4().hex[:10]}"
                    response = await client.post("/graphql", json={"query": CREATE, "variables": {"i": {
                        "kind": "COMPANY", "name": name, "emails": [{"value": f"{name[-10:]}@restart.example.com"}]}}}, headers=headers)
                body = response.json()
                code = (body.get("errors") or [{}])[0].get("extensions", {}).get("code", "ok") if body.get("errors") else "ok"
                seen.append((phase["now"], response.status_code, code))
                if code == "UNAVAILABLE":
                    assert response.status_code == 503 and response.headers.get("retry-after"), response.headers
                await asyncio.sleep(0.02)

        workers = [asyncio.create_task(load(n)) for n in range(6)]
        await asyncio.sleep(2)
        phase["now"] = "down"
        cluster["stop"]()
        await asyncio.sleep(3)
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        phase["now"] = "back"
        cluster["start"]()
        started = time.monotonic()
        while (await client.get("/readyz")).status_code != 200:
            assert time.monotonic() - started < 30, "the server did not recover within 30 s"
            await asyncio.sleep(0.2)
        phase["now"] = "after"
        await asyncio.sleep(2)
        stop_at["t"] = time.monotonic()
        await asyncio.gather(*workers)

    codes = {(p, c) for p, _, c in seen}
    assert ("before", "ok") in codes and ("after", "ok") in codes
    assert ("down", "UNAVAILABLE") in codes, sorted(codes)
    assert {c for _, _, c in seen} <= {"ok", "UNAVAILABLE"}, sorted(codes)  # never an INTERNAL error
    assert all(c == "ok" for p, _, c in seen if p == "after")  # recovered by itself

    async with api.runtime.db.read() as session:  # nothing half-applied
        orphans = await session.scalar(text("""SELECT count(*) FROM core_customer c WHERE c.name LIKE 'Restart %' AND (
            NOT EXISTS (SELECT 1 FROM core_channel h WHERE h.customer_id = c.id AND h.kind = 'email') OR
            NOT EXISTS (SELECT 1 FROM core_audit_entry a WHERE a.resource = 'customer' AND a.record_id = CAST(c.id AS VARCHAR)))"""))
        made = await session.scalar(text("SELECT count(*) FROM core_customer WHERE name LIKE 'Restart %'"))
    assert made > 0 and orphans == 0
