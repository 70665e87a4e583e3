"""The bridge's hooks: tickets get their order and product; complaints per product."""

from __future__ import annotations

from crm import GraphQLContribution, hookimpl
from crm.plugins.service_sales import schema
from crm.plugins.service_sales.models import AppointmentSale, TicketSale


@hookimpl
def crm_register_models():
    return [TicketSale, AppointmentSale]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[schema.TicketSalesQuery], mutation=[schema.TicketSalesMutation, schema.AppointmentSalesMutation],
                               extends={"Ticket": [schema.TicketSales], "Appointment": [schema.AppointmentSales]})
