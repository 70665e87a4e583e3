"""Duplicates of leads: other leads and customers sharing a normalised e-mail address or phone number, read for a
whole page of leads in two statements."""

from __future__ import annotations

from sqlalchemy import and_, delete, insert, select, tuple_
from sqlalchemy.orm import aliased

import crm
from crm.plugins.leads.models import Lead, LeadChannel


def channel_rows(lead_id: int, emails: list[str], phones: list[str]) -> list[dict]:
    rows = [{"lead_id": lead_id, "kind": "email", "normalized": crm.normalise_email(v, f"emails.{i}")} for i, v in enumerate(emails)]
    rows += [{"lead_id": lead_id, "kind": "phone", "normalized": crm.normalise_phone(v, f"phones.{i}")} for i, v in enumerate(phones)]
    return list({(r["kind"], r["normalized"]): r for r in rows}.values())


def _phone_rows(leads) -> tuple[list[int], list[dict]]:
    """(lead id, phones as entered) -> the leads that have numbers, and their phone rows in today's normal form."""
    ids, rows = [], []
    for lead_id, phones in leads:
        if phones:
            ids.append(lead_id)
            normal = {}
            for value in phones:
                try:
                    normal.setdefault(crm.normalise_phone(value, "phones"), None)
                except crm.Invalid:
                    pass  # kept as entered on the lead; it never matched anything
            rows += [{"lead_id": lead_id, "kind": "phone", "normalized": n} for n in normal]
    return ids, rows


def _renewal(leads):
    ids, rows = _phone_rows(leads)
    return delete(LeadChannel).where(LeadChannel.kind == "phone", LeadChannel.lead_id.in_(ids)), rows


async def renormalise(session) -> None:
    """crm_on_phone_rules_changed: every lead's phone rows again in the core's current normal form."""
    forget, rows = _renewal((await session.execute(select(Lead.id, Lead.phones))).all())
    await session.execute(forget)
    if rows:
        await session.execute(insert(LeadChannel), rows)


def renormalise_sync(bind) -> None:
    """The same, for a migration's connection."""
    forget, rows = _renewal(bind.execute(select(Lead.__table__.c.id, Lead.__table__.c.phones)).all())
    bind.execute(forget)
    if rows:
        bind.execute(insert(LeadChannel.__table__), rows)


def _loader(ctx):
    from crm.plugins.leads.schema.types import LeadDuplicate

    async def load(lead_ids):
        CHANNEL = crm.Channel.__table__  # customers' and contacts' addresses and numbers, in the same normal form
        mine = aliased(LeadChannel)
        other = aliased(LeadChannel)
        leads = (select(mine.lead_id, Lead.id, Lead.name, other.normalized)
                 .join(other, and_(other.kind == mine.kind, other.normalized == mine.normalized, other.lead_id != mine.lead_id))
                 .join(Lead, Lead.id == other.lead_id)
                 .where(mine.lead_id.in_(lead_ids), Lead.deleted_at.is_(None), ctx.access.filter_or_none(Lead, "lead")))
        customers = (select(mine.lead_id, crm.Customer.id, crm.Customer.name, mine.normalized)
                     .join(CHANNEL, and_(tuple_(CHANNEL.c.kind, CHANNEL.c.normalized) == tuple_(mine.kind, mine.normalized)))
                     .join(crm.Customer, crm.Customer.id == CHANNEL.c.customer_id)
                     .where(mine.lead_id.in_(lead_ids), crm.Customer.deleted_at.is_(None), ctx.access.filter_or_none(crm.Customer, "customer")))
        found: dict[int, dict] = {i: {} for i in lead_ids}
        async with ctx.db.read() as session:
            for resource, stmt in (("lead", leads), ("customer", customers)):
                for lead_id, rid, name, matched in (await session.execute(stmt.order_by(None))).all():
                    found[lead_id].setdefault((resource, rid), LeadDuplicate(resource=resource, id=rid, name=name, matched=matched))
        return [sorted(found[i].values(), key=lambda d: (d.resource, int(d.id))) for i in lead_ids]

    return ctx.loader("leads:duplicates", load)


async def duplicates_of(ctx, lead) -> list:
    return await _loader(ctx).load(int(lead.id))

