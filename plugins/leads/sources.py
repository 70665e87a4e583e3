"""What leads adds to the customer's timeline: the life of the lead it came from (claims, hand-overs, releases,
recycling, qualification) and its conversion."""

from __future__ import annotations

from sqlalchemy import String, cast, literal, select

from crm import timeline_columns
from crm.plugins.leads.models import Lead, LeadEvent


def converted_leads(access, customer_ids):
    return select(*timeline_columns(Lead, "lead", occurred_at=Lead.converted_at, kind="lead_converted", title=Lead.name,
                                    body=Lead.source)).where(
        Lead.customer_id.in_(customer_ids), Lead.converted_at.is_not(None), Lead.deleted_at.is_(None), access.filter_or_none(Lead, "lead"))


LIFE = ("claimed", "assigned", "released", "recycled", "qualified", "disqualified", "followed_up")


def lead_life(access, customer_ids):
    """The converted lead's events before its conversion, as `lead_<kind>` entries (the conversion has its own)."""
    return select(
        Lead.customer_id.label("customer_id"), (literal("lead_event:") + cast(LeadEvent.id, String)).label("id"),
        LeadEvent.at.label("occurred_at"), (literal("lead_") + LeadEvent.kind).label("kind"), Lead.name.label("title"),
        LeadEvent.detail.label("body"), literal("lead").label("record_type"), cast(Lead.id, String).label("record_id"),
        LeadEvent.actor_id.label("actor_id"),
    ).join(Lead, Lead.id == LeadEvent.lead_id).where(
        Lead.customer_id.in_(customer_ids), LeadEvent.kind.in_(LIFE), Lead.deleted_at.is_(None), access.filter_or_none(Lead, "lead"))
