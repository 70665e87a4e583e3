"""Sending a record through its approval chain, deciding steps, withdrawing.

At submission the chain that applies is chosen, each of its steps is kept or skipped (a value threshold, conditions on
the record) and the approvers of every kept step are fixed (ApprovalAssignment): a named user, every active user with a
role, or the record owner's team manager. Steps are then decided in order. On an `any` step the first decision
decides; on an `all` step every approver must approve, and any rejection rejects. A rejection ends the request (the
record goes back to its owner, with the approver's comment in the history); the last approval approves it.

Two approvers acting at the same moment: the request's row is locked (PostgreSQL `FOR UPDATE`; SQLite has one writer
at a time), so the second sees the step decided and gets CONFLICT: one decision counts.
"""

from __future__ import annotations

from sqlalchemy import select, update

from crm.api.errors import Invalid
from crm.approvals.models import ApprovalAssignment, ApprovalChain, ApprovalDecision, ApprovalRequest, ApprovalStep
from crm.conditions import holds
from crm.events import publish
from crm.identity.models import CasbinRule, Team, TeamMember, User
from crm.identity.policy import role_subject, user_subject
from crm.models import utcnow

PENDING = "pending"
USER = user_subject(0).removesuffix("0")  # "user:", how the policy names users


def _locked(session, stmt):
    return stmt.with_for_update() if session.bind.dialect.name == "postgresql" else stmt


async def chain_for(session, resource: str, facts: dict) -> ApprovalChain | None:
    chains = (await session.scalars(select(ApprovalChain).where(
        ApprovalChain.resource == resource, ApprovalChain.active.is_(True), ApprovalChain.deleted_at.is_(None))
        .order_by(ApprovalChain.position, ApprovalChain.id))).all()
    return next((c for c in chains if holds(c.conditions, facts)), None)


async def _approvers(session, step: ApprovalStep, owner_id: int | None) -> list[int]:
    if step.approver == "user":
        ids = [step.user_id]
    elif step.approver == "role":
        subjects = (await session.scalars(select(CasbinRule.v0).where(CasbinRule.ptype == "g", CasbinRule.v1 == role_subject(step.role_id)))).all()
        ids = [int(s.removeprefix(USER)) for s in subjects if s.startswith(USER) and s.removeprefix(USER).isdigit()]
    else:  # the manager of a team the record's owner belongs to (the first such team)
        ids = list((await session.scalars(select(Team.manager_id).join(TeamMember, TeamMember.team_id == Team.id).where(
            TeamMember.user_id == owner_id, Team.manager_id.is_not(None)).order_by(Team.id).limit(1))).all()) if owner_id else []
    if not ids:
        return []
    return sorted((await session.scalars(select(User.id).where(User.id.in_(ids), User.is_active.is_(True)))).all())


async def applicable_steps(session, chain: ApprovalChain, facts: dict, convert) -> list[ApprovalStep]:
    """The chain's steps that apply to a record with these facts; `convert(value, currency)` gives the value in the
    reporting currency (None when no rate converts it: then every threshold applies, the careful choice)."""
    steps = (await session.scalars(select(ApprovalStep).where(ApprovalStep.chain_id == chain.id).order_by(ApprovalStep.position))).all()
    value = facts.get("value")
    in_reporting = await convert(value, facts.get("currency")) if value is not None else None
    kept = []
    for step in steps:
        if step.min_value is not None and in_reporting is not None and in_reporting < step.min_value:
            continue
        if step.min_value is not None and value is None:
            continue  # a record without a value is below every threshold
        if holds(step.conditions, facts):
            kept.append(step)
    return kept


async def open_request(session, resource: str, record_id) -> ApprovalRequest | None:
    return await session.scalar(select(ApprovalRequest).where(ApprovalRequest.resource == resource, ApprovalRequest.record_id == str(record_id),
                                                              ApprovalRequest.status == PENDING))


async def submit(session, runtime, target, record, *, actor_id: int | None, convert) -> ApprovalRequest:
    """Send `record` (of `target.resource`) through the chain that applies; approved at once when no step applies."""
    if target.ready and (why := target.ready(record)):
        raise Invalid.one("recordId", "INVALID", why)
    if await open_request(session, target.resource, record.id):
        raise Invalid.one("recordId", "CONFLICT", "this record is waiting for approval already; withdraw that request first")
    facts = await target.facts(session, record)
    chain = await chain_for(session, target.resource, facts)
    steps = await applicable_steps(session, chain, facts, convert) if chain else []
    now = utcnow()
    request = ApprovalRequest(resource=target.resource, record_id=str(record.id), record_version=getattr(record, "version", None),
                              chain_id=chain.id if chain else None, title=str(facts.get("title") or f"{target.resource} {record.id}")[:300],
                              status=PENDING, value=facts.get("value"), currency=facts.get("currency"), owner_id=getattr(record, "owner_id", None),
                              submitted_by=actor_id, submitted_at=now)
    session.add(request)
    await session.flush()
    session.add(ApprovalDecision(request_id=request.id, actor_id=actor_id, decision="submitted", at=now))
    missing = []
    for step in steps:
        approvers = await _approvers(session, step, request.owner_id)
        if not approvers:
            missing.append(step.name)
        session.add_all(ApprovalAssignment(request_id=request.id, position=step.position, user_id=u, step_name=step.name, mode=step.mode)
                        for u in approvers)
    if missing:
        raise Invalid.one("recordId", "INVALID", f"nobody can approve the step {', '.join(missing)} (no such user, nobody with the role, "
                                                 "or the owner's team has no manager): ask an admin to fix the chain")
    if steps:
        request.step = steps[0].position
        await session.flush()
        await publish(session, "crm_on_approval_submitted", request=request, record=record)
    else:  # nothing to approve: approved as it stands
        request.status, request.decided_at = "approved", now
        session.add(ApprovalDecision(request_id=request.id, decision="approved", comment="no approval step applies", at=now))
        await session.flush()
        await publish(session, "crm_on_approval_submitted", request=request, record=record)
        await publish(session, "crm_on_approval_decided", request=request, record=record)
    return request


