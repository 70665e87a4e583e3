"""Tables of the leads plugin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, BusinessRecord, JSONType, Model, Money, SoftDeletable, Timestamped, UTCDateTime, Versioned, id_column

OPEN = ("new", "working")  # statuses of a lead still being worked: what pools recycle and claim limits count


class LeadsModel(Model):
    __abstract__ = True
    __plugin__ = "leads"


class LeadPool(Timestamped, SoftDeletable, Versioned, LeadsModel):
    """A shared pool (per region, product line, ...): its members claim leads, neglected leads come back to it."""

    __tablename__ = "leads_pool"
    __resource__ = "lead_pool"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    claim_limit: Mapped[int | None] = mapped_column(Integer)  # open leads of this pool one rep may hold; null: no limit
    recycle_after_days: Mapped[int | None] = mapped_column(Integer)  # back to the pool after this long without follow-up
    convert_within_days: Mapped[int | None] = mapped_column(Integer)  # back to the pool when not converted this long after the claim
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class LeadPoolMember(LeadsModel):
    __tablename__ = "leads_pool_member"

    pool_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_pool.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), primary_key=True, index=True)


class Lead(Timestamped, SoftDeletable, Versioned, LeadsModel):
    """A person or company that might buy. No owner while it waits in a pool."""

    __tablename__ = "leads_lead"
    __resource__ = "lead"
    __table_args__ = (
        Index("ix_leads_lead_pool_waiting", "pool_id", "owner_id", "created_at", "id"),  # a pool's page: unowned, oldest first
        Index("ix_leads_lead_owner_status", "owner_id", "status"),
        Index("ix_leads_lead_created", "created_at", "id"),
    )

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    company_name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(200))
    emails: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    phones: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    website: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(100))
    campaign: Mapped[str | None] = mapped_column(String(200))  # as captured (a form's, an import's utm_campaign)
    campaign_id: Mapped[int | None] = mapped_column(ID, ForeignKey("leads_campaign.id"), index=True)
    status: Mapped[str] = mapped_column(String(15), nullable=False, default="new")  # new working qualified unqualified converted
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    score_reasons: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)  # [{"rule", "points"}] behind `score`
    owner_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    pool_id: Mapped[int | None] = mapped_column(ID, ForeignKey("leads_pool.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when its current owner got it
    last_follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    custom_fields: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)  # the core's custom fields (entity "lead")
    disqualify_reason: Mapped[str | None] = mapped_column(String(500))
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    customer_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_customer.id"), index=True)  # what it became
    contact_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_contact.id"))


class LeadChannel(LeadsModel):
    """A lead's e-mail addresses and phone numbers in the core's normal form, for duplicate checks by index."""

    __tablename__ = "leads_channel"
    __table_args__ = (Index("ix_leads_channel_normalized", "kind", "normalized"),)

    id: Mapped[int] = id_column()
    lead_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_lead.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # email | phone
    normalized: Mapped[str] = mapped_column(String(320), nullable=False)


class LeadEvent(LeadsModel):
    """The lead's life, never changed: created, claimed, assigned, released, recycled, status changes, converted."""

    __tablename__ = "leads_event"

    id: Mapped[int] = id_column()
    lead_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_lead.id", ondelete="CASCADE"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    owner_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))  # the owner after the event
    pool_id: Mapped[int | None] = mapped_column(ID, ForeignKey("leads_pool.id"))
    detail: Mapped[str | None] = mapped_column(String(500))  # the reason, the rule, the new status


class LeadForm(Timestamped, SoftDeletable, Versioned, LeadsModel):
    """A web form on the company's site that creates leads: POST /forms/leads/{key}, no login."""

    __tablename__ = "leads_form"
    __resource__ = "lead_form"

    id: Mapped[int] = id_column()
    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)  # in the form's URL: long and random
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    fields: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)  # the lead fields the form may set
    pool_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_pool.id"), nullable=False)
    source: Mapped[str | None] = mapped_column(String(100))
    campaign: Mapped[str | None] = mapped_column(String(200))
    campaign_id: Mapped[int | None] = mapped_column(ID, ForeignKey("leads_campaign.id"))  # its leads count for that campaign
    redirect_url: Mapped[str | None] = mapped_column(String(500))
    honeypot: Mapped[str] = mapped_column(String(50), nullable=False, default="fax")  # a hidden field people leave empty
    per_address_per_hour: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Campaign(BusinessRecord, LeadsModel):
    """Marketing that produces leads and reaches customers' contacts: what it cost and what it brought."""

    __tablename__ = "leads_campaign"
    __resource__ = "campaign"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)  # email phone search social event direct_mail web referral
    status: Mapped[str] = mapped_column(String(15), nullable=False, default="planned")  # planned active completed aborted
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    budget: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    actual_cost: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    description: Mapped[str | None] = mapped_column(Text)


class CampaignMember(LeadsModel):
    """A lead or a customer's contact the campaign targets, and how they responded."""

    __tablename__ = "leads_campaign_member"
    __table_args__ = (UniqueConstraint("campaign_id", "lead_id", name="uq_leads_campaign_member_lead"),
                      UniqueConstraint("campaign_id", "contact_id", name="uq_leads_campaign_member_contact"))

    id: Mapped[int] = id_column()
    campaign_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_campaign.id", ondelete="CASCADE"), nullable=False, index=True)
    lead_id: Mapped[int | None] = mapped_column(ID, ForeignKey("leads_lead.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_contact.id"), index=True)
    status: Mapped[str] = mapped_column(String(15), nullable=False, default="targeted")  # targeted sent responded opted_out
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScoringRule(Timestamped, SoftDeletable, Versioned, LeadsModel):
    """Points a lead gets when it meets a condition; a lead's score is the sum of its rules' points, 0 to 100."""

    __tablename__ = "leads_scoring_rule"
    __resource__ = "lead_scoring"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    field: Mapped[str] = mapped_column(String(30), nullable=False)
    operator: Mapped[str] = mapped_column(String(15), nullable=False)  # present equals at_least within_days
    values: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    number: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
