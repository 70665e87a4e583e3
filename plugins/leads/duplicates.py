"""Duplicates of leads: other leads and customers sharing a normalised e-mail address or phone number, read for a
whole page of leads in two statements."""

from __future__ import annotations

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import aliased

import crm
from crm.plugins.leads.models import Lead, LeadChannel


def channel_rows(lead_id: int, emails: list[str], phones: list[str]) -> list[dict]:
    rows = [{"lead_id": lead_id, "kind": "email", "normalized": crm.normalise_email(v, f"emails.{i}")} for i, v in enumerate(emails)]
    rows += [{"lead_id": lead_id, "kind": "phone", "normalized": crm.normalise_phone(v, f"phones.{i}")} for i, v in enumerate(phones)]
    return list({(r["kind"], r["normalized"]): r for r in rows}.values())


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

