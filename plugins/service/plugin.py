"""The service plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType

import crm
from crm import (READ_ALL_GRANTS, SCOPED_GRANTS, AssignmentTarget, BenchData, ConsolePage, CustomerReference, DemoData, GraphQLContribution, HttpRoute, Job, Resource,
                 TimelineSource, hookimpl)
from crm.plugins.service import appointments, jobs, models, sources, surveys
from crm.plugins.service.schema.appointments import AppointmentMutation, AppointmentQuery, AppointmentType
from crm.plugins.service.schema.queues import QueueMutation, QueueQuery
from crm.plugins.service.schema.reports import ServiceReportQuery
from crm.plugins.service.schema.sla import SlaPolicyMutation, SlaPolicyQuery
from crm.plugins.service.schema.tickets import CustomerTickets, SummaryTickets, TicketMutation, TicketQuery
from crm.plugins.service.schema.types import Ticket

# Internal notes are for staff: agents and managers read and write them; a viewer (and any role not granted) reads the
# public replies only.
INTERNAL_NOTES = MappingProxyType({role: MappingProxyType({"read": "all", "write": "all"}) for role in ("manager", "sales_rep")})


@hookimpl
def crm_register_models():
    return [models.Ticket, models.TicketTag, models.TicketEvent, models.SlaPolicy, models.Queue, models.Survey, models.Staff, models.Appointment]


@hookimpl
def crm_register_permissions():
    return [Resource("ticket", "Customers' requests and complaints, their replies and history.", default_grants=SCOPED_GRANTS),
            Resource("ticket_comment_internal", "Internal notes on tickets, hidden from those who read only public replies.",
                     default_grants=INTERNAL_NOTES, owned=False),
            Resource("sla_policy", "Response and resolution targets for tickets, in business hours.", default_grants=READ_ALL_GRANTS, owned=False),
            Resource("queue", "Where tickets wait, worked by a team.", default_grants=READ_ALL_GRANTS, owned=False),
            Resource("appointment", "Meetings with customers, held by staff members.", default_grants=SCOPED_GRANTS)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[TicketQuery, SlaPolicyQuery, QueueQuery, ServiceReportQuery, AppointmentQuery],
                               mutation=[TicketMutation, SlaPolicyMutation, QueueMutation, AppointmentMutation],
                               types={"Ticket": Ticket, "Appointment": AppointmentType}, nodes={"Ticket": "ticket"},
                               extends={"Customer": [CustomerTickets], "CustomerSummary": [SummaryTickets]})


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("ticket life", "ticket", tuple(f"ticket_{k}" for k in sources.KINDS), sources.ticket_life),
            TimelineSource("appointments", "appointment", sources.APPOINTMENT_KINDS, sources.appointments)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(models.Ticket, label="tickets"), CustomerReference(models.Appointment, label="appointments")]


@hookimpl
def crm_register_saved_lists():
    return [crm.SavedList("tickets", "ticket", "TicketFilter", "TicketOrder")]


@hookimpl
def crm_register_assignment_targets():
    # Rules may pick by queue (its id), category, priority or channel; least-loaded counts open tickets.
    return [AssignmentTarget("ticket", models.Ticket, fields=("queue_id", "category", "priority", "channel"),
                             open=lambda: models.Ticket.status.not_in(models.DONE))]


@hookimpl
def crm_register_jobs():
    return [Job("service.sla", timedelta(minutes=1), jobs.run)]


@hookimpl
def crm_register_routes():
    return [HttpRoute("/surveys/{token}", surveys.answer), HttpRoute("/calendars/{token}.ics", appointments.feed, methods=("GET",))]


@hookimpl
def crm_register_error_codes():
    return {"ANSWERED": "The satisfaction survey was answered already: each link takes one answer.",
            "EXPIRED": "The satisfaction survey link is past its end: ask for a new one."}


@hookimpl
def crm_register_demo_data():
    from crm.plugins.service.demo import load

    return [DemoData("service", load, order=400)]


@hookimpl
def crm_register_bench_data():
    from crm.plugins.service import bench

    return [BenchData("service", bench.TABLES, bench.generate, order=400, prepare=bench.prepare)]


@hookimpl
def crm_register_console_pages():
    return [ConsolePage("/tickets", "Tickets", "ticket")]
