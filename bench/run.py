"""Run the benchmark suite against real servers on 127.0.0.1 and print a report.

    crm bench generate --customers 10000            # once, into CRM_DATABASE_URL
    python -m bench.run --runs 3                    # every scenario, concurrency 1 and 32, medians of 3 runs

The GraphQL server (`crm.api.app`) and the raw endpoint (`bench/raw_app.py`) are started with the same number of
uvicorn workers; the load comes from this process (httpx), bounded by time and self-stopping. Scenarios are the
files in bench/scenarios/; a scenario whose plugin is not enabled is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import pkgutil
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import event, text

from bench.harness import Context, Scenario
from crm.api.pagination import encode_cursor
from crm.bench.generate import BENCH_PASSWORD
from crm.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "bench-admin@example.com"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { token errors { message } } }"


def scenarios() -> list[Scenario]:
    import bench.scenarios as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        found.extend(importlib.import_module(f"bench.scenarios.{info.name}").SCENARIOS)
    return found


def start_server(app: str, port: int, workers: int, database_url: str) -> subprocess.Popen:
    """uvicorn serving `app` on 127.0.0.1:`port` with the database of `database_url`, scheduled jobs off (what the
    database holds is the requests' doing)."""
    env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_JOBS_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--no-access-log", "--log-level", "warning", "--app-dir", str(ROOT)]
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                await client.post(url, json={})
                return
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not come up in {seconds} s")


def worker_memory(master: subprocess.Popen, field: str = "VmRSS") -> dict[int, float]:
    """`field` of /proc/PID/status (VmRSS: resident now, VmHWM: its peak) of each worker of the uvicorn master, in MiB;
    multiprocessing's resource tracker, also a child, is left out."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master.pid or b"resource_tracker" in (stat.parent / "cmdline").read_bytes():
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith(f"{field}:"):
                found[int(stat.parent.name)] = int(line.split()[1]) / 1024
    return found


def worker_peak_memory(master: subprocess.Popen) -> float:
    """Largest peak resident memory (VmHWM) among the master's worker processes, in MiB."""
    peaks = worker_memory(master, "VmHWM").values()
    return max(peaks) if peaks else float("nan")


async def prepare(settings) -> tuple[Context, set[str], int]:
    """The bench admin, a token, a sample of customers, a cursor deep in the list, the enabled plugins."""
    from crm.db import Database
    from crm.identity.admin import create_admin
    from crm.system.state import enabled_plugins

    db = Database(settings.database_url)
    async with db.read() as session:
        exists = await session.scalar(text("SELECT id FROM core_user WHERE email = :e"), {"e": ADMIN})
        total = await session.scalar(text("SELECT COUNT(*) FROM core_customer WHERE deleted_at IS NULL"))
        offset = min(500_000, total // 2)
        deep = (await session.execute(text(
            "SELECT search_name, id FROM core_customer WHERE deleted_at IS NULL ORDER BY search_name, id LIMIT 1 OFFSET :k"), {"k": offset})).first()
        step = max(1, total // 2000)
        ids = list((await session.scalars(text("SELECT id FROM core_customer WHERE deleted_at IS NULL AND id % :s = 0 LIMIT 2000"), {"s": step})).all())
        pipeline = None
        plugins = set(await enabled_plugins(db))
        if "sales" in plugins:
            pipeline = await session.scalar(text("SELECT id FROM sales_pipeline WHERE is_default"))
    if not exists:
        await create_admin(db, settings, ADMIN, BENCH_PASSWORD, "Bench Admin")
    await db.dispose()
    cursor = encode_cursor([deep[0], deep[1]]) if deep else None
    ctx = Context(token="", customers=total, customer_ids=ids, deep_cursor=cursor, deep_offset=offset,
                  pipeline_id=str(pipeline) if pipeline else None)
    return ctx, plugins | {"core"}, total


async def login(base: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        body = (await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": ADMIN, "password": BENCH_PASSWORD}}})).json()
    return body["data"]["login"]["token"]


async def measure(scenario: Scenario, ctx: Context, base: str, concurrency: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for i in range(min(concurrency, 4)):  # warm connections and caches
            try:
                await scenario.call(client, ctx, i)
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                errors.append(repr(exc))
        stop = time.perf_counter() + duration

        async def worker(i: int) -> None:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                try:
                    await scenario.call(client, ctx, i)
                except Exception as exc:  # noqa: BLE001
                    errors.append(repr(exc)[:300])
                else:
                    latencies.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"ops": len(latencies), "throughput": len(latencies) / elapsed, "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
            "errors": len(errors), "first_error": errors[0] if errors else None}


async def statements(settings, ctx: Context) -> dict[str, int]:
    """SQL statements per request for the list (at 10 and 50 rows) and the 360 view, counted in-process."""
    from crm.api.app import build_app
    from crm.runtime import Runtime
    from bench.scenarios import core

    runtime = await Runtime.start(settings.model_copy(update={"jobs_enabled": False}))
    count = {"n": 0}
    for engine in runtime.db.engines:
        event.listen(engine.sync_engine, "before_cursor_execute", lambda *a, **k: count.__setitem__("n", count["n"] + 1))
    out = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url="http://bench") as client:
        token = (await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": ADMIN, "password": BENCH_PASSWORD}}})).json()
        headers = {"Authorization": f"Bearer {token['data']['login']['token']}"}
        for label, query, variables in (
            ("list 10", core.LIST.replace("first: 50", "first: 10"), {}),
            ("list 50", core.LIST, {}),
            ("customer 360", core.VIEW, {"id": str(ctx.customer_ids[0])}),
        ):
            await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)  # warm the policy cache
            count["n"] = 0
            body = (await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)).json()
            assert "errors" not in body, body
            out[label] = count["n"]
    await runtime.stop()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,32")
    parser.add_argument("--duration", type=float, default=8.0, help="Seconds of load per scenario and concurrency.")
    parser.add_argument("--runs", type=int, default=3, help="Repeat and report medians.")
    parser.add_argument("--only", default="", help="Run scenarios whose name contains this.")
    parser.add_argument("--output", type=Path, help="Also write the results as JSON.")
    args = parser.parse_args()
    settings = load_settings()
    ctx, plugins, total = await prepare(settings)
    servers = {"graphql": (start_server("crm.api.app:create_app", 8811, args.workers, settings.database_url), "http://127.0.0.1:8811"),
               "raw": (start_server("bench.raw_app:create_app", 8812, args.workers, settings.database_url), "http://127.0.0.1:8812")}
    results = []
    try:
        await wait_until_up("http://127.0.0.1:8811/graphql")
        await wait_until_up("http://127.0.0.1:8812/raw/customers")
        ctx.token = await login("http://127.0.0.1:8811")
        chosen = [s for s in scenarios() if s.plugin in plugins and args.only in s.name]
        for scenario in chosen:
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                runs = [await measure(scenario, ctx, servers[scenario.target][1], concurrency, args.duration) for _ in range(args.runs)]
                row = {"scenario": scenario.name, "concurrency": concurrency,
                       **{k: statistics.median(r[k] for r in runs) for k in ("throughput", "p50", "p95", "p99")},
                       "errors": sum(r["errors"] for r in runs), "first_error": next((r["first_error"] for r in runs if r["first_error"]), None)}
                results.append(row)
                print(f"{row['scenario']:<32} c={concurrency:<3} {row['throughput']:8.1f} ops/s  p50 {row['p50']:7.1f} ms  "
                      f"p95 {row['p95']:7.1f} ms  p99 {row['p99']:7.1f} ms  errors {row['errors']}", flush=True)
                if row["first_error"]:
                    print(f"    first error: {row['first_error']}")
        memory = {name: worker_peak_memory(proc) for name, (proc, _) in servers.items()}
    finally:
        for proc, _ in servers.values():
            proc.terminate()
        for proc, _ in servers.values():
            proc.wait(timeout=30)
    counts = await statements(settings, ctx)
    report = {"database": settings.database_url.split("@")[-1].split("?")[0], "customers": total, "workers": args.workers,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": results, "peak_memory_mib": memory, "statements": counts, "deep_offset": ctx.deep_offset}
    print(json.dumps({k: v for k, v in report.items() if k != "results"}, indent=2))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
