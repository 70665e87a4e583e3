"""What the bridge adds to tickets: the order and the product a ticket is about, and complaints per product."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

import crm
from crm import Invalid, fetch_for_write, mutation, requires
from crm.plugins.catalogue.models import Product
from crm.plugins.catalogue.schema.types import ProductRef
from crm.plugins.sales.models import Opportunity, Order
from crm.plugins.sales.schema import types as sales_types
from crm.plugins.service import reports
from crm.plugins.service.models import Appointment, Ticket
from crm.plugins.service.schema import types as service_types
from crm.plugins.service.schema.appointments import AppointmentPayload
from crm.plugins.service.schema.reports import defect_period
from crm.plugins.service_sales.models import AppointmentSale, TicketSale


def link_loader(ctx, model=TicketSale, column: str = "ticket_id"):
    """The bridge's link rows by the id of what they link (a ticket, an appointment), for a whole list at once."""
    key = getattr(model, column)

    async def load(ids):
        from sqlalchemy import select

        async with ctx.db.read() as session:
            found = {getattr(r, column): r for r in (await session.scalars(select(model).where(key.in_(ids)))).all()}
        return [found.get(i) for i in ids]

    return ctx.loader(f"service_sales.{model.__tablename__}", load)


@strawberry.type
class TicketSales:
    @strawberry.field(description="The order this ticket is about.")
    @requires("order", "read", or_null=True)
    async def order(self, info: strawberry.Info) -> sales_types.OrderRef | None:
        link = await link_loader(info.context).load(self.id)
        return await crm.visible_loader(info.context, Order, "order").load(link.order_id) if link and link.order_id else None

    @strawberry.field(description="The product this ticket is about.")
    @requires("product", "read", or_null=True)
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        link = await link_loader(info.context).load(self.id)
        return await crm.by_id_loader(info.context, Product).load(link.product_id) if link and link.product_id else None


@strawberry.input
class SetTicketSubjectInput:
    ticket_id: strawberry.ID
    order_id: strawberry.ID | None = strawberry.field(default=None, description="An order of the ticket's customer.")
    product_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the order's only product, if it has one.")


@strawberry.type(description="A product customers complained about in the period, against the period of the same length before.")
class ProductDefectRow:
    tickets: int = strawberry.field(description="Tickets about it created in the period.")
    previous_tickets: int = strawberry.field(description="In the period of the same length before.")
    change_rate: float | None = strawberry.field(description="tickets / previousTickets - 1; null when there were none before.")
    product_id: strawberry.ID

    @strawberry.field(description="The product.")
    @requires("product", "read", or_null=True)
    async def product(self, info: strawberry.Info) -> ProductRef | None:
        return await crm.by_id_loader(info.context, Product).load(int(self.product_id))


@strawberry.type
class TicketSalesQuery:
    @strawberry.field(description="What product managers learn from complaints: the `first` (20) products with the most tickets "
                                  "created from `from` to `to` (UTC days), with the count in the period of the same length before.")
    @requires("ticket", "read")
    async def product_defect_report(self, info: strawberry.Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                                    first: int = 20) -> list[ProductDefectRow]:
        ctx = info.context
        lo, hi = defect_period(from_, to, first)
        stmt = reports.defects(ctx.access.filter(Ticket, "ticket"), lo - (hi - lo), lo, hi, first, key=TicketSale.product_id,
                               join=(TicketSale, TicketSale.ticket_id == Ticket.id))
        async with ctx.db.read() as session:
            rows = (await session.execute(stmt)).all()
        return [ProductDefectRow(product_id=strawberry.ID(str(r.key)), tickets=r.tickets, previous_tickets=r.previous,
                                 change_rate=round((r.tickets - r.previous) / r.previous, 4) if r.previous else None) for r in rows]


