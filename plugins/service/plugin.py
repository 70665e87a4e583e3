"""The service plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from types import MappingProxyType

import crm
from crm import READ_ALL_GRANTS, SCOPED_GRANTS, CustomerReference, GraphQLContribution, Resource, TimelineSource, hookimpl
from crm.plugins.service import models, sources
from crm.plugins.service.schema.sla import SlaPolicyMutation, SlaPolicyQuery
from crm.plugins.service.schema.tickets import CustomerTickets, SummaryTickets, TicketMutation, TicketQuery
from crm.plugins.service.schema.types import Ticket

# Internal notes are for staff: agents and managers read and write them; a viewer (and any role not granted) reads the
# public replies only.
INTERNAL_NOTES = MappingProxyType({role: MappingProxyType({"read": "all", "write": "all"}) for role in ("manager", "sales_rep")})


@hookimpl
def crm_register_models():
    return [models.Ticket, models.TicketEvent, models.SlaPolicy]


@hookimpl
def crm_register_permissions():
    return [Resource("ticket", "Customers' requests and complaints, their replies and history.", default_grants=SCOPED_GRANTS),
            Resource("ticket_comment_internal", "Internal notes on tickets, hidden from those who read only public replies.",
                     default_grants=INTERNAL_NOTES, owned=False),
            Resource("sla_policy", "Response and resolution targets for tickets, in business hours.", default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[TicketQuery, SlaPolicyQuery], mutation=[TicketMutation, SlaPolicyMutation], types={"Ticket": Ticket},
                               extends={"Customer": [CustomerTickets], "CustomerSummary": [SummaryTickets]})


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("ticket life", "ticket", tuple(f"ticket_{k}" for k in sources.KINDS), sources.ticket_life)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(models.Ticket, label="tickets")]


@hookimpl
def crm_register_saved_lists():
    return [crm.SavedList("tickets", "ticket", "TicketFilter", None)]
