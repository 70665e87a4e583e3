"""Tables of the service plugin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, BusinessRecord, JSONType, Model, SoftDeletable, Timestamped, UTCDateTime, Versioned, id_column

NUMBER = "T-{YYYY}-{seq:05}"  # crm.next_number: T-2026-00001
PAUSED = ("pending_customer", "on_hold")  # the SLA clock stops while the customer is awaited or work is parked
DONE = ("resolved", "closed")


class ServiceModel(Model):
    __abstract__ = True
    __plugin__ = "service"


class Ticket(BusinessRecord, ServiceModel):
    """A customer's request or complaint. Its owner is its assignee (so scopes work as for every record). SLA due
    times are fixed from the matching policy when it is made and moved on when a paused clock starts again."""

    __tablename__ = "service_ticket"
    __resource__ = "ticket"
    __table_args__ = (
        Index("ix_service_ticket_customer", "customer_id", "created_at"),
        Index("ix_service_ticket_owner_status", "owner_id", "status"),
        Index("ix_service_ticket_warn", "sla_warn_at"),
        Index("ix_service_ticket_sla_due", "sla_due_at"),
        # The escalation job's picks: the tickets of a stage whose warning or due time passed, not every ticket warned before.
        Index("ix_service_ticket_stage_warn", "sla_stage", "sla_warn_at"),
        Index("ix_service_ticket_stage_due", "sla_stage", "sla_due_at"),
        Index("ix_service_ticket_created", "created_at"),
    )

    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_contact.id"))
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="email")
    category: Mapped[str | None] = mapped_column(String(100))
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default="normal")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="new")
    queue_id: Mapped[int | None] = mapped_column(ID, ForeignKey("service_queue.id"), index=True)
    sla_policy_id: Mapped[int | None] = mapped_column(ID, ForeignKey("service_sla_policy.id"))
    first_response_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the SLA clock stopped then (PAUSED statuses)
    paused_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # working minutes spent paused so far
    # The target being worked towards now (the first response until reached, then the resolution), kept by sla.plan so
    # that the escalation job and ticketsAtRisk find tickets by index: its due time, when to warn, and how far the
    # job went (0 nothing yet, 1 the assignee warned, 2 escalated to the queue's manager).
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_stage: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Working minutes each target took (less pauses), written when reached: reports aggregate these in SQL. Whether it
    # was missed needs no column: the time it was reached against its due time.
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    merged_into_id: Mapped[int | None] = mapped_column(ID, ForeignKey("service_ticket.id"))  # closed as a duplicate of this one
    custom_fields: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)


class TicketTag(ServiceModel):
    """A ticket's tags (lower-case), a row each so that lists filter by tag through an index."""

    __tablename__ = "service_ticket_tag"
    __table_args__ = (Index("ix_service_ticket_tag_tag", "tag", "ticket_id"),)

    ticket_id: Mapped[int] = mapped_column(ID, ForeignKey("service_ticket.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class TicketEvent(ServiceModel):
    """A ticket's life, never changed: created, a status change (from, to), a public reply or an internal note."""

    __tablename__ = "service_ticket_event"
    __table_args__ = (Index("ix_service_ticket_event_ticket", "ticket_id", "at"),)

    id: Mapped[int] = id_column()
    ticket_id: Mapped[int] = mapped_column(ID, ForeignKey("service_ticket.id", ondelete="CASCADE"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # created status reply note assigned escalated merged
    internal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))


class SlaPolicy(Timestamped, SoftDeletable, Versioned, ServiceModel):
    """Targets for the tickets it matches (the first active policy by `position` whose set conditions all hold:
    priority, channel, category, a tag of the ticket's customer), counted in working minutes of a business calendar."""

    __tablename__ = "service_sla_policy"
    __resource__ = "sla_policy"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    calendar_id: Mapped[int] = mapped_column(ID, ForeignKey("core_business_calendar.id"), nullable=False)
    priority: Mapped[str | None] = mapped_column(String(10))
    channel: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(100))
    customer_tag: Mapped[str | None] = mapped_column(String(100))  # only tickets of customers with this tag (VIP support)
    first_response_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    resolution_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    warn_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=60)  # working minutes before a due time
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Queue(Timestamped, SoftDeletable, Versioned, ServiceModel):
    """Where tickets wait to be worked: its members and its manager are a core team's (one membership to keep), and
    assignment rules may pick among them (condition `queue_id`)."""

    __tablename__ = "service_queue"
    __resource__ = "queue"
    __table_args__ = (Index("uq_service_queue_name", "name", unique=True,
                            postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),)

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[int] = mapped_column(ID, ForeignKey("core_team.id"), nullable=False)


class Survey(ServiceModel):
    """A satisfaction survey of a resolved ticket: a link with a one-time token (kept hashed) that the customer answers
    once, with a score from 1 to 5 and a comment, before it expires."""

    __tablename__ = "service_survey"

    id: Mapped[int] = id_column()
    ticket_id: Mapped[int] = mapped_column(ID, ForeignKey("service_ticket.id", ondelete="CASCADE"), nullable=False, unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class Staff(ServiceModel):
    """A staff member who takes appointments: the business calendar of their working hours, and the token of their
    calendar feed (.ics; kept hashed)."""

    __tablename__ = "service_staff"

    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), primary_key=True)
    calendar_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_business_calendar.id"))
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class Appointment(BusinessRecord, ServiceModel):
    """A meeting with a customer, held by a staff member (its owner, so scopes work as for every record). Confirmed
    appointments of one staff member never overlap: on PostgreSQL an exclusion constraint on the time range decides,
    on SQLite the booking's write transaction, the only writer, checks first."""

    __tablename__ = "service_appointment"
    __resource__ = "appointment"
    __table_args__ = (
        Index("ix_service_appointment_owner_starts", "owner_id", "starts_at"),
        Index("ix_service_appointment_customer", "customer_id", "starts_at"),
    )

    id: Mapped[int] = id_column()
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_contact.id"))
    ticket_id: Mapped[int | None] = mapped_column(ID, ForeignKey("service_ticket.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="in_person")  # in_person phone video
    location: Mapped[str | None] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="confirmed")  # proposed confirmed done cancelled no_show
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
