"""A ticket's kept history: every status change, reply and note is a row that is never changed."""

from __future__ import annotations

import crm
from crm.plugins.service.models import Ticket, TicketEvent


def record(session, ticket: Ticket, kind: str, *, body: str | None = None, internal: bool = False,
           from_status: str | None = None, to_status: str | None = None) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, at=crm.utcnow(), kind=kind, internal=internal, body=body,
                        from_status=from_status, to_status=to_status, actor_id=session.info.get("actor_id"))
    session.add(event)
    return event
