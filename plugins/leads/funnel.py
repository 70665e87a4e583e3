"""The lead funnel: of the leads created in a period, how many were worked, qualified and converted, and the median
days between the steps, per group. One statement per figure set, aggregated in SQL (medians by window functions,
which both databases have)."""

from __future__ import annotations

from sqlalchemy import case, func, literal, select

import crm
from crm.plugins.leads.models import Lead, LeadEvent

GROUPS = {"all": lambda: literal("all"), "source": lambda: func.coalesce(Lead.source, ""),
          "campaign": lambda: func.coalesce(Lead.campaign, ""), "owner": lambda: func.coalesce(Lead.owner_id, 0)}


def _firsts():
    """Each lead's first follow-up and qualification, read once over the events of those two kinds (one grouped
    pass, not a lookup per lead: a year of leads at 1M took 30 s that way)."""
    first = lambda kind: func.min(case((LeadEvent.kind == kind, LeadEvent.at)))  # noqa: E731
    return (select(LeadEvent.lead_id, first("followed_up").label("worked"), first("qualified").label("qualified"))
            .where(LeadEvent.kind.in_(("followed_up", "qualified"))).group_by(LeadEvent.lead_id).subquery())


def steps(visible, lo, hi, group: str):
    """Per lead created in [lo, hi): its group key and when it reached each step (None: not reached)."""
    firsts = _firsts()
    worked, qualified = firsts.c.worked, firsts.c.qualified
    qualified_at = func.coalesce(qualified, Lead.converted_at)
    # A step reached later counts the earlier ones as reached: a lead converted at once was qualified and worked then.
    worked_at = func.coalesce(worked, qualified_at)
    return (select(GROUPS[group]().label("key"), Lead.created_at.label("created_at"), worked_at.label("worked_at"),
                   qualified_at.label("qualified_at"), Lead.converted_at.label("converted_at"))
            .select_from(Lead).outerjoin(firsts, firsts.c.lead_id == Lead.id)
            .where(Lead.deleted_at.is_(None), Lead.created_at >= lo, Lead.created_at < hi, visible).subquery())


def counts(rows):
    reached = lambda col: func.coalesce(func.sum(case((col.is_not(None), 1), else_=0)), 0)  # noqa: E731
    return select(rows.c.key, func.count().label("created"), reached(rows.c.worked_at).label("worked"),
                  reached(rows.c.qualified_at).label("qualified"), reached(rows.c.converted_at).label("converted")).group_by(rows.c.key)


def median_days(rows, later: str, earlier: str):
    """Per key, the median of `later - earlier` in days over the leads that reached `later`."""
    return crm.quantile(rows.c.key, crm.days_between(rows.c[later], rows.c[earlier]), 50, rows.c[later].is_not(None))
