"""Quotes and orders: line items with exact totals, status flows, and the order events other plugins act on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Optional

import strawberry
from sqlalchemy import delete, select

import crm
from crm import Invalid, fetch_for_write, mutation, requires, try_parse_id, utcnow
from crm.plugins.catalogue.lines import LineInput, build_lines, line_amounts, totals
from crm.plugins.sales.models import ORDER_NUMBER, QUOTE_NUMBER, Opportunity, OpportunityLine, Order, OrderLine, Quote, QuoteLine
from crm.plugins.catalogue.pricing import price_for_customer
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.enums import OrderStatus, QuoteStatus


@strawberry.input
class CreateQuoteInput:
    customer_id: strawberry.ID
    lines: list[LineInput]
    opportunity_id: strawberry.ID | None = None
    currency: str | None = strawberry.field(default=None, description="Defaults to the opportunity's, or the reporting currency.")
    valid_until: date | None = None
    notes: str | None = None


@strawberry.input
class UpdateQuoteInput:
    id: strawberry.ID
    version: int
    lines: list[LineInput] | None = None
    valid_until: date | None = None
    notes: str | None = None


@strawberry.input
class QuoteFromOpportunityInput:
    opportunity_id: strawberry.ID
    valid_until: date | None = strawberry.field(default=None, description="The last day the quote may be accepted.")


@strawberry.input
class DocumentStepInput:
    id: strawberry.ID
    version: int
    reason: str | None = strawberry.field(default=None, description="Why (rejecting a quote, cancelling an order).")


@strawberry.input
class AcceptQuoteInput:
    id: strawberry.ID
    version: int
    create_order: bool = strawberry.field(default=True, description="Also create a draft order with the quote's lines.")


@strawberry.input
class CreateOrderInput:
    customer_id: strawberry.ID
    lines: list[LineInput]
    opportunity_id: strawberry.ID | None = None
    currency: str | None = None


async def _customer_and_opportunity(session, info, customer_raw, opportunity_raw):
    """The one rule for every document a caller creates: they may read its customer, and its opportunity if it has
    one. Owning a deal on a colleague's customer is not enough to write documents about that customer (docs/api.md)."""
    opp = None
    if opportunity_raw is not None:
        opp = await fetch_for_write(session, info, Opportunity, opportunity_raw, resource="opportunity", field="opportunityId", action="read")
    if customer_raw is None:  # from the opportunity: its customer, under the same rule
        customer = await session.get(crm.Customer, opp.customer_id)
        if customer is None or customer.deleted_at is not None or not await info.context.access.permits("customer", "read", customer.owner_id):
            raise Invalid.one("opportunityId", "FORBIDDEN", "you may not read this opportunity's customer, so you may not quote it")
        return customer, opp
    customer = await fetch_for_write(session, info, crm.Customer, customer_raw, resource="customer", field="customerId", action="read")
    if opp is not None and opp.customer_id != customer.id:
        raise Invalid.one("opportunityId", "INVALID", "the opportunity belongs to another customer")
    return customer, opp


async def _set_lines(session, document, line_class, key: str, inputs: list[LineInput]) -> None:
    if not inputs:
        raise Invalid.one("lines", "REQUIRED", "a document needs at least one line")
    await session.execute(delete(line_class).where(getattr(line_class, key) == document.id))

    async def price(product):
        return await price_for_customer(session, product, document.customer_id, document.currency, utcnow().date())

    lines = await build_lines(session, line_class, inputs, price, document.currency, **{key: document.id})
    session.add_all(lines)
    document.subtotal, document.tax_total, document.total = totals(lines)


def _copy_lines(source_lines, line_class, **owner) -> list:
    return [line_class(position=line.position, product_id=line.product_id, description=line.description, quantity=line.quantity,
                       unit_price=line.unit_price, discount_percent=line.discount_percent, tax_percent=line.tax_percent,
                       net=line.net, tax=line.tax, **owner) for line in source_lines]


async def _step(info, model, resource: str, raw_id, version: int, allowed: tuple[str, ...], action):
    payload = t.QuotePayload if model is Quote else t.OrderPayload

    async def work(session):
        document = await fetch_for_write(session, info, model, raw_id, resource=resource, version=version)
        if document.status not in allowed:
            raise Invalid.one("id", "INVALID", f"a {document.status} {resource} cannot do this (only {', '.join(allowed)})")
        result = await action(session, document)
        document.updated_at = utcnow()
        return result

    return await mutation(info, payload, work)


def _document_filter(model, customer_id, status) -> list:
    conds = []
    if customer_id:
        conds.append(model.customer_id == try_parse_id(customer_id))
    if status:
        conds.append(model.status == status.value)
    return conds


async def list_documents(info, model, resource: str, first, after, conditions: list, customer_id: int | None = None,
                         last: int | None = None, before: str | None = None):
    """Quotes or orders the caller may read, newest first, a keyset page at a time; with `customer_id`, one
    customer's, read for every customer of a list at once."""
    stmt = select(model).where(info.context.access.filter(model, resource), model.deleted_at.is_(None), *conditions)
    return await crm.list_page(info, stmt, order=[model.id], direction=crm.SortDirection.DESC,
                               first=first, after=after, last=last, before=before,
                               parent=model.customer_id if customer_id is not None else None, parent_id=customer_id)


