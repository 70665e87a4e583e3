"""What leads adds to the customer's timeline: the conversion of the lead it came from."""

from __future__ import annotations

from sqlalchemy import select

from crm import timeline_columns
from crm.plugins.leads.models import Lead


def converted_leads(access, customer_ids):
    return select(*timeline_columns(Lead, "lead", occurred_at=Lead.converted_at, kind="lead_converted", title=Lead.name,
                                    body=Lead.source)).where(
        Lead.customer_id.in_(customer_ids), Lead.converted_at.is_not(None), Lead.deleted_at.is_(None), access.filter_or_none(Lead, "lead"))
