"""Dated exchange rates: what one unit of the reporting currency was worth in another currency, from a day on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Numeric, String, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import Model, SoftDeletable, Timestamped, Versioned, id_column

RATE_DECIMALS = 12


class Rate(TypeDecorator):
    """An exact decimal rate: NUMERIC on PostgreSQL; text on SQLite, whose only decimals are binary floats."""

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(30, RATE_DECIMALS))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("a rate must be a Decimal, never a float")
        value = Decimal(value)
        return value if dialect.name == "postgresql" else format(value.normalize(), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value).normalize()


class ExchangeRate(Timestamped, SoftDeletable, Versioned, Model):
    """`rate` units of `currency` buy one unit of `base` (the reporting currency when it was entered), from
    `valid_from` until the day before the next rate of the same currency: the way central banks quote them (ECB:
    1 EUR = 1.0823 USD) and Salesforce's and Odoo's dated rates work."""

    __tablename__ = "core_exchange_rate"
    __resource__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("base", "currency", "valid_from", name="uq_core_exchange_rate_day"),)

    id: Mapped[int] = id_column()
    base: Mapped[str] = mapped_column(String(3), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
