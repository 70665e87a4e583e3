from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import BusinessRecord, JSONType, Model, Timestamped, Versioned, id_column
from crm.models.types import ID


class Customer(BusinessRecord, Model):
    __tablename__ = "core_customer"
    __resource__ = "customer"
    __table_args__ = (
        Index("ix_core_customer_owner_name", "owner_id", "search_name"),
        Index("ix_core_customer_search_name", "search_name", postgresql_ops={"search_name": "text_pattern_ops"}),
        Index("ix_core_customer_created", "created_at", "id"),
        # Keyset pages in name order (the text_pattern_ops index above serves prefix search only, not ORDER BY).
        Index("ix_core_customer_name_order", "search_name", "id"),
        Index("ix_core_customer_updated", "updated_at", "id"),
    )

    id: Mapped[int] = id_column()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # company | person
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    search_name: Mapped[str] = mapped_column(String(300), nullable=False)  # lower-cased name, for prefix search
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    size: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    source: Mapped[str | None] = mapped_column(String(100))
    lifecycle_stage: Mapped[str] = mapped_column(String(50), nullable=False, default="prospect", index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    website_domain: Mapped[str | None] = mapped_column(String(300), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    addresses: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    custom_fields: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)


# Region and industry filters ignore case ("emea" finds "EMEA"): these serve lower(column) = lower(value) on both databases.
Index("ix_core_customer_region_ci", func.lower(Customer.region))
Index("ix_core_customer_industry_ci", func.lower(Customer.industry))


class CustomerTag(Model):
    __tablename__ = "core_customer_tag"

    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Channel(Model):
    """An email address or phone number of a customer or of one of its contacts, as entered and normalised."""

    __tablename__ = "core_channel"
    __table_args__ = (Index("ix_core_channel_normalized", "kind", "normalized", postgresql_ops={"normalized": "text_pattern_ops"}),)

    id: Mapped[int] = id_column()
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id", ondelete="CASCADE"), nullable=False, index=True)
    contact_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_contact.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # email | phone
    value: Mapped[str] = mapped_column(String(320), nullable=False)
    normalized: Mapped[str] = mapped_column(String(320), nullable=False)
    label: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Contact(BusinessRecord, Model):
    __tablename__ = "core_contact"
    __resource__ = "contact"

    id: Mapped[int] = id_column()
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    title: Mapped[str | None] = mapped_column(String(200))
    birthday: Mapped[date | None] = mapped_column(Date)
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    custom_fields: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)


class CustomFieldDefinition(Timestamped, Versioned, Model):
    """An extra field an admin defined for an entity; values live in the entity's `custom_fields` JSON."""

    __tablename__ = "core_custom_field"
    __resource__ = "custom_field"
    __table_args__ = (UniqueConstraint("entity", "key"),)

    id: Mapped[int] = id_column()
    entity: Mapped[str] = mapped_column(String(50), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    type: Mapped[str] = mapped_column(String(20), nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    choices: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    archived: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
