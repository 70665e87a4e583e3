"""GraphQL for approvals: admins write chains (resource `approval_chain`); owners submit records; approvers decide.

Deciding needs no grant: being an approver of the step is the permission (others get FORBIDDEN). A request is
visible to its approvers, its submitter and whoever may read its record."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy import delete, exists, select

from crm.api.access import authenticated, inherited, requires
from crm.api.errors import Invalid, UserError
from crm.api.ids import parse_id, try_parse_id
from crm.api.inputs import IdInput, clean_text
from crm.api.mutations import fetch_for_write, mutation, restore, soft_delete
from crm.api.pagination import connection_type, list_page
from crm.api.payloads import DeletePayload, payload_type
from crm.api.types import api_type
from crm.approvals import engine
from crm.approvals.models import ApprovalAssignment, ApprovalChain, ApprovalDecision, ApprovalRequest, ApprovalStep
from crm.identity.models import Role, User
from crm.identity.schema.types import user_loader
from crm.models import utcnow
from crm.api.nodes import Node

UserRef = api_type("User")


@strawberry.enum(description="Who approves a step.")
class ApproverKind(enum.Enum):
    USER = "user"
    ROLE = "role"
    MANAGER = "manager"


@strawberry.enum(description="ANY: the first approver's decision decides the step. ALL: every approver must approve.")
class ApprovalMode(enum.Enum):
    ANY = "any"
    ALL = "all"


@strawberry.enum(description="Where an approval request stands.")
class ApprovalStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="What happened to an approval request.")
class ApprovalAction(enum.Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@strawberry.type(description="Holds when the record's `field` is one of `values` (ignoring case), or a number between `min` and `max`.")
class ApprovalCondition:
    field: str = strawberry.field(description="The record's field.")
    values: list[str] = strawberry.field(description="The field must be one of these (ignoring case).")
    min: Decimal | None = strawberry.field(description="The field, a number, must be at least this.")
    max: Decimal | None = strawberry.field(description="The field, a number, must be at most this.")


def _conditions_out(conditions: dict) -> list[ApprovalCondition]:
    out = []
    for field, wanted in sorted((conditions or {}).items()):
        if isinstance(wanted, dict):
            out.append(ApprovalCondition(field=field, values=[], min=_num(wanted.get("min")), max=_num(wanted.get("max"))))
        else:
            out.append(ApprovalCondition(field=field, values=list(wanted), min=None, max=None))
    return out


def _num(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@strawberry.type(name="ApprovalStep", description="A step of a chain.")
class ApprovalStepType:
    position: int
    name: str = strawberry.field(description="Its name.")
    approver: ApproverKind = strawberry.field(description="Who approves: a named user, anyone with a role, or the owner's team manager.")
    user_id: strawberry.ID | None
    role_id: strawberry.ID | None
    mode: ApprovalMode = strawberry.field(description="ANY: one approver decides the step; ALL: every approver must approve.")
    min_value: Decimal | None = strawberry.field(description="The step applies only to records worth at least this, in the reporting currency.")

    @strawberry.field(description="The step applies only to records for which these hold.")
    @inherited
    def conditions(self, info: strawberry.Info) -> list[ApprovalCondition]:
        return _conditions_out(self.conditions)


@strawberry.type(name="ApprovalChain", description="The steps records of `resource` go through: the first active chain (by `position`) whose conditions hold.")
class ApprovalChainType:
    id: strawberry.ID
    resource: str
    name: str = strawberry.field(description="Its name.")
    position: int
    active: bool
    version: int

    @strawberry.field(description="When it applies: every condition must hold on the record.")
    @inherited
    def conditions(self, info: strawberry.Info) -> list[ApprovalCondition]:
        return _conditions_out(self.conditions)

    @strawberry.field(description="Its steps, in order.")
    @inherited
    async def steps(self, info: strawberry.Info) -> list[ApprovalStepType]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(ApprovalStep).where(ApprovalStep.chain_id == self.id).order_by(ApprovalStep.position))).all())


@strawberry.type(name="ApprovalDecision", description="One entry of a request's history.")
class ApprovalDecisionType:
    action: ApprovalAction = strawberry.field(description="Submitted, approved, rejected or withdrawn.")
    position: int | None
    step_name: str | None = strawberry.field(description="The step it was taken at.")
    actor_id: strawberry.ID | None
    comment: str | None = strawberry.field(description="What the approver (or owner) wrote.")
    at: datetime = strawberry.field(description="When it was taken.")

    @strawberry.field(description="Who took it.")
    @inherited
    async def actor(self, info: strawberry.Info) -> UserRef | None:
        return await user_loader(info.context).load(int(self.actor_id)) if self.actor_id else None


@strawberry.type(description="Who decides which step of a request, and whether they have.")
class ApprovalApprover:
    position: int
    step_name: str = strawberry.field(description="The name of the step.")
    user_id: strawberry.ID
    mode: ApprovalMode = strawberry.field(description="ANY: one approver decides the step; ALL: every approver must approve.")
    decided: bool = strawberry.field(description="Whether this approver has decided.")


@strawberry.type(name="ApprovalRequest", description="A record going through its approval chain.")
class ApprovalRequestType(Node):
    id: strawberry.ID
    resource: str = strawberry.field(name="recordType")
    record_id: strawberry.ID
    title: str = strawberry.field(description="What is to be approved, in words (the record's number and title).")
    status: ApprovalStatus = strawberry.field(description="Pending, approved, rejected or withdrawn.")
    step: int | None = strawberry.field(description="The position of the step being decided, while pending.")
    value: Decimal | None = strawberry.field(description="The record's value when submitted (steps may apply above a threshold).")
    currency: str | None
    submitted_by: strawberry.ID | None = strawberry.field(name="submittedById")
    submitted_at: datetime = strawberry.field(description="When it was submitted.")
    decided_at: datetime | None = strawberry.field(description="When the last step decided it.")
    version: int

    @strawberry.field(description="Submission, every decision with its comment, withdrawal: oldest first.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[ApprovalDecisionType]:
        async with info.context.db.read() as session:
            rows = (await session.scalars(select(ApprovalDecision).where(ApprovalDecision.request_id == self.id)
                                          .order_by(ApprovalDecision.at, ApprovalDecision.id))).all()
        return [ApprovalDecisionType(action=ApprovalAction(r.decision), position=r.position, step_name=r.step_name, actor_id=r.actor_id,
                                     comment=r.comment, at=r.at) for r in rows]

    @strawberry.field(description="Every step's approvers, fixed at submission.")
    @inherited
    async def approvers(self, info: strawberry.Info) -> list[ApprovalApprover]:
        async with info.context.db.read() as session:
            rows = (await session.scalars(select(ApprovalAssignment).where(ApprovalAssignment.request_id == self.id)
                                          .order_by(ApprovalAssignment.position, ApprovalAssignment.user_id))).all()
        return [ApprovalApprover(position=r.position, step_name=r.step_name, user_id=r.user_id, mode=ApprovalMode(r.mode), decided=r.decided)
                for r in rows]


@strawberry.type(description="A kind of record approval chains may apply to, and the facts their conditions may test.")
class ApprovalTargetInfo:
    resource: str
    fields: list[str] = strawberry.field(description="The fields its chains' conditions may name.")


ApprovalChainPayload = payload_type("ApprovalChain", chain=ApprovalChainType)
ApprovalRequestPayload = payload_type("ApprovalRequest", request=ApprovalRequestType)
ApprovalRequestConnection = connection_type("ApprovalRequest", ApprovalRequestType)


@strawberry.input(description="A condition: `values` for a field that must be one of them, or `min`/`max` for a number.")
class ApprovalConditionInput:
    field: str
    values: list[str] = strawberry.field(default_factory=list)
    min: Decimal | None = None
    max: Decimal | None = None


@strawberry.input(description="One step of an approval chain: who approves, and when the step applies.")
class ApprovalStepInput:
    name: str
    approver: ApproverKind
    user_id: strawberry.ID | None = strawberry.field(default=None, description="For USER steps.")
    role_id: strawberry.ID | None = strawberry.field(default=None, description="For ROLE steps: every active user with the role.")
    mode: ApprovalMode = ApprovalMode.ANY
    min_value: Decimal | None = None
    conditions: list[ApprovalConditionInput] = strawberry.field(default_factory=list)


@strawberry.input
class ApprovalChainInput:
    resource: str
    name: str
    steps: list[ApprovalStepInput] = strawberry.field(description="In order; any number of them.")
    conditions: list[ApprovalConditionInput] = strawberry.field(default_factory=list)
    position: int = 0
    active: bool = True


@strawberry.input
class UpdateApprovalChainInput:
    id: strawberry.ID
    version: int
    chain: ApprovalChainInput = strawberry.field(description="The whole chain, steps included: it replaces the old one. "
                                                 "Requests already submitted keep the steps they were given.")


@strawberry.input
class SubmitForApprovalInput:
    record_type: str
    record_id: strawberry.ID


@strawberry.input
class ApprovalDecisionInput:
    request_id: strawberry.ID = strawberry.field(description="The approval request, by id.")
    comment: str | None = strawberry.field(default=None, description="Required when rejecting: the owner reads it.")


def _conditions_in(raw: list[ApprovalConditionInput], fields: tuple[str, ...], where: str) -> dict:
    out: dict = {}
    for i, c in enumerate(raw):
        field = c.field.strip()
        if field not in fields:
            raise Invalid.one(f"{where}.{i}.field", "INVALID", f"conditions may test {', '.join(fields) or 'no field'} here")
        values = [v.strip() for v in c.values if v.strip()]
        if values and (c.min is not None or c.max is not None):
            raise Invalid.one(f"{where}.{i}", "INVALID", "a condition has values or a range, not both")
        if not values and c.min is None and c.max is None:
            raise Invalid.one(f"{where}.{i}.values", "REQUIRED", "a condition needs values or a range")
        out[field] = values or {k: str(v) for k, v in (("min", c.min), ("max", c.max)) if v is not None}
    return out


async def _fill(session, info, chain: ApprovalChain, data: ApprovalChainInput) -> None:
    target = info.context.runtime.approval_targets.get(data.resource.strip())
    if target is None:
        known = ", ".join(sorted(info.context.runtime.approval_targets)) or "none while no module declares one"
        raise Invalid.one("resource", "INVALID", f"records of {data.resource!r} do not take approval (these do: {known})")
    if not data.steps:
        raise Invalid.one("steps", "REQUIRED", "a chain needs at least one step")
    chain.resource, chain.name = target.resource, clean_text(data.name, "name", required=True, limit=200)
    chain.conditions = _conditions_in(data.conditions, target.fields, "conditions")
    chain.position, chain.active = data.position, data.active
    await session.flush()
    await session.execute(delete(ApprovalStep).where(ApprovalStep.chain_id == chain.id))
    errors = []
    for i, s in enumerate(data.steps):
        user_id = parse_id(s.user_id, f"steps.{i}.userId") if s.user_id is not None else None
        role_id = parse_id(s.role_id, f"steps.{i}.roleId") if s.role_id is not None else None
        if s.approver is ApproverKind.USER and (user_id is None or not await session.scalar(
                select(User.id).where(User.id == user_id, User.is_active.is_(True)))):
            errors.append(UserError(field=f"steps.{i}.userId", code="NOT_FOUND", message="a USER step names an active user"))
        if s.approver is ApproverKind.ROLE and (role_id is None or await session.get(Role, role_id) is None):
            errors.append(UserError(field=f"steps.{i}.roleId", code="NOT_FOUND", message="a ROLE step names a role"))
        if s.min_value is not None and s.min_value < 0:
            errors.append(UserError(field=f"steps.{i}.minValue", code="INVALID", message="a threshold cannot be negative"))
        session.add(ApprovalStep(chain_id=chain.id, position=i + 1, name=clean_text(s.name, f"steps.{i}.name", required=True, limit=200),
                                 approver=s.approver.value, user_id=user_id if s.approver is ApproverKind.USER else None,
                                 role_id=role_id if s.approver is ApproverKind.ROLE else None, mode=s.mode.value, min_value=s.min_value,
                                 conditions=_conditions_in(s.conditions, target.fields, f"steps.{i}.conditions")))
    if errors:
        raise Invalid(*errors)


def converter(ctx):
    """`await convert(value, currency)`: an amount in the reporting currency at today's rate, for step thresholds."""
    from crm.money.conversion import convert_amount

    async def convert(value, currency):
        return await convert_amount(ctx, value, currency or ctx.settings.currency, utcnow().date())

    return convert