@strawberry.type
class DocumentQuery:
    @strawberry.field(description="Quotes the caller may read, newest first.")
    @requires("quote", "read")
    async def quotes(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None,
                     customer_id: strawberry.ID | None = None,
                     status: Annotated[QuoteStatus | None, strawberry.argument(description="Only quotes in this status.")] = None) -> t.QuoteConnection:
        return await list_documents(info, Quote, "quote", first, after, _document_filter(Quote, customer_id, status),
                                    last=last, before=before)

    @strawberry.field(description="Orders the caller may read, newest first.")
    @requires("order", "read")
    async def orders(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None,
                     customer_id: strawberry.ID | None = None,
                     status: Annotated[OrderStatus | None, strawberry.argument(description="Only orders in this status.")] = None) -> t.OrderConnection:
        return await list_documents(info, Order, "order", first, after, _document_filter(Order, customer_id, status),
                                    last=last, before=before)

    @strawberry.field(description="One quote; null when there is none the caller may read.")
    @requires("quote", "read")
    async def quote(self, info: strawberry.Info, id: strawberry.ID) -> t.Quote | None:
        quote_id = try_parse_id(id)
        if quote_id is None:
            return None
        async with info.context.db.read() as session:
            return await session.scalar(select(Quote).where(Quote.id == quote_id, Quote.deleted_at.is_(None),
                                                            info.context.access.filter(Quote, "quote")))

    @strawberry.field(description="One order; null when there is none the caller may read.")
    @requires("order", "read")
    async def order(self, info: strawberry.Info, id: strawberry.ID) -> Optional[t.OrderRef]:  # noqa: UP007 - lazy
        order_id = try_parse_id(id)
        return await crm.visible_loader(info.context, Order, "order").load(order_id) if order_id else None


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(description="Make a quote for a customer.")
    @requires("quote", "write")
    async def create_quote(self, info: strawberry.Info, input: CreateQuoteInput) -> t.QuotePayload:
        async def work(session):
            customer, opp = await _customer_and_opportunity(session, info, input.customer_id, input.opportunity_id)
            quote = Quote(number=await crm.next_number(session, "quote", QUOTE_NUMBER), customer_id=customer.id, opportunity_id=opp.id if opp else None,
                          currency=crm.currency_code(input.currency, opp.currency if opp else info.context.settings.currency), valid_until=input.valid_until,
                          notes=input.notes, owner_id=info.context.user_id)
            session.add(quote)
            await session.flush()
            await _set_lines(session, quote, QuoteLine, "quote_id", input.lines)
            return t.QuotePayload(quote=quote)

        return await mutation(info, t.QuotePayload, work)

    @strawberry.mutation(description="A draft quote with the opportunity's lines (or one line for its amount).")
    @requires("quote", "write")
    async def create_quote_from_opportunity(self, info: strawberry.Info, input: QuoteFromOpportunityInput) -> t.QuotePayload:
        async def work(session):
            _, opp = await _customer_and_opportunity(session, info, None, input.opportunity_id)
            quote = Quote(number=await crm.next_number(session, "quote", QUOTE_NUMBER), customer_id=opp.customer_id, opportunity_id=opp.id,
                          currency=opp.currency, valid_until=input.valid_until, owner_id=info.context.user_id)
            session.add(quote)
            await session.flush()
            source = (await session.scalars(select(OpportunityLine).where(OpportunityLine.opportunity_id == opp.id).order_by(OpportunityLine.position))).all()
            if source:
                lines = _copy_lines(source, QuoteLine, quote_id=quote.id)
            else:
                net, tax = line_amounts(Decimal(1), opp.amount, Decimal(0), Decimal(0), opp.currency)
                lines = [QuoteLine(position=0, description=opp.name, quantity=Decimal(1), unit_price=opp.amount,
                                   discount_percent=Decimal(0), tax_percent=Decimal(0), net=net, tax=tax, quote_id=quote.id)]
            session.add_all(lines)
            quote.subtotal, quote.tax_total, quote.total = totals(lines)
            return t.QuotePayload(quote=quote)

        return await mutation(info, t.QuotePayload, work)

    @strawberry.mutation(description="Change a draft quote.")
    @requires("quote", "write")
    async def update_quote(self, info: strawberry.Info, input: UpdateQuoteInput) -> t.QuotePayload:
        async def action(session, quote):
            if input.lines is not None:
                await _set_lines(session, quote, QuoteLine, "quote_id", input.lines)
            if input.valid_until is not None:
                quote.valid_until = input.valid_until
            if input.notes is not None:
                quote.notes = input.notes
            return t.QuotePayload(quote=quote)

        return await _step(info, Quote, "quote", input.id, input.version, ("draft",), action)

    @strawberry.mutation(description="Send a draft quote to the customer. APPROVAL_REQUIRED while an approval chain covers it (a "
                                     "large discount, say) and it is not approved as it is now.")
    @requires("quote", "write")
    async def send_quote(self, info: strawberry.Info, input: DocumentStepInput) -> t.QuotePayload:
        async def action(session, quote):
            if quote.valid_until and quote.valid_until < utcnow().date():
                raise Invalid.one("id", "INVALID", "this quote's validity has passed; change validUntil first")
            if await crm.approval_required(info, session, "quote", quote):
                raise Invalid.one("id", "APPROVAL_REQUIRED", "this quote needs approval before it is sent: "
                                                             'submitForApproval(input: {recordType: "quote", recordId: ...})')
            quote.status = "sent"
            return t.QuotePayload(quote=quote)

        return await _step(info, Quote, "quote", input.id, input.version, ("draft",), action)

    @strawberry.mutation(description="The customer accepted: by default a draft order with the same lines is created.")
    @requires("quote", "write")
    async def accept_quote(self, info: strawberry.Info, input: AcceptQuoteInput) -> t.QuotePayload:
        async def action(session, quote):
            if quote.valid_until and quote.valid_until < utcnow().date():
                raise Invalid.one("id", "INVALID", "this quote expired")
            quote.status = "accepted"
            order = None
            if input.create_order:
                if not info.context.access.can("order", "write"):
                    raise Invalid.one("createOrder", "FORBIDDEN", "you may not create orders")
                order = Order(number=await crm.next_number(session, "order", ORDER_NUMBER), customer_id=quote.customer_id, quote_id=quote.id,
                              opportunity_id=quote.opportunity_id, currency=quote.currency, subtotal=quote.subtotal,
                              tax_total=quote.tax_total, total=quote.total, owner_id=info.context.user_id)
                session.add(order)
                await session.flush()
                source = (await session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position))).all()
                session.add_all(_copy_lines(source, OrderLine, order_id=order.id))
            return t.QuotePayload(quote=quote, order=order)

        return await _step(info, Quote, "quote", input.id, input.version, ("draft", "sent"), action)

    @strawberry.mutation(description="Record that the customer rejected a quote.")
    @requires("quote", "write")
    async def reject_quote(self, info: strawberry.Info, input: DocumentStepInput) -> t.QuotePayload:
        async def action(session, quote):
            quote.status = "rejected"
            if input.reason:
                quote.notes = ((quote.notes + "\n") if quote.notes else "") + f"Rejected: {input.reason}"
            return t.QuotePayload(quote=quote)

        return await _step(info, Quote, "quote", input.id, input.version, ("draft", "sent"), action)

    @strawberry.mutation(description="Make a draft order for a customer.")
    @requires("order", "write")
    async def create_order(self, info: strawberry.Info, input: CreateOrderInput) -> t.OrderPayload:
        async def work(session):
            customer, opp = await _customer_and_opportunity(session, info, input.customer_id, input.opportunity_id)
            order = Order(number=await crm.next_number(session, "order", ORDER_NUMBER), customer_id=customer.id, opportunity_id=opp.id if opp else None,
                          currency=crm.currency_code(input.currency, opp.currency if opp else info.context.settings.currency), owner_id=info.context.user_id)
            session.add(order)
            await session.flush()
            await _set_lines(session, order, OrderLine, "order_id", input.lines)
            return t.OrderPayload(order=order)

        return await mutation(info, t.OrderPayload, work)

    @strawberry.mutation(description="Confirm a draft order. Publishes crm_on_order_confirmed; a plugin may refuse it (e.g. no stock).")
    @requires("order", "write")
    async def confirm_order(self, info: strawberry.Info, input: DocumentStepInput) -> t.OrderPayload:
        async def action(session, order):
            order.status, order.confirmed_at = "confirmed", utcnow()
            await session.flush()
            await crm.publish(session, "crm_on_order_confirmed", order=order)
            return t.OrderPayload(order=order)

        return await _step(info, Order, "order", input.id, input.version, ("draft",), action)

    @strawberry.mutation(description="Mark a confirmed order fulfilled (delivered).")
    @requires("order", "write")
    async def fulfill_order(self, info: strawberry.Info, input: DocumentStepInput) -> t.OrderPayload:
        async def action(session, order):
            order.status = "fulfilled"
            await session.flush()
            await crm.publish(session, "crm_on_order_fulfilled", order=order)
            return t.OrderPayload(order=order)

        return await _step(info, Order, "order", input.id, input.version, ("confirmed",), action)

    @strawberry.mutation(description="Cancel a draft or confirmed order. Publishes crm_on_order_cancelled.")
    @requires("order", "write")
    async def cancel_order(self, info: strawberry.Info, input: DocumentStepInput) -> t.OrderPayload:
        async def action(session, order):
            order.status, order.cancelled_at, order.cancel_reason = "cancelled", utcnow(), (input.reason or "").strip() or None
            await session.flush()
            await crm.publish(session, "crm_on_order_cancelled", order=order)
            return t.OrderPayload(order=order)

        return await _step(info, Order, "order", input.id, input.version, ("draft", "confirmed"), action)
