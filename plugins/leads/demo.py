"""Demo data for `crm demo`: two pools the reps share, leads waiting in them, leads being worked, a few converted."""

from __future__ import annotations

from datetime import timedelta

from crm import utcnow
from crm.plugins.leads.duplicates import channel_rows
from crm.plugins.leads.models import Lead, LeadChannel, LeadEvent, LeadPool, LeadPoolMember

FIRST = ["Ada", "Grace", "Linus", "Mo", "Kim", "Ravi", "Sofia", "Yuki", "Omar", "Lena", "Jon", "Ines"]
LAST = ["Meyer", "Okafor", "Tanaka", "Silva", "Novak", "Larsen", "Haddad", "Costa", "Weber", "Kowalski"]
SOURCES = ["web", "event", "referral", "partner", "cold call"]


async def load(session, rng, users) -> int:
    reps = [users["sales_rep"], users["sales_rep2"]]
    pools = [LeadPool(name="EMEA inbound", claim_limit=20, recycle_after_days=14, active=True),
             LeadPool(name="Partners", claim_limit=10, convert_within_days=60, active=True)]
    session.add_all(pools)
    await session.flush()
    session.add_all(LeadPoolMember(pool_id=p.id, user_id=u.id) for p in pools for u in reps)
    now = utcnow()
    count = 0
    for i in range(80):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        created = now - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23))
        pool = rng.choice(pools)
        owner = rng.choice(reps) if rng.random() < 0.5 else None
        lead = Lead(name=f"{first} {last}", company_name=f"{last} {rng.choice(['GmbH', 'Ltd', 'SA', 'Inc'])}", title="Head of sales",
                    emails=[f"{first.lower()}.{last.lower()}{i}@example.com"], phones=[], source=rng.choice(SOURCES),
                    region=rng.choice(["EMEA", "APAC", "AMER"]), status="new", score=rng.randint(0, 100), pool_id=pool.id,
                    owner_id=owner.id if owner else None, claimed_at=created + timedelta(days=1) if owner else None,
                    created_at=created, updated_at=created, tags=[])
        if owner and rng.random() < 0.5:
            lead.status, lead.last_follow_up_at = "working", created + timedelta(days=2)
        session.add(lead)
        await session.flush()
        session.add_all(LeadChannel(**row) for row in channel_rows(lead.id, lead.emails, lead.phones))
        session.add(LeadEvent(lead_id=lead.id, at=created, kind="created", pool_id=pool.id))
        if owner:
            session.add(LeadEvent(lead_id=lead.id, at=lead.claimed_at, kind="claimed", actor_id=owner.id, owner_id=owner.id, pool_id=pool.id))
        count += 1
    return count
