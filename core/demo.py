"""Demo data: a small company with a team, reps, customers, contacts and a history of activities.

Each enabled plugin adds its own records through `crm_register_demo_data`. Reproducible: the same seed gives the
same data.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from crm.activities.models import Activity
from crm.customers import normalise
from crm.customers.models import Channel, Contact, Customer, CustomerTag

from crm.identity.models import CasbinRule, Role, Team, TeamMember, User
from crm.identity.passwords import hash_password
from crm.identity.policy import role_subject, user_subject
from crm.models import utcnow
from crm.system.models import Counter
from crm.system.state import bump

DEMO_PASSWORD = "demo-password-1"
PEOPLE = [
    ("admin@example.com", "Ada Admin", "admin"),
    ("manager@example.com", "Max Manager", "manager"),
    ("rep1@example.com", "Rita Rep", "sales_rep"),
    ("rep2@example.com", "Sam Rep", "sales_rep"),
    ("viewer@example.com", "Vic Viewer", "viewer"),
]
INDUSTRIES = ["banking", "telecom", "retail", "manufacturing", "software", "health", "logistics"]
REGIONS = ["north", "south", "east", "west", "central"]
WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka"]
SUFFIXES = ["GmbH", "Ltd", "Inc", "AG", "Group", "Partners", "Holdings"]
FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Kim", "Lea"]
LAST = ["Meyer", "Schmidt", "Novak", "Rossi", "Garcia", "Smith", "Kowalski", "Jensen", "Dubois", "Silva"]


async def load_people(session, rng: random.Random, profile: str) -> dict[str, User]:
    roles = {r.name: r for r in (await session.scalars(select(Role))).all()}
    users = {}
    for email, name, role in PEOPLE:
        user = User(email=email, name=name, password_hash=hash_password(DEMO_PASSWORD, profile))
        session.add(user)
        await session.flush()
        session.add(CasbinRule(ptype="g", v0=user_subject(user.id), v1=role_subject(roles[role].id)))
        users[role if role not in users else f"{role}2"] = user
    team = Team(name="Field sales", manager_id=users["manager"].id)
    session.add(team)
    await session.flush()
    for key in ("sales_rep", "sales_rep2", "manager"):
        session.add(TeamMember(team_id=team.id, user_id=users[key].id))
    await bump(session, "policy")
    return users


async def load_customers(session, rng: random.Random, users: dict[str, User], count: int = 120) -> int:
    owners = [users["sales_rep"], users["sales_rep2"], users["manager"]]
    now = utcnow()
    for i in range(count):
        company = rng.random() < 0.75
        name = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES)} {i + 1}" if company else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        owner = rng.choices(owners, weights=[5, 3, 1])[0]
        customer = Customer(
            kind="company" if company else "person", name=name, search_name=normalise.search_name(name),
            industry=rng.choice(INDUSTRIES), region=rng.choice(REGIONS), source=rng.choice(["web", "referral", "event", "cold call"]),
            lifecycle_stage=rng.choice(["prospect", "customer", "customer", "churned"]),
            website=f"https://{name.split()[0].lower()}{i}.example.com" if company else None, addresses=[], custom_fields={},
            owner_id=owner.id, created_at=now - timedelta(days=rng.randint(1, 700)),
        )
        customer.website_domain = normalise.website_domain(customer.website)
        session.add(customer)
        await session.flush()
        session.add_all(CustomerTag(customer_id=customer.id, tag=t) for t in rng.sample(["vip", "newsletter", "partner", "at-risk", "enterprise"], rng.randint(0, 2)))
        email = f"info@{customer.website_domain}" if company else f"{name.split()[0].lower()}{i}@mail.example.com"
        session.add(Channel(customer_id=customer.id, kind="email", value=email, normalized=email, position=0))
        for c in range(2 if company else 0):
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            contact = Contact(customer_id=customer.id, name=person, title=rng.choice(["CEO", "CFO", "Buyer", "IT lead"]),
                              consent=rng.random() < 0.7, is_primary=c == 0, custom_fields={}, owner_id=owner.id)
            session.add(contact)
            await session.flush()
            address = f"{person.split()[0].lower()}.{c}@{customer.website_domain}"
            session.add(Channel(customer_id=customer.id, contact_id=contact.id, kind="email", value=address, normalized=address))
        for _ in range(rng.randint(2, 8)):
            kind = rng.choice(["call", "email", "meeting", "note", "task"])
            when = now - timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 23))
            session.add(Activity(
                customer_id=customer.id, kind=kind, subject=f"{kind.title()} with {name}", occurred_at=when, owner_id=owner.id,
                direction=rng.choice(["inbound", "outbound"]) if kind in ("call", "email") else None,
                due_at=when + timedelta(days=7) if kind == "task" else None, assignee_id=owner.id if kind == "task" else None,
                done=kind == "task" and rng.random() < 0.5,
            ))
    await session.flush()
    return count


async def already_loaded(db) -> bool:
    async with db.read() as session:
        return await session.get(Counter, "demo") is not None


async def load_demo(runtime, progress=None, seed: int = 7) -> dict[str, str]:
    """Load the demo data once; returns the logins. `progress(step, total, label)` reports each loader."""
    rng = random.Random(seed)
    extra = [d for _, group in _collect_demo(runtime) for d in group]
    steps = sorted(extra, key=lambda d: d.order)
    total = 2 + len(steps)
    profile = runtime.settings.password_hash_profile
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        if progress:
            progress(0, total, "people and roles")
        users = await load_people(session, rng, profile)
        if progress:
            progress(1, total, "customers, contacts and activities")
        await load_customers(session, rng, users)
        for i, step in enumerate(steps, start=2):
            if progress:
                progress(i, total, step.name)
            await step.load(session, rng, users)
        session.add(Counter(name="demo", value=1))
    if progress:
        progress(total, total, "done")
    await runtime.policy.refresh(force=True)
    return demo_logins()


def demo_logins() -> dict[str, str]:
    """The demo users and their password, to print whenever the demo is served."""
    return {email: DEMO_PASSWORD for email, _, _ in PEOPLE}


def _collect_demo(runtime):
    from crm.runtime import collect

    return collect(runtime.pm, "crm_register_demo_data")



