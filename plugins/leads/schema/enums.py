"""Closed sets of the leads API, as GraphQL enums (their values are the stored strings)."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="Where a lead is: NEW and WORKING are open (pools recycle them, claim limits count them).")
class LeadStatus(str, enum.Enum):
    NEW = "new"
    WORKING = "working"
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"
    CONVERTED = "converted"


@strawberry.enum(description="What happened to a lead.")
class LeadEventKind(str, enum.Enum):
    CREATED = "created"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    RELEASED = "released"
    RECYCLED = "recycled"
    FOLLOWED_UP = "followed_up"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


@strawberry.enum(description="What the lead list is ordered by.")
class LeadOrder(enum.Enum):
    CREATED = "created"
    SCORE = "score"
    NAME = "name"
