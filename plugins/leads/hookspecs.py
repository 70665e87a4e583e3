"""Hooks the leads plugin declares for other plugins. Leads publishes them with `crm.publish`; implementations may
be `async def` and use the session."""

from crm import hookspec


@hookspec
def crm_on_lead_converted(session, context, lead, customer, contact, options):
    """A lead was converted into `customer` (new or existing) and `contact`, inside the converting transaction.
    `context` is the request's (`crm.Context`: the caller's access). `options` holds what the caller asked for
    (`create_opportunity`, `opportunity_name`, `amount`) and `created`, a list to append `(resource, id)` of what you
    made; the bridge with sales opens the opportunity. Raise `crm.Invalid` to refuse the conversion: nothing is kept."""


@hookspec
def crm_on_lead_form_submitted(session, lead, form, values):
    """A web form made `lead`, inside its transaction: `values` are the submitted fields. A mail plugin sends the
    double opt-in confirmation from here (and records consent when it is confirmed)."""