async def _record(session, runtime, request: ApprovalRequest):
    target = runtime.approval_targets.get(request.resource)
    return await session.get(target.model, int(request.record_id)) if target else None


async def decide(session, runtime, request_id: int, user_id: int, approve: bool, comment: str | None) -> ApprovalRequest:
    request = await session.scalar(_locked(session, select(ApprovalRequest).where(ApprovalRequest.id == request_id)))
    if request is None:
        raise Invalid.one("requestId", "NOT_FOUND", "approval request not found")
    mine = await session.scalar(select(ApprovalAssignment).where(ApprovalAssignment.request_id == request.id,
                                                                 ApprovalAssignment.position == request.step,
                                                                 ApprovalAssignment.user_id == user_id)) if request.status == PENDING else None
    if mine is None or mine.decided:
        positions = set((await session.scalars(select(ApprovalAssignment.position).where(
            ApprovalAssignment.request_id == request.id, ApprovalAssignment.user_id == user_id))).all())
        if not positions:
            raise Invalid.one("requestId", "FORBIDDEN", "you are not an approver of this request")
        if request.status != PENDING:
            raise Invalid.one("requestId", "CONFLICT", f"this request is {request.status} already")
        if min(positions) > request.step:
            raise Invalid.one("requestId", "FORBIDDEN", "an earlier step of this request is not decided yet; it comes to you after it")
        raise Invalid.one("requestId", "CONFLICT", "this step was decided already")
    if not approve and not (comment or "").strip():
        raise Invalid.one("comment", "REQUIRED", "say why: the owner reads it to change the record")
    now = utcnow()
    mine.decided = True
    session.add(ApprovalDecision(request_id=request.id, position=request.step, step_name=mine.step_name, actor_id=user_id,
                                 decision="approved" if approve else "rejected", comment=(comment or "").strip() or None, at=now))
    request.updated_at = now  # a version step: two decisions made from one read cannot both pass
    if not approve:
        request.status, request.decided_at = "rejected", now
    else:
        waiting = await session.scalar(select(ApprovalAssignment.user_id).where(
            ApprovalAssignment.request_id == request.id, ApprovalAssignment.position == request.step,
            ApprovalAssignment.decided.is_(False), ApprovalAssignment.user_id != user_id).limit(1))
        if mine.mode == "all" and waiting is not None:
            await session.flush()
            return request  # the others of an "all" step still decide
        # An "any" step is decided by the first: the others' turn at it is over.
        await session.execute(update(ApprovalAssignment).where(ApprovalAssignment.request_id == request.id,
                                                               ApprovalAssignment.position == request.step).values(decided=True))
        following = await session.scalar(select(ApprovalAssignment.position).where(
            ApprovalAssignment.request_id == request.id, ApprovalAssignment.position > request.step)
            .order_by(ApprovalAssignment.position).limit(1))
        if following is not None:
            request.step = following
            await session.flush()
            return request
        request.status, request.decided_at = "approved", now
    await session.flush()
    await publish(session, "crm_on_approval_decided", request=request, record=await _record(session, runtime, request))
    return request


async def withdraw(session, runtime, request_id: int, user_id: int, comment: str | None, *, may_write) -> ApprovalRequest:
    """The submitter, or whoever may change the record (`await may_write(request)`), takes a pending request back."""
    request = await session.scalar(_locked(session, select(ApprovalRequest).where(ApprovalRequest.id == request_id)))
    if request is None or not (request.submitted_by == user_id or await may_write(request)):
        raise Invalid.one("requestId", "NOT_FOUND", "approval request not found")
    if request.status != PENDING:
        raise Invalid.one("requestId", "CONFLICT", f"this request is {request.status} already")
    now = utcnow()
    request.status, request.decided_at, request.updated_at = "withdrawn", now, now
    session.add(ApprovalDecision(request_id=request.id, position=request.step, actor_id=user_id, decision="withdrawn",
                                 comment=(comment or "").strip() or None, at=now))
    await session.flush()
    await publish(session, "crm_on_approval_decided", request=request, record=await _record(session, runtime, request))
    return request


async def approved(session, resource: str, record) -> bool:
    """Whether `record`, as it is now (its version), was approved; for a plugin that requires approval before a step
    (sending a quote with a large discount)."""
    found = await session.scalar(select(ApprovalRequest.id).where(
        ApprovalRequest.resource == resource, ApprovalRequest.record_id == str(record.id), ApprovalRequest.status == "approved",
        ApprovalRequest.record_version == getattr(record, "version", None)).limit(1))
    return found is not None


async def required(session, runtime, resource: str, record, convert) -> bool:
    """Whether a chain with a step that applies covers `record` and it is not approved as it is now."""
    target = runtime.approval_targets[resource]
    facts = await target.facts(session, record)
    chain = await chain_for(session, resource, facts)
    if chain is None or not await applicable_steps(session, chain, facts, convert):
        return False
    return not await approved(session, resource, record)

