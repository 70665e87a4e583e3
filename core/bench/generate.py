"""`crm bench generate --customers N`: realistic, seeded data for every enabled module that provides a generator.

Each module's `crm.BenchData.generate(ctx, first, count)` yields `(table, columns, rows)` batches for customers
`first .. first + count - 1`; the core makes the customers, their 2 contacts, emails and phones, tags and 10
activities each. Customers are produced in chunks, so memory stays flat whatever N is; every module sees the same
chunk, so its rows can point at the chunk's customers. Distributions are skewed the way real books of business
are: a few owners hold many customers, tags, regions and industries follow Zipf-like weights.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from crm.activities.models import Activity
from crm.bench.loader import Loader
from crm.customers.models import Channel, Contact, Customer, CustomerTag
from crm.identity.models import CasbinRule, Role, Team, TeamMember, User
from crm.identity.passwords import hash_password
from crm.identity.policy import role_subject, user_subject
from crm.system.state import bump

CHUNK = 5_000
BENCH_PASSWORD = "bench-password-1"
WORDS = ["Alpha", "Blue", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen",
         "Maple", "Nova", "Orbit", "Pine", "Quartz", "River", "Summit", "Tide", "Union", "Vertex", "Willow", "Xenon",
         "Yarrow", "Zephyr"]
SUFFIXES = ["Bank", "Telecom", "Retail", "Logistics", "Foods", "Energy", "Health", "Labs", "Systems", "Partners"]
FIRST = ["Anna", "Ben", "Carla", "David", "Eva", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mara", "Nils",
         "Olga", "Paul", "Rosa", "Sven", "Tara", "Umar"]
LAST = ["Berg", "Costa", "Dietz", "Engel", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Keller", "Lopez", "Meyer",
        "Novak", "Olsen", "Petrov", "Quinn", "Rossi", "Schulz", "Tanaka", "Weber"]
INDUSTRIES = ["retail", "banking", "telecom", "manufacturing", "software", "health", "logistics", "energy", "media", "public"]
REGIONS = ["north", "south", "east", "west", "central", "islands", "overseas"]
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
SOURCES = ["web", "referral", "event", "partner", "cold call", "campaign"]
STAGES = ["customer", "customer", "prospect", "churned", "partner"]
TAGS = [f"tag-{i}" for i in range(50)]
ACTIVITY_KINDS = ["call", "email", "meeting", "note", "task", "visit"]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return list(itertools.accumulate(1 / (rank ** s) for rank in range(1, n + 1)))


@dataclasses.dataclass
class BenchContext:
    """What every generator shares: the seeded randomness, the owners (skewed), the reference time."""

    rng: random.Random
    owners: list[int]
    owner_weights: list[float]
    now: datetime
    next_ids: dict[str, int]
    prepared: dict[str, object] = dataclasses.field(default_factory=dict)

    def take_ids(self, table: str, count: int) -> int:
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return first

    def choose_owners(self, k: int) -> list[int]:
        return self.rng.choices(self.owners, cum_weights=self.owner_weights, k=k)


async def make_people(runtime, users: int, teams: int, rng: random.Random) -> list[int]:
    """Bench users (sales reps in teams, one manager per team) with a known password; returns their ids."""
    digest = hash_password(BENCH_PASSWORD, runtime.settings.password_hash_profile)
    async with runtime.db.write() as session:
        roles = {r.name: r.id for r in (await session.scalars(select(Role))).all()}
        existing = set((await session.scalars(select(User.email).where(User.email.like("bench-%")))).all())
        team_rows = []
        for t in range(teams):
            team = await session.scalar(select(Team).where(Team.name == f"Bench team {t + 1}"))
            if team is None:
                team = Team(name=f"Bench team {t + 1}")
                session.add(team)
                await session.flush()
            team_rows.append(team)
        for i in range(users):
            email = f"bench-{i + 1}@example.com"
            if email in existing:
                continue
            user = User(email=email, name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i + 1}", password_hash=digest)
            session.add(user)
            await session.flush()
            team = team_rows[i % teams]
            role = "manager" if i < teams else "sales_rep"
            if role == "manager":
                team.manager_id = user.id
            session.add(TeamMember(team_id=team.id, user_id=user.id))
            session.add(CasbinRule(ptype="g", v0=user_subject(user.id), v1=role_subject(roles[role])))
        await bump(session, "policy")
        ids = list((await session.scalars(select(User.id).where(User.email.like("bench-%")).order_by(User.id))).all())
    return ids


def core_chunk(ctx: BenchContext, first: int, count: int):
    """Customers first..first+count-1 with tags, emails, phones, 2 contacts each and 10 activities each."""
    rng, now = ctx.rng, ctx.now
    owners = ctx.choose_owners(count)
    industries = rng.choices(INDUSTRIES, cum_weights=zipf_weights(len(INDUSTRIES)), k=count)
    regions = rng.choices(REGIONS, cum_weights=zipf_weights(len(REGIONS)), k=count)
    tag_weights = zipf_weights(len(TAGS))
    two_years = 2 * 365 * 86400
    customers, tags, channels, contacts, activities = [], [], [], [], []
    channel_id = ctx.take_ids("core_channel", count * 4)
    contact_id = ctx.take_ids("core_contact", count * 2)
    activity_id = ctx.take_ids("core_activity", count * 10)
    for n in range(count):
        cid = first + n
        company = rng.random() < 0.7
        if company:
            name = f"{WORDS[cid % 26]} {WORDS[(cid // 26) % 26]} {SUFFIXES[cid % 10]} {cid}"
            domain = f"{WORDS[cid % 26].lower()}{cid}.example.com"
        else:
            name = f"{FIRST[cid % 20]} {LAST[(cid // 20) % 20]} {cid}"
            domain = "mail.example.com"
        created = now - timedelta(seconds=rng.randrange(two_years))
        owner = owners[n]
        customers.append((cid, "company" if company else "person", name, name.lower(), industries[n], rng.choice(SIZES), regions[n],
                          rng.choice(SOURCES), rng.choice(STAGES), f"https://{domain}" if company else None,
                          domain if company else None, None, "[]", "{}", created, created, owner, None, 1))
        for tag in set(rng.choices(TAGS, cum_weights=tag_weights, k=rng.randrange(4))):
            tags.append((cid, tag))
        email = f"info@{domain}" if company else f"{FIRST[cid % 20].lower()}.{cid}@{domain}"
        phone = f"+1555{cid:08d}"
        channels.append((channel_id, cid, None, "email", email, email, "work", 0))
        channels.append((channel_id + 1, cid, None, "phone", phone, phone, "work", 0))
        channel_id += 2
        for k in range(2):
            person = f"{FIRST[(cid + k) % 20]} {LAST[(cid * 7 + k) % 20]}"
            contacts.append((contact_id, cid, person, rng.choice(["CEO", "CFO", "Buyer", "IT lead", "Assistant"]), None, "email",
                             True, k == 0, "{}", created, created, owner, None, 1))
            address = f"{person.split()[0].lower()}.{contact_id}@{domain}"
            channels.append((channel_id, cid, contact_id, "email", address, address, "work", 0))
            channel_id += 1
            contact_id += 1
        for _ in range(10):
            kind = rng.choice(ACTIVITY_KINDS)
            when = now - timedelta(seconds=rng.randrange(two_years))
            task = kind == "task"
            done = task and rng.random() < 0.7
            activities.append((activity_id, cid, kind, f"{kind} with {name}", None, rng.choice(["inbound", "outbound"]), when,
                               rng.randrange(5, 60), None, None, None, when + timedelta(days=7) if task else None,
                               owner if task else None, done, when + timedelta(days=2) if done else None, when, when, owner, None, 1))
            activity_id += 1
    yield Customer.__table__, CUSTOMER_COLUMNS, customers
    yield CustomerTag.__table__, ("customer_id", "tag"), tags
    yield Contact.__table__, CONTACT_COLUMNS, contacts
    yield Channel.__table__, CHANNEL_COLUMNS, channels
    yield Activity.__table__, ACTIVITY_COLUMNS, activities


CUSTOMER_COLUMNS = ("id", "kind", "name", "search_name", "industry", "size", "region", "source", "lifecycle_stage", "website",
                    "website_domain", "notes", "addresses", "custom_fields", "created_at", "updated_at", "owner_id", "deleted_at", "version")
CONTACT_COLUMNS = ("id", "customer_id", "name", "title", "birthday", "preferred_channel", "consent", "is_primary", "custom_fields",
                   "created_at", "updated_at", "owner_id", "deleted_at", "version")
CHANNEL_COLUMNS = ("id", "customer_id", "contact_id", "kind", "value", "normalized", "label", "position")
ACTIVITY_COLUMNS = ("id", "customer_id", "kind", "subject", "body", "direction", "occurred_at", "duration_minutes", "outcome",
                    "record_type", "record_id", "due_at", "assignee_id", "done", "done_at", "created_at", "updated_at", "owner_id",
                    "deleted_at", "version")


async def generate(runtime, customers: int, *, seed: int = 42, users: int = 200, teams: int = 10, progress=None) -> int:
    """Add `customers` customers (and every enabled module's rows for them); returns the number of rows written."""
    from crm.runtime import collect

    rng = random.Random(seed)
    owners = await make_people(runtime, users, teams, rng)
    extra = sorted((d for _, group in collect(runtime.pm, "crm_register_bench_data") for d in group), key=lambda d: d.order)
    loader = Loader(runtime.db)
    tables = [Customer.__table__, Contact.__table__, Channel.__table__, Activity.__table__]
    next_ids = {t.name: await loader.next_id(t) for t in tables}
    for d in extra:
        for table in d.tables:
            if "id" in table.c:  # tables keyed otherwise (a payment's allocations) take no ids
                next_ids[table.name] = await loader.next_id(table)
    today = datetime.combine(datetime.now(UTC).date(), time(), UTC)
    ctx = BenchContext(rng=rng, owners=owners, owner_weights=zipf_weights(len(owners)), now=today, next_ids=next_ids)
    for d in extra:
        if d.prepare is not None:
            ctx.prepared[d.name] = await d.prepare(runtime)
    await loader.start()
    try:
        first = next_ids.pop("core_customer")
        done = 0
        while done < customers:
            count = min(CHUNK, customers - done)
            for table, columns, rows in core_chunk(ctx, first + done, count):
                await loader.load(table, columns, rows)
            for d in extra:
                for table, columns, rows in d.generate(ctx, first + done, count):
                    await loader.load(table, columns, rows)
            done += count
            if progress:
                progress(count)
    finally:
        await loader.finish()
    for d in extra:
        if d.finish is not None:
            await d.finish(runtime)
    return loader.rows
