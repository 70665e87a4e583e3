"""Closed sets of sales values as GraphQL enums. Members are `str`, equal to what the tables store ("open"), so a
model's value serialises as its member and a member compares equal to a column's value. (A `str` enum cannot take
`strawberry.enum_value` descriptions: the member's value would become the description object; describe the enum.)"""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="Where a deal stands; a stage's kind says which status deals in it have.")
class OpportunityStatus(str, enum.Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


@strawberry.enum(description="A quote's step: drafts are sent, sent quotes accepted or rejected, and lapse when out of date.")
class QuoteStatus(str, enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


@strawberry.enum(description="An order's step: drafts are confirmed (stock and invoicing act on it), fulfilled or cancelled.")
class OrderStatus(str, enum.Enum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


@strawberry.enum(description="What a sales target counts: REVENUE, won deals' amounts in the reporting currency; WON_DEALS, how "
                 "many deals were won; ACTIVITIES, calls, emails, meetings, visits and notes logged (not tasks).")
class TargetMetric(str, enum.Enum):
    REVENUE = "revenue"
    WON_DEALS = "won_deals"
    ACTIVITIES = "activities"
