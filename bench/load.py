"""A mixed load, bounded in time and self-stopping: many users of different roles reading and writing at once.

    crm bench generate --customers 1000000        # once, with every module enabled, into CRM_DATABASE_URL
    python -m bench.load --minutes 5 --users 48    # report printed; --output writes it as JSON too

Starts the GraphQL server on 127.0.0.1 with `--workers` uvicorn workers (scheduled jobs off, so that the rows counted
are the requests' own), logs in bench managers, reps and the bench admin, and lets each virtual user loop over a
weighted mix of what their role does: lists, 360 views, timelines, reports, the lead pool, tickets at risk, stock
and overdue payments; customers, activities, deals, leads, tickets, payments and stock receipts written. At the end
it reports requests, throughput, p50/p95/p99 per operation and overall, every error (a `CONFLICT` is expected and
counted apart), each worker's resident memory at the start and the end, and the rows each write made, reconciled
against the database's own counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import text

from bench.run import ADMIN, LOGIN, start_server, wait_until_up, worker_memory
from crm.bench.generate import BENCH_PASSWORD
from crm.settings import load_settings

PORT = 8821
# What each write adds one row to: reconciled against the database at the end.
ROWS = {"create customer": "core_customer", "log activity": "core_activity", "create deal": "sales_opportunity",
        "create lead": "leads_lead", "create ticket": "service_ticket", "record payment": "contracts_payment",
        "receive stock": "inventory_movement"}


@dataclass
class User:
    email: str
    role: str
    token: str = ""
    customers: list[str] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)  # active contracts in the user's scope, to pay into


@dataclass
class World:
    pipeline: str | None
    pool: str | None
    product: str | None
    warehouse: str | None
    contracts: list[str]
    tickets: bool = False
    today: date = field(default_factory=date.today)


class Failed(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


async def gql(client: httpx.AsyncClient, user: User, query: str, variables: dict | None = None) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}},
                                 headers={"Authorization": f"Bearer {user.token}"})
    body = response.json()
    if body.get("errors"):
        error = body["errors"][0]
        raise Failed((error.get("extensions") or {}).get("code", "HTTP_%d" % response.status_code), error["message"][:200])
    for value in body["data"].values():
        if isinstance(value, dict) and value.get("errors"):
            raise Failed(value["errors"][0]["code"], value["errors"][0]["message"][:200])
    return body["data"]


def pick(rng: random.Random, user: User) -> str:
    return rng.choice(user.customers)


# Reads -------------------------------------------------------------------------------------------------------------

async def customers_page(c, u, w, rng):
    await gql(c, u, "{ customers(first: 50) { totalCount edges { node { id name owner { name } summary { lastContactAt } } } } }")


async def customer_360(c, u, w, rng):
    await gql(c, u, """query($id: ID!) { customer(id: $id) { name contacts { name emails { value } } tags
      summary { openTaskCount lastContactAt } timeline(first: 20) { edges { node { kind title occurredAt } } }
      opportunities(first: 10) { edges { node { name amount stage { name } } } } tickets(first: 5) { edges { node { subject } } } } }""",
              {"id": pick(rng, u)})


async def search(c, u, w, rng):
    await gql(c, u, 'query($s: String!) { customers(first: 20, filter: {search: $s}) { edges { node { id name } } } }',
              {"s": rng.choice(["Acme", "Globex", "Initech", "Hooli", "Anna", "Ben"])})


async def funnel(c, u, w, rng):
    year = w.today.year
    await gql(c, u, 'query($p: ID!, $f: Date!, $t: Date!) { salesFunnel(pipelineId: $p, from: $f, to: $t) { stages { stage { name } reached } } }',
              {"p": w.pipeline, "f": f"{year - 1}-01-01", "t": f"{year}-12-31"})


async def pool_page(c, u, w, rng):
    await gql(c, u, "{ leadPools { name waiting } }")


async def at_risk(c, u, w, rng):
    await gql(c, u, "{ ticketsAtRisk(first: 20) { totalCount edges { node { subject } } } }")


async def stock(c, u, w, rng):
    await gql(c, u, "{ stockLevels(first: 20) { edges { node { onHand reserved available } } } }")


async def overdue(c, u, w, rng):
    await gql(c, u, "{ overduePayments(first: 20) { totalCount edges { node { daysOverdue outstanding } } } }")


# Writes ------------------------------------------------------------------------------------------------------------

async def create_customer(c, u, w, rng):
    data = await gql(c, u, """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } errors { code message } } }""",
                     {"i": {"kind": "COMPANY", "name": f"Load {uuid.uuid4().hex[:10]}", "tags": ["load"]}})
    u.customers.append(data["createCustomer"]["customer"]["id"])


async def log_activity(c, u, w, rng):
    await gql(c, u, "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } errors { code message } } }",
              {"i": {"customerId": pick(rng, u), "kind": rng.choice(["call", "email", "meeting", "note"]), "subject": "Load test touchpoint"}})


async def create_deal(c, u, w, rng):
    await gql(c, u, "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { opportunity { id } errors { code message } } }",
              {"i": {"customerId": pick(rng, u), "name": "Load deal", "amount": str(rng.randrange(1000, 90000)), "currency": "EUR"}})


async def create_lead(c, u, w, rng):
    await gql(c, u, "mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } errors { code message } } }",
              {"i": {"name": f"Lead {uuid.uuid4().hex[:8]}", "companyName": "Load GmbH", "emails": [f"{uuid.uuid4().hex[:10]}@load.example.com"]}})


async def create_ticket(c, u, w, rng):
    await gql(c, u, "mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } errors { code message } } }",
              {"i": {"customerId": pick(rng, u), "subject": "Load test: the printer is jammed", "channel": "PHONE"}})


async def record_payment(c, u, w, rng):
    await gql(c, u, "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { errors { code message } } }",
              {"i": {"contractId": rng.choice(u.contracts), "amount": "1.00", "receivedOn": w.today.isoformat(),
                     "reference": f"load-{uuid.uuid4().hex[:8]}", "asCredit": True}})


async def receive_stock(c, u, w, rng):
    await gql(c, u, "mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { errors { code message } } }",
              {"i": {"productId": w.product, "warehouseId": w.warehouse, "quantity": "5", "unitCost": "2.50"}})


# Who does what, how often (weights), and what their writes need.
MIX = {
    "rep": [(customers_page, 14), (customer_360, 20), (search, 8), (pool_page, 4), (log_activity, 10), (create_deal, 4),
            (create_customer, 3), (create_lead, 3), (create_ticket, 3)],
    "manager": [(customers_page, 10), (customer_360, 10), (funnel, 4), (at_risk, 4), (overdue, 4), (stock, 3), (log_activity, 4),
                (record_payment, 3)],
    "admin": [(customers_page, 6), (customer_360, 6), (stock, 4), (receive_stock, 4), (overdue, 3), (record_payment, 2)],
}
NEEDS = {funnel: "pipeline", pool_page: "pool", stock: "warehouse", receive_stock: "product", record_payment: "contracts",
         at_risk: "tickets", create_ticket: "tickets", create_lead: "pool", overdue: "contracts", create_deal: "pipeline"}


async def prepare(base: str, settings, managers: int, reps: int) -> tuple[list[User], World, dict]:
    from crm.db import Database
    from crm.identity.admin import create_admin
    from crm.system.state import enabled_plugins

    db = Database(settings.database_url)
    async with db.read() as session:
        if not await session.scalar(text("SELECT id FROM core_user WHERE email = :e"), {"e": ADMIN}):
            await create_admin(db, settings, ADMIN, BENCH_PASSWORD, "Bench Admin")
        plugins = set(await enabled_plugins(db))

        async def one(sql: str):
            value = await session.scalar(text(sql))
            return str(value) if value is not None else None

        world = World(
            pipeline=await one("SELECT id FROM sales_pipeline WHERE is_default") if "sales" in plugins else None,
            pool=await one("SELECT min(id) FROM leads_pool") if "leads" in plugins else None,
            product=await one("SELECT min(id) FROM catalogue_product") if "inventory" in plugins else None,
            warehouse=await one("SELECT min(id) FROM inventory_warehouse") if "inventory" in plugins else None,
            contracts=[str(i) for i in (await session.scalars(text(
                "SELECT id FROM contracts_contract WHERE status = 'active' ORDER BY id LIMIT 500"))).all()] if "contracts" in plugins else [],
            tickets="service" in plugins,
        )
    await db.dispose()
    users = [User(ADMIN, "admin")]
    users += [User(f"bench-{i}@example.com", "manager") for i in range(1, managers + 1)]
    users += [User(f"bench-{i}@example.com", "rep") for i in range(11, 11 + reps)]
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for user in users:
            body = (await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": user.email, "password": BENCH_PASSWORD}}})).json()
            user.token = body["data"]["login"]["token"]
            page = await gql(client, user, "{ customers(first: 100) { edges { node { id } } } }")
            user.customers = [e["node"]["id"] for e in page["customers"]["edges"]]
            if world.contracts and user.role != "rep":
                found = await gql(client, user, "{ contracts(first: 50, filter: {status: ACTIVE}) { edges { node { id } } } }")
                user.contracts = [e["node"]["id"] for e in found["contracts"]["edges"]]
    return [u for u in users if u.customers], world, plugins


def allowed(fn, world: World, user: User) -> bool:
    need = NEEDS.get(fn)
    if fn is record_payment:
        return bool(user.contracts)
    return need is None or bool(getattr(world, need, None))


async def row_counts(settings) -> dict[str, int]:
    from crm.db import Database

    db = Database(settings.database_url)
    counts = {}
    async with db.read() as session:
        for table in set(ROWS.values()):
            try:
                counts[table] = await session.scalar(text(f"SELECT count(*) FROM {table}"))
            except Exception:  # noqa: BLE001 - a module that is not enabled has no table
                await session.rollback()
    await db.dispose()
    return counts


async def run(args) -> dict:
    settings = load_settings()
    server = start_server("crm.api.app:create_app", PORT, args.workers, settings.database_url)
    base = f"http://127.0.0.1:{PORT}"
    try:
        await wait_until_up(f"{base}/graphql")
        users, world, plugins = await prepare(base, settings, args.managers, args.reps)
        random.Random(1).shuffle(users)  # any number of virtual users gets the roles' mix, not the admin and managers first
        before_rows = await row_counts(settings)
        latencies: dict[str, list[float]] = defaultdict(list)
        outcomes: Counter = Counter()
        errors: list[str] = []
        succeeded: Counter = Counter()
        limits = httpx.Limits(max_connections=args.users, max_keepalive_connections=args.users)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
            for user in users[:4]:  # warm each worker's caches before the memory is read
                await customers_page(client, user, world, random.Random(0))
            memory_start = worker_memory(server)
            stop = time.monotonic() + args.minutes * 60

            async def virtual_user(n: int) -> None:
                rng = random.Random(n)
                user = users[n % len(users)]
                mix = [(fn, weight) for fn, weight in MIX[user.role] if allowed(fn, world, user)]
                fns, weights = zip(*mix)
                while time.monotonic() < stop:
                    fn = rng.choices(fns, weights)[0]
                    name = fn.__name__.replace("_", " ")
                    began = time.perf_counter()
                    try:
                        await fn(client, user, world, rng)
                    except Failed as exc:
                        outcomes[exc.code] += 1
                        if exc.code != "CONFLICT":
                            errors.append(f"{name}: {exc.code}: {exc}")
                    except httpx.HTTPError as exc:
                        outcomes["TRANSPORT"] += 1
                        errors.append(f"{name}: {type(exc).__name__}")
                    else:
                        outcomes["ok"] += 1
                        succeeded[name] += 1
                        latencies[name].append(time.perf_counter() - began)

            started = time.monotonic()
            await asyncio.gather(*(virtual_user(n) for n in range(args.users)))
            elapsed = time.monotonic() - started
            memory_end = worker_memory(server)
        after_rows = await row_counts(settings)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1) if values else float("nan")

    everything = [v for values in latencies.values() for v in values]
    reconciled = {}
    for name, table in ROWS.items():
        if table in before_rows:
            made = after_rows[table] - before_rows[table]
            reconciled[name] = {"succeeded": succeeded[name], "rows": made, "match": made == succeeded[name]}
    return {
        "minutes": args.minutes, "workers": args.workers, "virtual_users": args.users, "logged_in_users": len(users),
        "plugins": sorted(plugins), "requests": sum(outcomes.values()), "throughput": round(sum(outcomes.values()) / elapsed, 1),
        "latency_ms": {"p50": pct(everything, 0.5), "p95": pct(everything, 0.95), "p99": pct(everything, 0.99)},
        "operations": {name: {"ok": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "p99": pct(values, 0.99)}
                       for name, values in sorted(latencies.items())},
        "outcomes": dict(outcomes), "errors": len(errors), "first_errors": errors[:10],
        "worker_memory_mib": {"start": sorted(round(v) for v in memory_start.values()), "end": sorted(round(v) for v in memory_end.values())},
        "rows": reconciled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=48, help="Virtual users (concurrent loops).")
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    report = asyncio.run(run(args))
    text_report = json.dumps(report, indent=2)
    print(text_report)
    if args.output:
        args.output.write_text(text_report + "\n")
    if report["errors"] or any(not r["match"] for r in report["rows"].values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
