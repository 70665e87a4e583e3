"""The loyalty plugin's tables: one account per customer, a ledger of point entries, the programme's settings and
the birthday gifts already planned."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, Model, Money, Timestamped, UTCDateTime, Versioned, id_column

TIERS = ("member", "silver", "gold")
KINDS = ("earn", "redeem", "adjust", "expire", "reversal")


class LoyaltyModel(Model):
    __abstract__ = True
    __plugin__ = "loyalty"


class Account(Timestamped, Versioned, LoyaltyModel):
    """A customer's membership: the balance and every point ever earned. Made by the first entry. Whose it is to read
    and change follows the customer's owner (resource `loyalty_account`)."""

    __tablename__ = "loyalty_account"
    __resource__ = "loyalty_account"

    id: Mapped[int] = id_column()
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False, unique=True)
    points: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lifetime_points: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Entry(LoyaltyModel):
    """One line of an account's ledger, never changed except `remaining`: what is left of points earned (a lot),
    spent oldest first and expired at `expires_at`. Spending and expiry take from lots; the balance is the sum of
    `points` and equals the sum of `remaining`."""

    __tablename__ = "loyalty_entry"
    __table_args__ = (
        Index("ix_loyalty_entry_account", "account_id", "id"),
        Index("ix_loyalty_entry_expiring", "expires_at", "remaining"),
        UniqueConstraint("order_id", "kind", name="uq_loyalty_entry_order_kind"),  # an order earns once, is reversed once
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = mapped_column(ID, ForeignKey("loyalty_account.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)  # + earned or added, - spent, expired or taken back
    remaining: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_id: Mapped[int | None] = mapped_column(ID, ForeignKey("sales_order.id"))
    spend: Mapped[Decimal | None] = mapped_column(Money)  # the order's total in the reporting currency (earn only)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))


class Programme(Versioned, LoyaltyModel):
    """The programme's rules: one row (id 1), changed by admins through `updateLoyaltyProgramme`."""

    __tablename__ = "loyalty_programme"
    __resource__ = "loyalty_programme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    points_per_unit: Mapped[Decimal] = mapped_column(Money, nullable=False)  # per unit of the reporting currency
    expiry_days: Mapped[int] = mapped_column(Integer, nullable=False)
    silver_points: Mapped[int] = mapped_column(Integer, nullable=False)
    silver_spend: Mapped[Decimal] = mapped_column(Money, nullable=False)
    gold_points: Mapped[int] = mapped_column(Integer, nullable=False)
    gold_spend: Mapped[Decimal] = mapped_column(Money, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class BirthdayGift(LoyaltyModel):
    """A contact's birthday in a year that already has its task: what makes the birthday job idempotent."""

    __tablename__ = "loyalty_birthday_gift"
    __table_args__ = (UniqueConstraint("contact_id", "year", name="uq_loyalty_birthday_gift"),)

    id: Mapped[int] = id_column()
    contact_id: Mapped[int] = mapped_column(ID, ForeignKey("core_contact.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    task_id: Mapped[int | None] = mapped_column(ID)
