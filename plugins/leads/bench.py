"""Leads at scale for `crm bench generate`: one lead per customer, half of them waiting in two pools whose members
are the bench users, the other half owned (claimed some days ago), each with its e-mail and its history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import crm
from crm.plugins.leads.models import Lead, LeadChannel, LeadEvent, LeadPool, LeadPoolMember

SOURCES = ("web", "event", "referral", "partner", "web form")
LEAD_COLUMNS = ("id", "name", "company_name", "title", "emails", "phones", "website", "source", "campaign", "campaign_id", "status",
                "score", "score_reasons", "owner_id", "pool_id", "claimed_at", "last_follow_up_at", "next_follow_up_on", "region", "industry", "notes",
                "tags", "disqualify_reason", "converted_at", "customer_id", "contact_id", "created_at", "updated_at", "deleted_at",
                "version", "custom_fields")
TABLES = (Lead.__table__, LeadChannel.__table__, LeadEvent.__table__)


async def prepare(runtime):
    """Two pools (made once) with every bench user a member; no claim limit, recycling after 30 days."""
    async with runtime.db.write() as session:
        pools = (await session.scalars(select(LeadPool).where(LeadPool.name.like("Bench pool %")).order_by(LeadPool.id))).all()
        if not pools:
            pools = [LeadPool(name=f"Bench pool {i}", recycle_after_days=30, active=True) for i in (1, 2)]
            session.add_all(pools)
            await session.flush()
            users = (await session.scalars(select(crm.User.id).where(crm.User.email.like("bench-%")))).all()
            session.add_all(LeadPoolMember(pool_id=p.id, user_id=u) for p in pools for u in users)
        return {"pools": [p.id for p in pools]}


def generate(ctx, first: int, count: int):
    rng, now, pools = ctx.rng, ctx.now, ctx.prepared["leads"]["pools"]
    owners = ctx.choose_owners(count)
    lead_id = ctx.take_ids("leads_lead", count)
    channel_id = ctx.take_ids("leads_channel", count)
    event_id = ctx.take_ids("leads_event", count * 2)
    leads, channels, events = [], [], []
    for n in range(count):
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        owned = rng.random() < 0.5
        owner = owners[n] if owned else None
        claimed = created + timedelta(days=rng.randint(0, 20)) if owned else None
        claimed = min(claimed, now) if claimed else None
        email = f"lead{lead_id}@bench.example"
        status = rng.choice(("new", "working")) if owned else "new"
        followed = claimed + timedelta(days=rng.randint(0, 40)) if owned and status == "working" else None
        leads.append((lead_id, f"Lead {lead_id}", f"Company {first + n}", None, f'["{email}"]', "[]", None, rng.choice(SOURCES), None,
                      None, status, rng.randint(0, 100), "[]", owner, rng.choice(pools), claimed, min(followed, now) if followed else None,
                      None, rng.choice(("EMEA", "APAC", "AMER")), None, None, "[]", None, None, None, None, created, claimed or created,
                      None, 1, "{}"))
        channels.append((channel_id, lead_id, "email", email))
        events.append((event_id, lead_id, created, "created", None, None, leads[-1][14], None))
        event_id += 1
        if owned:
            events.append((event_id, lead_id, claimed, "claimed", owner, owner, leads[-1][14], None))
            event_id += 1
        lead_id += 1
        channel_id += 1
    yield Lead.__table__, LEAD_COLUMNS, leads
    yield LeadChannel.__table__, ("id", "lead_id", "kind", "normalized"), channels
    yield LeadEvent.__table__, ("id", "lead_id", "at", "kind", "actor_id", "owner_id", "pool_id", "detail"), events