async def approval_required(info, session, resource: str, record) -> bool:
    """Whether `record` must be approved before its next step: a chain with a step that applies covers it, and it is not
    approved as it is now. Public as `crm.approval_required` (sales asks it before sending a quote)."""
    return await engine.required(session, info.context.runtime, resource, record, converter(info.context))


async def _readable(info, request: ApprovalRequest) -> bool:
    """Approvers, the submitter and whoever may read the record see a request."""
    ctx = info.context
    if request.submitted_by == ctx.user_id:
        return True
    async with ctx.db.read() as session:
        if await session.scalar(select(ApprovalAssignment.user_id).where(ApprovalAssignment.request_id == request.id,
                                                                          ApprovalAssignment.user_id == ctx.user_id)):
            return True
        target = ctx.runtime.approval_targets.get(request.resource)
        record = await session.get(target.model, int(request.record_id)) if target else None
    return bool(record is not None and ctx.access.can(request.resource, "read")
                and await ctx.access.permits(request.resource, "read", getattr(record, "owner_id", None)))


@strawberry.type
class ApprovalQuery:
    @strawberry.field(description="Approval chains, of one kind of record or all, in the order they are tried.")
    @requires("approval_chain", "read")
    async def approval_chains(self, info: strawberry.Info, resource: str | None = None) -> list[ApprovalChainType]:
        stmt = select(ApprovalChain).where(ApprovalChain.deleted_at.is_(None)).order_by(ApprovalChain.resource, ApprovalChain.position, ApprovalChain.id)
        if resource:
            stmt = stmt.where(ApprovalChain.resource == resource)
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt)).all())

    @strawberry.field(description="The kinds of records enabled modules let approval chains cover, with the facts conditions may test.")
    @requires("approval_chain", "read")
    async def approval_targets(self, info: strawberry.Info) -> list[ApprovalTargetInfo]:
        targets = sorted(info.context.runtime.approval_targets.values(), key=lambda t: t.resource)
        return [ApprovalTargetInfo(resource=t.resource, fields=list(t.fields)) for t in targets]

    @strawberry.field(description="Requests waiting for the caller's decision now, oldest first.")
    @authenticated
    async def my_pending_approvals(
            self, info: strawberry.Info, first: int | None = None, after: str | None = None, last: int | None = None,
            before: str | None = None,
            record_type: Annotated[str | None, strawberry.argument(description="Only requests for this kind of record (e.g. contract).")] = None,
    ) -> ApprovalRequestConnection:
        a = ApprovalAssignment
        mine = exists().where(a.request_id == ApprovalRequest.id, a.position == ApprovalRequest.step, a.user_id == info.context.user_id,
                              a.decided.is_(False))
        stmt = select(ApprovalRequest).where(ApprovalRequest.status == engine.PENDING, mine)
        if record_type is not None:
            stmt = stmt.where(ApprovalRequest.resource == record_type)
        return await list_page(info, stmt, order=[ApprovalRequest.submitted_at, ApprovalRequest.id],
                               first=first, after=after, last=last, before=before)

    @strawberry.field(description="Every approval request of a record, newest first (for those who may read the record).")
    @authenticated
    async def approval_requests(self, info: strawberry.Info, record_type: str, record_id: strawberry.ID) -> list[ApprovalRequestType]:
        ctx = info.context
        target = ctx.runtime.approval_targets.get(record_type)
        rid = try_parse_id(record_id)
        if target is None or rid is None or not ctx.access.can(record_type, "read"):
            return []
        async with ctx.db.read() as session:
            record = await session.get(target.model, rid)
            if record is None or not await ctx.access.permits(record_type, "read", getattr(record, "owner_id", None)):
                return []
            return list((await session.scalars(select(ApprovalRequest).where(
                ApprovalRequest.resource == record_type, ApprovalRequest.record_id == str(rid))
                .order_by(ApprovalRequest.submitted_at.desc(), ApprovalRequest.id.desc()))).all())

    @strawberry.field(description="One approval request, with its history; null when there is none the caller may read.")
    @authenticated
    async def approval_request(self, info: strawberry.Info, id: strawberry.ID) -> ApprovalRequestType | None:
        rid = try_parse_id(id)
        async with info.context.db.read() as session:
            request = await session.get(ApprovalRequest, rid) if rid else None
        return request if request is not None and await _readable(info, request) else None


