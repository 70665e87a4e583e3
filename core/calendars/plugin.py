"""Business calendars, registered like any plugin: the table, the resource, the API. Modules use them through
`crm.working_time(session, calendar_id)` (SLA due times, appointment slots)."""

from __future__ import annotations

from crm.calendars.models import BusinessCalendar
from crm.calendars.schema import CalendarMutation, CalendarQuery
from crm.declarations import READ_ALL_GRANTS, GraphQLContribution, Resource
from crm.hookspecs import hookimpl


@hookimpl
def crm_register_models():
    return [BusinessCalendar]


@hookimpl
def crm_register_permissions():
    return [Resource("business_calendar", "Working hours, time zones and holidays that SLA targets and appointments count in.",
                     default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[CalendarQuery], mutation=[CalendarMutation], nodes={"BusinessCalendar": "businessCalendar"})
