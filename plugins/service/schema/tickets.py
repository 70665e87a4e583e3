"""Tickets: create, change, assign, move through their statuses, reply and note; lists filtered by scope in SQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Optional

import strawberry
from sqlalchemy import case, delete, func, insert, select, update
from strawberry.scalars import JSON

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id
from crm.plugins.service import history, sla
from crm.plugins.service.models import DONE, NUMBER, PAUSED, Queue, Survey, Ticket, TicketEvent, TicketTag
from crm.plugins.service.schema import types as t

UNSET = strawberry.UNSET
# Where a ticket may go from each status. CLOSED is final; a RESOLVED ticket is reopened by moving it to OPEN.
MOVES = {
    "new": {"open", "pending_customer", "on_hold", "resolved"},
    "open": {"pending_customer", "on_hold", "resolved"},
    "pending_customer": {"open", "on_hold", "resolved"},
    "on_hold": {"open", "pending_customer", "resolved"},
    "resolved": {"open", "closed"},
    "closed": set(),
}


@strawberry.input
class CreateTicketInput:
    customer_id: strawberry.ID
    subject: str
    description: str | None = None
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="A contact of the customer who asked.")
    channel: t.TicketChannel = t.TicketChannel.EMAIL
    category: str | None = None
    priority: t.TicketPriority = t.TicketPriority.NORMAL
    queue_id: strawberry.ID | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to whom the first matching assignment "
                                                         "rule gives it (resource `ticket`), else the caller.")
    custom_fields: JSON | None = None


@strawberry.input(description="Change a ticket: only the fields given change. A new priority, channel or category sets its SLA "
                              "targets again from its creation, by the policy that matches it now.")
class UpdateTicketInput:
    id: strawberry.ID
    version: int
    subject: str | None = UNSET
    description: str | None = UNSET
    contact_id: strawberry.ID | None = UNSET
    channel: t.TicketChannel | None = UNSET
    category: str | None = UNSET
    priority: t.TicketPriority | None = UNSET
    queue_id: strawberry.ID | None = UNSET
    tags: list[str] | None = strawberry.field(default=UNSET, description="Replaces its tags.")
    custom_fields: JSON | None = UNSET


@strawberry.input
class AssignTicketInput:
    id: strawberry.ID
    version: int
    assignee_id: strawberry.ID


@strawberry.input(description="Merge duplicates into one ticket: the sources' history moves to the target, each source is closed "
                              "pointing at it. All must be the same customer's, none closed.")
class MergeTicketsInput:
    target_id: strawberry.ID = strawberry.field(description="The ticket that stays and gets the others' comments and history.")
    source_ids: list[strawberry.ID] = strawberry.field(description="Tickets merged into the target, then closed.")


@strawberry.input
class SendSatisfactionSurveyInput:
    ticket_id: strawberry.ID


@strawberry.input
class ChangeTicketStatusInput:
    id: strawberry.ID
    version: int
    status: t.TicketStatus = strawberry.field(description="The new status.")
    note: str | None = strawberry.field(default=None, description="Why, kept with the change (visible as the change is).")


@strawberry.input
class AddTicketCommentInput:
    ticket_id: strawberry.ID
    body: str = strawberry.field(description="The reply's or note's text.")
    internal: bool = strawberry.field(default=False, description="An internal note, for colleagues only (needs `ticket_comment_internal` write).")


@strawberry.input
class TicketFilter:
    customer_id: strawberry.ID | None = None
    assignee_id: strawberry.ID | None = None
    queue_id: strawberry.ID | None = None
    status: list[t.TicketStatus] | None = strawberry.field(default=None, description="Any of these.")
    priority: t.TicketPriority | None = strawberry.field(default=None, description="Only tickets of these priorities.")
    channel: t.TicketChannel | None = strawberry.field(default=None, description="Only tickets of these channels.")
    category: str | None = strawberry.field(default=None, description="Only tickets of this category.")
    tags: list[str] | None = strawberry.field(default=None, description="Tickets with any of these tags.")
    open: bool | None = strawberry.field(default=None, description="true: not resolved or closed; false: resolved or closed.")
    search: str | None = strawberry.field(default=None, description="Number or subject contains this, ignoring case.")
    custom_fields: list[crm.CustomFieldFilter] | None = None
    deleted: bool = strawberry.field(default=False, description="True: only deleted tickets; false (the default): only those that are not.")


@strawberry.enum(description="What the ticket list is ordered by.")
class TicketOrderField(enum.Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    PRIORITY = strawberry.enum_value("priority", description="URGENT first when descending, then by age.")
    DUE = strawberry.enum_value("due", description="The current SLA target's due time; tickets without one (resolved, no policy) "
                                                   "sort as due last.")


@strawberry.input(description="How a ticket list is ordered (default: newest first).")
class TicketOrder:
    field: TicketOrderField = strawberry.field(default=TicketOrderField.CREATED_AT, description="What the list is ordered by.")
    direction: crm.SortDirection = strawberry.field(default=crm.SortDirection.DESC, description="Ascending or descending.")


RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
NEVER = datetime(9999, 12, 31, tzinfo=UTC)


def _order(order: TicketOrder | None):
    """The sort columns of `order` (ending with the id) and how to read them back from a ticket for its cursor."""
    order = order or TicketOrder()
    if order.field == TicketOrderField.PRIORITY:
        rank = case(*((Ticket.priority == p, r) for p, r in RANK.items()), else_=0)
        return order, [rank, Ticket.id], lambda t: [RANK.get(t.priority, 0), t.id]
    if order.field == TicketOrderField.DUE:
        return order, [func.coalesce(Ticket.sla_due_at, NEVER), Ticket.id], lambda t: [t.sla_due_at or NEVER, t.id]
    column = Ticket.created_at if order.field == TicketOrderField.CREATED_AT else Ticket.updated_at
    return order, [column, Ticket.id], lambda t: [getattr(t, column.key), t.id]


def ticket_conditions(f: TicketFilter | None) -> list:
    f = f or TicketFilter()
    conds = [Ticket.deleted_at.is_not(None) if f.deleted else Ticket.deleted_at.is_(None)]
    for column, raw in ((Ticket.customer_id, f.customer_id), (Ticket.owner_id, f.assignee_id), (Ticket.queue_id, f.queue_id)):
        if raw is not None:
            conds.append(column == try_parse_id(raw))
    if f.status:
        conds.append(Ticket.status.in_([s.value for s in f.status]))
    for column, value in ((Ticket.priority, f.priority), (Ticket.channel, f.channel)):
        if value is not None:
            conds.append(column == value.value)
    if f.category and f.category.strip():
        conds.append(Ticket.category == f.category.strip())
    if f.open is not None:
        conds.append(Ticket.status.not_in(DONE) if f.open else Ticket.status.in_(DONE))
    if f.tags:  # IN (the tagged tickets) through the (tag, ticket_id) index
        conds.append(Ticket.id.in_(select(TicketTag.ticket_id).where(TicketTag.tag.in_([t.strip().lower() for t in f.tags]))))
    if term := crm.search_term(f.search):
        term = f"%{term}%"
        conds.append(Ticket.number.ilike(term) | Ticket.subject.ilike(term))
    return conds


async def list_tickets(info, first, after, conditions, customer_id: int | None = None, order_by: TicketOrder | None = None,
                       last: int | None = None, before: str | None = None) -> t.TicketConnection:
    """Tickets the caller may read in `order_by`'s order; with `customer_id`, one customer's, read for every customer of a
    list at once (newest first)."""
    stmt = select(Ticket).where(info.context.access.filter(Ticket, "ticket"), *conditions)
    if customer_id is not None:
        return await crm.list_page(info, stmt, order=[Ticket.id], direction=crm.SortDirection.DESC,
                                   first=first, after=after, last=last, before=before,
                                   parent=Ticket.customer_id, parent_id=customer_id)
    order, columns, values = _order(order_by)
    return await crm.list_page(info, stmt, order=columns, direction=order.direction,
                               first=first, after=after, last=last, before=before, row_values=values)


async def _filtered(info, filter: TicketFilter | None) -> list:
    return [*ticket_conditions(filter), *await crm.custom_field_conditions(info, Ticket, "ticket", filter.custom_fields if filter else None)]


@strawberry.type
class TicketQuery:
    @strawberry.field(description="Tickets the caller may read, in `orderBy`'s order (newest first).")
    @requires("ticket", "read")
    async def tickets(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None,
                      filter: TicketFilter | None = None, order_by: TicketOrder | None = None) -> t.TicketConnection:
        return await list_tickets(info, first, after, await _filtered(info, filter), order_by=order_by, last=last, before=before)

    @strawberry.field(description="The caller's open tickets, newest first.")
    @requires("ticket", "read")
    async def my_tickets(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                         last: int | None = None, before: str | None = None) -> t.TicketConnection:
        stmt = select(Ticket).where(info.context.access.filter(Ticket, "ticket"), Ticket.owner_id == info.context.user_id,
                                    Ticket.deleted_at.is_(None), Ticket.status.not_in(DONE))
        return await crm.list_page(info, stmt, order=[Ticket.id], direction=crm.SortDirection.DESC,
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="Open tickets whose current SLA target is near (its warning time passed) or missed, the "
                                  "soonest due first; paused tickets are not at risk while they wait.")
    @requires("ticket", "read")
    async def tickets_at_risk(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                              last: int | None = None, before: str | None = None,
                              queue_id: strawberry.ID | None = None) -> t.TicketConnection:
        stmt = select(Ticket).where(info.context.access.filter(Ticket, "ticket"), Ticket.sla_warn_at <= crm.utcnow(),
                                    Ticket.paused_since.is_(None), Ticket.status.not_in(DONE), Ticket.deleted_at.is_(None))
        if queue_id is not None:
            stmt = stmt.where(Ticket.queue_id == try_parse_id(queue_id))
        return await crm.list_page(info, stmt, order=[Ticket.sla_due_at, Ticket.id],
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="One ticket; null when there is none the caller may read.")
    @requires("ticket", "read")
    async def ticket(self, info: strawberry.Info, id: strawberry.ID) -> Optional[t.TicketRef]:  # noqa: UP007 - lazy
        ticket_id = try_parse_id(id)
        return await crm.visible_loader(info.context, Ticket, "ticket").load(ticket_id) if ticket_id else None


async def _contact(session, customer_id: int, raw) -> int | None:
    if raw is None:
        return None
    contact_id = parse_id(raw, "contactId")
    found = await session.scalar(select(crm.Contact.id).where(crm.Contact.id == contact_id, crm.Contact.customer_id == customer_id,
                                                               crm.Contact.deleted_at.is_(None)))
    if found is None:
        raise Invalid.one("contactId", "NOT_FOUND", "no such contact at this ticket's customer")
    return found


def _category(raw: str | None) -> str | None:
    return clean_text(raw, "category", limit=100) or None


async def _queue(session, raw) -> int | None:
    if raw is None:
        return None
    queue_id = parse_id(raw, "queueId")
    if await session.scalar(select(Queue.id).where(Queue.id == queue_id, Queue.deleted_at.is_(None))) is None:
        raise Invalid.one("queueId", "NOT_FOUND", "no queue with this ID")
    return queue_id


async def _set_tags(session, ticket: Ticket, raw: list[str]) -> None:
    """Replace the ticket's tags; the change goes into its audit entry as before/after lists."""
    tags = crm.clean_tags(raw)
    old = list((await session.scalars(select(TicketTag.tag).where(TicketTag.ticket_id == ticket.id).order_by(TicketTag.tag))).all())
    if tags == old:
        return
    await session.execute(delete(TicketTag).where(TicketTag.ticket_id == ticket.id))
    if tags:
        await session.execute(insert(TicketTag), [{"ticket_id": ticket.id, "tag": t} for t in tags])
    crm.audit_children(session, ticket, "tags", old, tags)