@strawberry.type
class ApprovalMutation:
    @strawberry.mutation(description="Add a chain for a kind of record; it is tried in `position` order with the others.")
    @requires("approval_chain", "write")
    async def create_approval_chain(self, info: strawberry.Info, input: ApprovalChainInput) -> ApprovalChainPayload:
        async def work(session):
            chain = ApprovalChain(resource="", name="")
            session.add(chain)
            await _fill(session, info, chain, input)
            return ApprovalChainPayload(chain=chain)

        return await mutation(info, ApprovalChainPayload, work)

    @strawberry.mutation(description="Replace a chain and its steps; CONFLICT when `version` is not the current one.")
    @requires("approval_chain", "write")
    async def update_approval_chain(self, info: strawberry.Info, input: UpdateApprovalChainInput) -> ApprovalChainPayload:
        async def work(session):
            chain = await fetch_for_write(session, info, ApprovalChain, input.id, resource="approval_chain", version=input.version)
            await _fill(session, info, chain, input.chain)
            chain.updated_at = utcnow()
            return ApprovalChainPayload(chain=chain)

        return await mutation(info, ApprovalChainPayload, work)

    @strawberry.mutation(description="Soft delete: no new request follows it; requests in flight keep their steps.")
    @requires("approval_chain", "write")
    async def delete_approval_chain(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, ApprovalChain, input.id, resource="approval_chain")

    @strawberry.mutation(description="Bring a deleted approval chain back.")
    @requires("approval_chain", "write")
    async def restore_approval_chain(self, info: strawberry.Info, input: IdInput) -> ApprovalChainPayload:
        return await restore(info, ApprovalChain, input.id, resource="approval_chain", payload=ApprovalChainPayload, field="chain")

    @strawberry.mutation(description="Send a record (that the caller may change) through the approval chain that applies to it.")
    @authenticated
    async def submit_for_approval(self, info: strawberry.Info, input: SubmitForApprovalInput) -> ApprovalRequestPayload:
        ctx = info.context

        async def work(session):
            target = ctx.runtime.approval_targets.get(input.record_type)
            if target is None:
                raise Invalid.one("recordType", "INVALID", f"records of {input.record_type!r} do not take approval")
            if not ctx.access.can(target.resource, "write"):
                raise Invalid.one("recordId", "NOT_FOUND", f"{target.resource.replace('_', ' ')} not found")
            record = await fetch_for_write(session, info, target.model, input.record_id, resource=target.resource, field="recordId")
            request = await engine.submit(session, ctx.runtime, target, record, actor_id=ctx.user_id, convert=converter(ctx))
            return ApprovalRequestPayload(request=request)

        return await mutation(info, ApprovalRequestPayload, work)

    @strawberry.mutation(description="Approve the step of a request that waits for the caller; FORBIDDEN for others.")
    @authenticated
    async def approve(self, info: strawberry.Info, input: ApprovalDecisionInput) -> ApprovalRequestPayload:
        return await _decide(info, input, True)

    @strawberry.mutation(description="Reject a request (a comment is required): it goes back to the record's owner.")
    @authenticated
    async def reject(self, info: strawberry.Info, input: ApprovalDecisionInput) -> ApprovalRequestPayload:
        return await _decide(info, input, False)

    @strawberry.mutation(description="Take a pending request back (its submitter, or whoever may change the record).")
    @authenticated
    async def withdraw_approval(self, info: strawberry.Info, input: ApprovalDecisionInput) -> ApprovalRequestPayload:
        ctx = info.context

        async def may_write(request):
            target = ctx.runtime.approval_targets.get(request.resource)
            async with ctx.db.read() as session:
                record = await session.get(target.model, int(request.record_id)) if target else None
            return bool(record is not None and ctx.access.can(request.resource, "write")
                        and await ctx.access.permits(request.resource, "write", getattr(record, "owner_id", None)))

        async def work(session):
            request = await engine.withdraw(session, ctx.runtime, parse_id(input.request_id, "requestId"), ctx.user_id, input.comment,
                                            may_write=may_write)
            return ApprovalRequestPayload(request=request)

        return await mutation(info, ApprovalRequestPayload, work)


async def _decide(info, input: ApprovalDecisionInput, approve: bool):
    ctx = info.context

    async def work(session):
        request = await engine.decide(session, ctx.runtime, parse_id(input.request_id, "requestId"), ctx.user_id, approve,
                                      clean_text(input.comment, "comment", limit=2000))
        return ApprovalRequestPayload(request=request)

    return await mutation(info, ApprovalRequestPayload, work)