@strawberry.type
class TicketSalesMutation:
    @strawberry.mutation(description="Say which order and product a ticket is about (the order of the ticket's customer).")
    @requires("ticket", "write")
    async def set_ticket_subject(self, info: strawberry.Info, input: SetTicketSubjectInput) -> service_types.TicketPayload:
        async def work(session):
            from sqlalchemy import select

            ticket = await fetch_for_write(session, info, Ticket, input.ticket_id, resource="ticket", field="ticketId")
            link = await session.get(TicketSale, ticket.id) or TicketSale(ticket_id=ticket.id)
            order = None
            if input.order_id is not None:
                order = await fetch_for_write(session, info, Order, input.order_id, resource="order", field="orderId", action="read")
                if order.customer_id != ticket.customer_id:
                    raise Invalid.one("orderId", "INVALID", "the order belongs to another customer")
            product_id = None
            if input.product_id is not None:
                product_id = crm.parse_id(input.product_id, "productId")
                if await session.scalar(select(Product.id).where(Product.id == product_id, Product.deleted_at.is_(None))) is None:
                    raise Invalid.one("productId", "NOT_FOUND", "no product with this ID")
            elif order is not None:
                from crm.plugins.sales.models import OrderLine

                products = set((await session.scalars(select(OrderLine.product_id).where(OrderLine.order_id == order.id))).all()) - {None}
                product_id = products.pop() if len(products) == 1 else None
            before = [("orderId", link.order_id, order.id if order else None), ("productId", link.product_id, product_id)]
            link.order_id, link.product_id = order.id if order else None, product_id
            session.add(link)
            changes = [{"field": f, "old": old, "new": new} for f, old, new in before if old != new]
            if changes:
                await crm.audit_records(session, "update", "ticket", [(ticket.id, changes, ticket.customer_id)])
            return service_types.TicketPayload(ticket=ticket)

        return await mutation(info, service_types.TicketPayload, work)


@strawberry.type
class AppointmentSales:
    @strawberry.field(description="The deal this appointment is about.")
    @requires("opportunity", "read", or_null=True)
    async def opportunity(self, info: strawberry.Info) -> sales_types.Opportunity | None:
        link = await link_loader(info.context, AppointmentSale, "appointment_id").load(self.id)
        return await crm.visible_loader(info.context, Opportunity, "opportunity").load(link.opportunity_id) if link else None


@strawberry.input
class SetAppointmentOpportunityInput:
    appointment_id: strawberry.ID
    opportunity_id: strawberry.ID | None = strawberry.field(description="A deal of the appointment's customer; null: none.")


@strawberry.type
class AppointmentSalesMutation:
    @strawberry.mutation(description="Say which deal an appointment is about (a deal of its customer).")
    @requires("appointment", "write")
    async def set_appointment_opportunity(self, info: strawberry.Info, input: SetAppointmentOpportunityInput) -> AppointmentPayload:
        async def work(session):
            appointment = await fetch_for_write(session, info, Appointment, input.appointment_id, resource="appointment", field="appointmentId")
            link = await session.get(AppointmentSale, appointment.id)
            old = link.opportunity_id if link else None
            new = None
            if input.opportunity_id is not None:
                deal = await fetch_for_write(session, info, Opportunity, input.opportunity_id, resource="opportunity", field="opportunityId", action="read")
                if deal.customer_id != appointment.customer_id:
                    raise Invalid.one("opportunityId", "INVALID", "the opportunity belongs to another customer")
                new = deal.id
            if new is None and link is not None:
                await session.delete(link)
            elif new is not None:
                link = link or AppointmentSale(appointment_id=appointment.id, opportunity_id=new)
                link.opportunity_id = new
                session.add(link)
            if old != new:
                await crm.audit_records(session, "update", "appointment", [(appointment.id, [{"field": "opportunityId", "old": old, "new": new}],
                                                                           appointment.customer_id)])
            return AppointmentPayload(appointment=appointment)

        return await mutation(info, AppointmentPayload, work)