async def _ticket(session, info, raw_id, version: int | None) -> Ticket:
    return await fetch_for_write(session, info, Ticket, raw_id, resource="ticket", version=version)


async def _move(session, ticket: Ticket, to: str, at) -> None:
    """Status `to`, with the SLA clock stopped on entering a paused status and started again on leaving one."""
    before = ticket.status
    ticket.status = to
    if ticket.paused_since is not None and to not in PAUSED:
        await sla.resume(session, ticket, at)
    elif ticket.paused_since is None and to in PAUSED:
        ticket.paused_since = at
    if to == "resolved":
        ticket.resolved_at = at
        await sla.reach(session, ticket, "resolution", at)
    elif before == "resolved" and to == "open":  # reopened: the resolution target runs again
        ticket.resolved_at = ticket.resolution_minutes = None
        await sla.replan(session, ticket)
    elif to == "closed":
        await sla.replan(session, ticket)


@strawberry.type
class TicketMutation:
    @strawberry.mutation(description="A NEW ticket for a customer the caller may read, numbered T-2026-00001 and so on, with SLA "
                                     "targets from the first matching policy.")
    @requires("ticket", "write")
    async def create_ticket(self, info: strawberry.Info, input: CreateTicketInput) -> t.TicketPayload:
        ctx = info.context

        async def work(session):
            customer = await fetch_for_write(session, info, crm.Customer, input.customer_id, resource="customer", field="customerId", action="read")
            now = crm.utcnow()
            ticket = Ticket(subject=clean_text(input.subject, "subject", required=True, limit=300),
                            description=input.description, customer_id=customer.id, contact_id=await _contact(session, customer.id, input.contact_id),
                            channel=input.channel.value, category=_category(input.category), priority=input.priority.value, status="new",
                            queue_id=await _queue(session, input.queue_id), owner_id=ctx.user_id, created_at=now, updated_at=now,
                            custom_fields=await crm.clean_custom_fields(session, "ticket", input.custom_fields, None))
            if input.assignee_id is not None:
                ticket.owner_id = await crm.resolve_owner(session, ctx.access, input.assignee_id, "assigneeId", "ticket")
            else:
                picked = await crm.assign(ctx.runtime, session, "ticket", ticket)
                ticket.owner_id = picked.user_id if picked else ctx.user_id
            ticket.number = await crm.next_number(session, "ticket", NUMBER)
            await sla.start(session, ticket, now)
            tags = crm.clean_tags(input.tags)
            if tags:  # noted before the flush that writes the ticket, so that its "create" audit entry lists them
                crm.audit_children(session, ticket, "tags", [], tags)
            session.add(ticket)
            await session.flush()
            if tags:
                await session.execute(insert(TicketTag), [{"ticket_id": ticket.id, "tag": t} for t in tags])
            history.record(session, ticket, "created", to_status="new")
            return t.TicketPayload(ticket=ticket)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="Change a ticket; CONFLICT when `version` is not the current one. A closed ticket does not change.")
    @requires("ticket", "write")
    async def update_ticket(self, info: strawberry.Info, input: UpdateTicketInput) -> t.TicketPayload:
        async def work(session):
            ticket = await _ticket(session, info, input.id, input.version)
            if ticket.status == "closed":
                raise Invalid.one("id", "INVALID", "a closed ticket does not change; open a new one")
            matched = (ticket.priority, ticket.channel, ticket.category)
            if input.subject is not UNSET:
                ticket.subject = clean_text(input.subject, "subject", required=True, limit=300)
            if input.description is not UNSET:
                ticket.description = input.description
            if input.contact_id is not UNSET:
                ticket.contact_id = await _contact(session, ticket.customer_id, input.contact_id)
            for field in ("channel", "priority"):
                value = getattr(input, field)
                if value is not UNSET:
                    if value is None:
                        raise Invalid.one(field, "REQUIRED", f"a ticket has a {field}")
                    setattr(ticket, field, value.value)
            if input.category is not UNSET:
                ticket.category = _category(input.category)
            if input.queue_id is not UNSET:
                ticket.queue_id = await _queue(session, input.queue_id)
            if input.custom_fields is not UNSET:
                ticket.custom_fields = await crm.clean_custom_fields(session, "ticket", input.custom_fields, ticket.custom_fields)
            if input.tags is not UNSET:
                await _set_tags(session, ticket, input.tags or [])
            if (ticket.priority, ticket.channel, ticket.category) != matched and ticket.status not in DONE:
                await sla.start(session, ticket, ticket.created_at)
            ticket.updated_at = crm.utcnow()
            return t.TicketPayload(ticket=ticket)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="Hand a ticket to someone within the caller's reach; kept in its history.")
    @requires("ticket", "write")
    async def assign_ticket(self, info: strawberry.Info, input: AssignTicketInput) -> t.TicketPayload:
        async def work(session):
            ticket = await _ticket(session, info, input.id, input.version)
            if ticket.status == "closed":
                raise Invalid.one("id", "INVALID", "a closed ticket is not handed on")
            owner = await crm.resolve_owner(session, info.context.access, input.assignee_id, "assigneeId", "ticket")
            if owner != ticket.owner_id:
                ticket.owner_id, ticket.updated_at = owner, crm.utcnow()
                name = await session.scalar(select(crm.User.name).where(crm.User.id == owner))
                history.record(session, ticket, "assigned", body=f"to {name}")
            return t.TicketPayload(ticket=ticket)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="Move a ticket to another status (see TicketStatus for the moves); kept in its history.")
    @requires("ticket", "write")
    async def change_ticket_status(self, info: strawberry.Info, input: ChangeTicketStatusInput) -> t.TicketPayload:
        async def work(session):
            ticket = await _ticket(session, info, input.id, input.version)
            to = input.status.value
            if to not in MOVES[ticket.status]:
                allowed = ", ".join(sorted(s.upper() for s in MOVES[ticket.status])) or "nothing: it is closed"
                raise Invalid.one("status", "INVALID", f"a {ticket.status.replace('_', ' ')} ticket may move to {allowed}")
            before, now = ticket.status, crm.utcnow()
            await _move(session, ticket, to, now)
            ticket.updated_at = now
            history.record(session, ticket, "status", body=clean_text(input.note, "note", limit=2000), from_status=before, to_status=to)
            return t.TicketPayload(ticket=ticket)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="A public reply (the first one reaches the first-response target) or an internal note. "
                                     "A reply to a NEW ticket opens it.")
    @requires("ticket", "write")
    async def add_ticket_comment(self, info: strawberry.Info, input: AddTicketCommentInput) -> t.TicketPayload:
        async def work(session):
            if input.internal and not info.context.access.can("ticket_comment_internal", "write"):
                raise Invalid.one("internal", "FORBIDDEN", "you may not write internal notes")
            ticket = await _ticket(session, info, input.ticket_id, None)
            if ticket.status == "closed":
                raise Invalid.one("ticketId", "INVALID", "a closed ticket takes no more comments")
            body = clean_text(input.body, "body", required=True, limit=20000)
            now = crm.utcnow()
            if not input.internal:
                if ticket.status == "new":
                    history.record(session, ticket, "status", from_status="new", to_status="open")
                    ticket.status = "open"
                if ticket.first_responded_at is None:  # the first public reply reaches the first-response target
                    if ticket.paused_since is not None:
                        await sla.resume(session, ticket, now, keep_paused=True)  # count the pause before the reply
                    ticket.first_responded_at = now
                    await sla.reach(session, ticket, "first_response", now)
            ticket.updated_at = now
            history.record(session, ticket, "note" if input.internal else "reply", body=body, internal=input.internal)
            return t.TicketPayload(ticket=ticket)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="Merge duplicate tickets into one (see MergeTicketsInput).")
    @requires("ticket", "write")
    async def merge_tickets(self, info: strawberry.Info, input: MergeTicketsInput) -> t.TicketPayload:
        async def work(session):
            target = await _ticket(session, info, input.target_id, None)
            ids = list(dict.fromkeys(parse_id(raw, f"sourceIds.{i}") for i, raw in enumerate(input.source_ids)))
            if not ids:
                raise Invalid.one("sourceIds", "REQUIRED", "name the duplicates to merge")
            if target.id in ids:
                raise Invalid.one("sourceIds", "INVALID", "a ticket is not merged into itself")
            if target.status == "closed":
                raise Invalid.one("targetId", "INVALID", "a closed ticket takes no more; merge into an open one")
            now = crm.utcnow()
            for i, source_id in enumerate(ids):
                source = await fetch_for_write(session, info, Ticket, str(source_id), resource="ticket", field=f"sourceIds.{i}")
                if source.customer_id != target.customer_id:
                    raise Invalid.one(f"sourceIds.{i}", "INVALID", "only tickets of the same customer are merged")
                if source.status == "closed":
                    raise Invalid.one(f"sourceIds.{i}", "INVALID", "this ticket is closed already")
                await session.execute(update(TicketEvent).where(TicketEvent.ticket_id == source.id).values(ticket_id=target.id)
                                      .execution_options(synchronize_session=False))
                history.record(session, target, "merged", body=f"{source.number} merged into this ticket")
                history.record(session, source, "merged", body=f"merged into {target.number}", from_status=source.status, to_status="closed")
                source.status, source.merged_into_id, source.updated_at = "closed", target.id, now
                await sla.replan(session, source)
            target.updated_at = now
            return t.TicketPayload(ticket=target)

        return await mutation(info, t.TicketPayload, work)

    @strawberry.mutation(description="The satisfaction survey link of a resolved or closed ticket, for the e-mail to the customer "
                                     "(`POST {path}` with {score: 1-5, comment} answers it, once, within 14 days). Sending again "
                                     "replaces the link; an answered survey is not sent again.")
    @requires("ticket", "write")
    async def send_satisfaction_survey(self, info: strawberry.Info, input: SendSatisfactionSurveyInput) -> t.SurveyLinkPayload:
        from crm.plugins.service import surveys

        async def work(session):
            ticket = await _ticket(session, info, input.ticket_id, None)
            if ticket.status not in DONE:
                raise Invalid.one("ticketId", "INVALID", "a survey is sent once the ticket is resolved")
            answered = await session.scalar(select(Survey.id).where(Survey.ticket_id == ticket.id, Survey.answered_at.is_not(None)))
            if answered is not None:
                raise Invalid.one("ticketId", "ANSWERED", "the customer answered this ticket's survey already")
            token, survey = await surveys.issue(session, ticket)
            return t.SurveyLinkPayload(survey=t.SurveyLink(path=f"/surveys/{token}", expires_at=survey.expires_at))

        return await mutation(info, t.SurveyLinkPayload, work)

    @strawberry.mutation(description="Soft delete (a ticket made by mistake); restoreTicket brings it back.")
    @requires("ticket", "write")
    async def delete_ticket(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Ticket, input.id, resource="ticket")

    @strawberry.mutation(description="Bring a deleted ticket back.")
    @requires("ticket", "write")
    async def restore_ticket(self, info: strawberry.Info, input: IdInput) -> t.TicketPayload:
        return await crm.restore(info, Ticket, input.id, resource="ticket", payload=t.TicketPayload, field="ticket")


@strawberry.type
class CustomerTickets:
    @strawberry.field(description="This customer's tickets that the caller may read, newest first.")
    @requires("ticket", "read")
    async def tickets(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None,
                      filter: TicketFilter | None = None) -> t.TicketConnection:
        return await list_tickets(info, first, after, ticket_conditions(filter), customer_id=self.id, last=last, before=before)


@strawberry.type
class SummaryTickets:
    @strawberry.field(description="How many of this customer's tickets (that the caller may read) are not resolved or closed.")
    @requires("ticket", "read", or_null=True)
    async def open_tickets(self, info: strawberry.Info) -> int | None:
        from crm.plugins.service.sources import open_tickets_loader

        return await open_tickets_loader(info.context).load(self.customer_id)

    @strawberry.field(description="The score of this customer's latest answered satisfaction survey (1-5) among tickets the caller may read.")
    @requires("ticket", "read", or_null=True)
    async def last_satisfaction_score(self, info: strawberry.Info) -> int | None:
        from crm.plugins.service.sources import last_score_loader

        return await last_score_loader(info.context).load(self.customer_id)
