"""What service adds to the customer's timeline (each ticket's creation, status changes and public replies; internal
notes only for those who may read them) and to the customer's summary (open tickets)."""

from __future__ import annotations

from sqlalchemy import String, cast, func, literal, select, true

from crm.plugins.service.models import DONE, Survey, Ticket, TicketEvent

KINDS = ("created", "status", "reply", "note", "assigned", "warned", "escalated", "merged", "rated")


def ticket_life(access, customer_ids):
    notes = true() if access.can("ticket_comment_internal", "read") else TicketEvent.internal.is_(False)
    return select(
        Ticket.customer_id.label("customer_id"), (literal("ticket_event:") + cast(TicketEvent.id, String)).label("id"),
        TicketEvent.at.label("occurred_at"), (literal("ticket_") + TicketEvent.kind).label("kind"),
        (Ticket.number + literal(" ") + Ticket.subject).label("title"), TicketEvent.body.label("body"),
        literal("ticket").label("record_type"), cast(Ticket.id, String).label("record_id"), TicketEvent.actor_id.label("actor_id"),
    ).join(Ticket, Ticket.id == TicketEvent.ticket_id).where(
        Ticket.customer_id.in_(customer_ids), Ticket.deleted_at.is_(None), access.filter_or_none(Ticket, "ticket"), notes)


def open_tickets_loader(ctx):
    """Per customer, how many of its tickets the caller may read are not resolved or closed, for a whole list at once."""
    async def load(ids):
        stmt = select(Ticket.customer_id, func.count()).where(
            Ticket.customer_id.in_(ids), Ticket.deleted_at.is_(None), Ticket.status.not_in(DONE),
            ctx.access.filter_or_none(Ticket, "ticket")).group_by(Ticket.customer_id)
        async with ctx.db.read() as session:
            found = dict((await session.execute(stmt)).all())
        return [found.get(i, 0) for i in ids]

    return ctx.loader("service.customer.open_tickets", load)


def last_score_loader(ctx):
    """Per customer, the score of its latest answered survey, for a whole list at once (latest by a window function)."""
    async def load(ids):
        ranked = (select(Ticket.customer_id, Survey.score, func.row_number().over(
            partition_by=Ticket.customer_id, order_by=(Survey.answered_at.desc(), Survey.id.desc())).label("rn"))
            .join(Ticket, Ticket.id == Survey.ticket_id)
            .where(Ticket.customer_id.in_(ids), Survey.answered_at.is_not(None), Ticket.deleted_at.is_(None),
                   ctx.access.filter_or_none(Ticket, "ticket")).subquery())
        async with ctx.db.read() as session:
            found = dict((await session.execute(select(ranked.c.customer_id, ranked.c.score).where(ranked.c.rn == 1))).all())
        return [found.get(i) for i in ids]

    return ctx.loader("service.customer.last_score", load)


APPOINTMENT_KINDS = ("appointment_proposed", "appointment_confirmed", "appointment_done", "appointment_cancelled", "appointment_no_show")


def appointments(access, customer_ids):
    from crm.plugins.service.models import Appointment

    return select(
        Appointment.customer_id.label("customer_id"), (literal("appointment:") + cast(Appointment.id, String)).label("id"),
        Appointment.starts_at.label("occurred_at"), (literal("appointment_") + Appointment.status).label("kind"),
        Appointment.purpose.label("title"), Appointment.location.label("body"), literal("appointment").label("record_type"),
        cast(Appointment.id, String).label("record_id"), Appointment.owner_id.label("actor_id"),
    ).where(Appointment.customer_id.in_(customer_ids), Appointment.deleted_at.is_(None), access.filter_or_none(Appointment, "appointment"))
