"""Finding likely duplicates of a customer: shared email, phone or website domain, or a very similar name.

Candidates are found in SQL through indexed equality and prefix lookups (never a scan of all customers); only the
short candidate list is scored in Python.
"""

from __future__ import annotations

import dataclasses
from difflib import SequenceMatcher

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from crm.customers.models import Channel, Customer
from crm.customers.normalise import name_key

WEIGHTS = {"email": 0.9, "phone": 0.8, "website": 0.7}
NAME_THRESHOLD = 0.85
CANDIDATE_LIMIT = 200


@dataclasses.dataclass
class Candidate:
    customer: Customer
    score: float
    reasons: list[str]


def _combine(scores: list[float]) -> float:
    """Independent pieces of evidence: 1 - product of (1 - s)."""
    remaining = 1.0
    for s in scores:
        remaining *= 1 - s
    return round(1 - remaining, 3)


async def find_duplicates(session, customer: Customer, visible, limit: int) -> list[Candidate]:
    """Customers that `visible` (a SQL condition on Customer) lets the caller read, most likely duplicates first."""
    evidence: dict[int, list[tuple[str, float]]] = {}
    mine, theirs = aliased(Channel), aliased(Channel)
    shared = await session.execute(
        select(theirs.customer_id, theirs.kind, theirs.normalized)
        .join(mine, and_(mine.kind == theirs.kind, mine.normalized == theirs.normalized))
        .where(mine.customer_id == customer.id, theirs.customer_id != customer.id)
        .distinct()
        .limit(CANDIDATE_LIMIT)
    )
    for other_id, kind, value in shared:
        evidence.setdefault(other_id, []).append((f"same {kind} {value}", WEIGHTS[kind]))
    if customer.website_domain:
        same_site = await session.scalars(
            select(Customer.id).where(Customer.website_domain == customer.website_domain, Customer.id != customer.id).limit(CANDIDATE_LIMIT)
        )
        for other_id in same_site:
            evidence.setdefault(other_id, []).append((f"same website {customer.website_domain}", WEIGHTS["website"]))
    key = name_key(customer.name)
    first_word = key.split()[0] if key else ""
    if len(first_word) >= 3:
        similar = await session.execute(
            select(Customer.id, Customer.name)
            .where(Customer.search_name.like(first_word.replace("%", "").replace("_", "") + "%"), Customer.id != customer.id,
                   Customer.deleted_at.is_(None))
            .limit(CANDIDATE_LIMIT)
        )
        for other_id, other_name in similar:
            ratio = SequenceMatcher(None, key, name_key(other_name)).ratio()
            if ratio >= NAME_THRESHOLD:
                evidence.setdefault(other_id, []).append((f"similar name {other_name}", round(ratio * 0.8, 3)))
    if not evidence:
        return []
    rows = await session.scalars(select(Customer).where(Customer.id.in_(evidence), Customer.deleted_at.is_(None), visible))
    found = [Candidate(c, _combine([s for _, s in evidence[c.id]]), [r for r, _ in evidence[c.id]]) for c in rows]
    found.sort(key=lambda c: (-c.score, c.customer.id))
    return found[:limit]
