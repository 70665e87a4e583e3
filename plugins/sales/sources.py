"""What sales adds to every customer's timeline and value: SQL selects the core unions with its own."""

from __future__ import annotations

from sqlalchemy import exists, literal, select

from crm import timeline_columns
from crm.plugins.sales.models import Opportunity, Order


def closed_opportunities(access, customer_ids):
    return select(*timeline_columns(Opportunity, "opportunity", occurred_at=Opportunity.closed_at,
                                        kind=literal("opportunity_") + Opportunity.status, title=Opportunity.name,
                                        body=Opportunity.lost_reason)).where(
        Opportunity.customer_id.in_(customer_ids), Opportunity.status.in_(("won", "lost")), Opportunity.deleted_at.is_(None),
        access.filter_or_none(Opportunity, "opportunity"))


def confirmed_orders(access, customer_ids):
    return select(*timeline_columns(Order, "order", occurred_at=Order.confirmed_at, kind="order_confirmed", title=Order.number)).where(
        Order.customer_id.in_(customer_ids), Order.confirmed_at.is_not(None), Order.deleted_at.is_(None), access.filter_or_none(Order, "order"))


def won_value(access):
    """Won deals are the purchases of customer value analysis (RFM monetary), converted at their close date."""
    return select(Opportunity.customer_id.label("customer_id"), Opportunity.closed_at.label("occurred_at"),
                  Opportunity.amount.label("amount"), Opportunity.currency.label("currency")).where(
        Opportunity.status == "won", Opportunity.deleted_at.is_(None), access.filter_or_none(Opportunity, "opportunity"))


def order_value(access):
    """Confirmed (and fulfilled) orders are purchases too, at their confirmation date; an order made from a won deal
    is that deal's purchase, counted once, by the deal."""
    from_won_deal = exists().where(Opportunity.id == Order.opportunity_id, Opportunity.status == "won", Opportunity.deleted_at.is_(None))
    return select(Order.customer_id.label("customer_id"), Order.confirmed_at.label("occurred_at"),
                  Order.total.label("amount"), Order.currency.label("currency")).where(
        Order.status.in_(("confirmed", "fulfilled")), Order.deleted_at.is_(None), ~from_won_deal, access.filter_or_none(Order, "order"))
