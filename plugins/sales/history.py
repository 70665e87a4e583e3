"""Moving opportunities between stages, keeping the stage visits and the change history that analysis reads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from crm import Invalid, utcnow
from crm.plugins.sales.models import Opportunity, OpportunityChange, Stage, StageVisit

CLOCK_SKEW = timedelta(minutes=5)


def check_time(at: datetime | None, opp: Opportunity | None, field: str) -> datetime:
    """When a change happened: now by default; a past time records history (imports), never the future."""
    now = utcnow()
    if at is None:
        return now
    if at.tzinfo is None:
        raise Invalid.one(field, "INVALID", "give a time with its zone, e.g. 2026-03-01T10:00:00Z")
    if at > now + CLOCK_SKEW:
        raise Invalid.one(field, "INVALID", "a change cannot happen in the future")
    if opp is not None and at < opp.stage_entered_at:
        raise Invalid.one(field, "INVALID", "this is before the opportunity entered its current stage")
    return at


def snapshot(session, opp: Opportunity, at: datetime) -> None:
    session.add(OpportunityChange(
        opportunity_id=opp.id, at=at, actor_id=session.info.get("actor_id"), stage_id=opp.stage_id, amount=opp.amount,
        probability=opp.probability, expected_close_date=opp.expected_close_date,
    ))


async def enter_stage(session, opp: Opportunity, stage: Stage, at: datetime) -> None:
    """Leave the current stage (if any) and enter `stage` at `at`: status, probability and close time follow it."""
    if opp.id is not None:
        await session.execute(
            update(StageVisit).where(StageVisit.opportunity_id == opp.id, StageVisit.left_at.is_(None)).values(left_at=at)
        )
    opp.stage_id = stage.id
    opp.status = stage.kind
    if stage.kind != "lost":
        reached = await session.get(Stage, opp.reached_stage_id) if opp.reached_stage_id else None
        if reached is None or stage.position > reached.position:
            opp.reached_stage_id = stage.id
    opp.stage_entered_at = at
    if stage.kind == "won":
        opp.probability = 100
    elif stage.kind == "lost":
        opp.probability = 0
    elif not opp.probability_set:
        opp.probability = stage.probability
    opp.closed_at = at if stage.kind in ("won", "lost") else None
    if stage.kind != "lost":
        opp.lost_reason = None
    await session.flush()
    session.add(StageVisit(opportunity_id=opp.id, stage_id=stage.id, entered_at=at, opened_at=opp.opened_at,
                           owner_id=opp.owner_id, deleted_at=opp.deleted_at))


def visits_follow_their_deal(connection, opp: Opportunity) -> None:
    """A deal's visits carry its owner and deletion (for the funnel's one-table scan): whatever write changed them on
    the deal, the same transaction changes them on its visits (a `crm.ChangeRule`, see plugin.py)."""
    connection.execute(update(StageVisit.__table__).where(StageVisit.opportunity_id == opp.id)
                       .values(owner_id=opp.owner_id, deleted_at=opp.deleted_at))


async def stage_of_kind(session, pipeline_id: int, kind: str) -> Stage:
    stage = await session.scalar(select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.kind == kind).order_by(Stage.position).limit(1))
    if stage is None:
        raise Invalid.one("id", "INVALID", f"this pipeline has no {kind} stage; add one first")
    return stage


async def stage_in_pipeline(session, raw_id, pipeline_id: int, field: str = "stageId") -> Stage:
    from crm import parse_id

    stage = await session.get(Stage, parse_id(raw_id, field))
    if stage is None or stage.pipeline_id != pipeline_id:
        raise Invalid.one(field, "NOT_FOUND", "no such stage in the opportunity's pipeline")
    return stage
