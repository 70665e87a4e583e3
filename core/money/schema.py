"""GraphQL for money: the currencies, the dated exchange rates, and what reports could not convert."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy import func, or_, select

from crm.api.access import authenticated, requires
from crm.api.errors import Invalid, bad_input
from crm.api.inputs import IdInput
from crm.api.mutations import mutation, restore, soft_delete
from crm.api.pagination import connection_type, list_page
from crm.api.payloads import DeletePayload, payload_type
from crm.money import currencies
from crm.money.conversion import Unconverted
from crm.money.models import ExchangeRate
from crm.money.rates import put_rate, rate_errors


@strawberry.type(description="An ISO 4217 currency money may be entered in.")
class Currency:
    code: str = strawberry.field(description="The ISO 4217 code.")
    name: str = strawberry.field(description="Its name, in English.")
    minor_units: int = strawberry.field(description="Decimals of an amount: 2 for EUR, 0 for JPY, 3 for KWD. Document totals are rounded to them.")


def currency_info(code: str) -> Currency:
    return Currency(code=code, name=currencies.name(code), minor_units=currencies.minor_units(code))


@strawberry.type(name="ExchangeRate", description="`rate` units of `currency` buy one unit of the reporting currency, from "
                 "`validFrom` until the day before the currency's next rate.")
class ExchangeRateType:
    id: strawberry.ID
    currency: str
    base: str = strawberry.field(description="The reporting currency the rate is quoted against.")
    rate: Decimal = strawberry.field(description="Units of the currency one unit of the base currency buys.")
    valid_from: date = strawberry.field(description="The day it applies from, until the next rate.")
    version: int
    created_at: datetime
    updated_at: datetime


ExchangeRateConnection = connection_type("ExchangeRate", ExchangeRateType)


@strawberry.type(description="Records a report could not convert for want of an exchange rate on or before their date: "
                 "left out of the report's totals, and counted here per currency.")
class UnconvertedAmount:
    currency: str
    count: int = strawberry.field(description="How many amounts (deals, lines) had no rate.")
    amount: Decimal = strawberry.field(description="Their amount, in `currency`.")


def unconverted_list(found: Unconverted) -> list[UnconvertedAmount]:
    return [UnconvertedAmount(currency=c, count=n, amount=a) for c, n, a in found.items()]


def currency_argument(info, value: str | None) -> str:
    """A query's `currency` argument, validated (a typed BAD_USER_INPUT on `currency`); the reporting currency when absent."""
    if value is None:
        return info.context.settings.currency
    code = value.strip().upper()
    if not currencies.is_currency(code):
        raise bad_input("currency", f"{value!r} is not an ISO 4217 currency code such as EUR or USD")
    return code


@strawberry.input
class SetExchangeRateInput:
    currency: str = strawberry.field(description="ISO 4217 code of the currency quoted, e.g. USD.")
    rate: Decimal = strawberry.field(description="Units of `currency` per one unit of the reporting currency (ECB style: 1 EUR = 1.0823 USD).")
    valid_from: date = strawberry.field(description="The first day it applies; it applies until the currency's next rate.")


ExchangeRatePayload = payload_type("ExchangeRate", exchange_rate=ExchangeRateType)


@strawberry.type
class MoneyQuery:
    @strawberry.field(description="Every currency money may be entered in, by code.")
    @authenticated
    def currencies(self, info: strawberry.Info) -> list[Currency]:
        return [currency_info(code) for code in sorted(currencies.codes())]

    @strawberry.field(description="The currency reports count money in (the setting CRM_CURRENCY).")
    @authenticated
    def reporting_currency(self, info: strawberry.Info) -> Currency:
        return currency_info(info.context.settings.currency)

    @strawberry.field(description="Exchange rates against the reporting currency, by currency and day; with `from`, the rate "
                      "already in force on that day is included.")
    @requires("exchange_rate", "read")
    async def exchange_rates(self, info: strawberry.Info, currency: str | None = None,
                             from_: Annotated[date | None, strawberry.argument(name="from")] = None, to: date | None = None,
                             first: int | None = None, after: str | None = None,
                             last: int | None = None, before: str | None = None) -> ExchangeRateConnection:
        ctx = info.context
        r = ExchangeRate
        stmt = select(r).where(r.base == ctx.settings.currency, r.deleted_at.is_(None))
        if currency is not None:
            stmt = stmt.where(r.currency == currency_argument(info, currency))
        if from_ is not None and to is not None and to < from_:
            raise bad_input("to", "`to` is before `from`")
        if to is not None:
            stmt = stmt.where(r.valid_from <= to)
        if from_ is not None:
            in_force = ExchangeRate.__table__.alias("in_force")
            earlier = (select(func.max(in_force.c.valid_from))
                       .where(in_force.c.base == r.base, in_force.c.currency == r.currency, in_force.c.deleted_at.is_(None),
                              in_force.c.valid_from <= from_).scalar_subquery())  # the rate in force on `from`
            stmt = stmt.where(or_(r.valid_from >= from_, r.valid_from == earlier))
        return await list_page(info, stmt, order=[r.currency, r.valid_from, r.id],
                               first=first, after=after, last=last, before=before)


@strawberry.type
class MoneyMutation:
    @strawberry.mutation(description="Set the rate of a currency from a day on; setting a day again changes that day's rate.")
    @requires("exchange_rate", "write")
    async def set_exchange_rate(self, info: strawberry.Info, input: SetExchangeRateInput) -> ExchangeRatePayload:
        settings = info.context.settings

        async def work(session):
            code, errors = rate_errors(input.currency, input.rate, input.valid_from, settings.currency, settings.exchange_rate_horizon_days)
            if errors:
                raise Invalid(*errors)
            row = await put_rate(session, settings.currency, code, input.rate, input.valid_from)
            await session.flush()
            return ExchangeRatePayload(exchange_rate=row)

        return await mutation(info, ExchangeRatePayload, work)

    @strawberry.mutation(description="Withdraw a rate (restorable): the currency's previous rate then applies on its days.")
    @requires("exchange_rate", "write")
    async def delete_exchange_rate(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, ExchangeRate, input.id, resource="exchange_rate")

    @strawberry.mutation(description="Bring a withdrawn rate back.")
    @requires("exchange_rate", "write")
    async def restore_exchange_rate(self, info: strawberry.Info, input: IdInput) -> ExchangeRatePayload:
        return await restore(info, ExchangeRate, input.id, resource="exchange_rate", payload=ExchangeRatePayload, field="exchange_rate")
