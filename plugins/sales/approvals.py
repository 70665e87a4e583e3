"""What approval chains test on a quote: its total (step thresholds) and its largest line discount (conditions)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from crm.plugins.sales.models import Quote, QuoteLine


async def quote_facts(session, quote: Quote) -> dict:
    discount = await session.scalar(select(func.max(QuoteLine.discount_percent)).where(QuoteLine.quote_id == quote.id))
    return {"value": quote.total, "currency": quote.currency, "title": f"Quote {quote.number}",
            "discount": discount if discount is not None else Decimal(0)}
