"""The link between a ticket and sales: the order and the product it is about."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, Model


class TicketSale(Model):
    __tablename__ = "service_sales_link"
    __plugin__ = "service_sales"

    ticket_id: Mapped[int] = mapped_column(ID, ForeignKey("service_ticket.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ID, ForeignKey("sales_order.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ID, ForeignKey("catalogue_product.id"), index=True)


class AppointmentSale(Model):
    """The deal an appointment is about (a demo, a negotiation)."""

    __tablename__ = "service_sales_appointment"
    __plugin__ = "service_sales"

    appointment_id: Mapped[int] = mapped_column(ID, ForeignKey("service_appointment.id", ondelete="CASCADE"), primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ID, ForeignKey("sales_opportunity.id"), nullable=False, index=True)
