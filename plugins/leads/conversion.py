"""Converting a lead: a customer (new, or the one given) and a contact from the lead's details, the lead marked
converted with links to both, and `crm_on_lead_converted` for other modules (the sales bridge opens the deal).
All in the caller's transaction: a refusal anywhere keeps nothing."""

from __future__ import annotations

from sqlalchemy import select, update

import crm
from crm import Invalid, utcnow
from crm.plugins.leads import history
from crm.plugins.leads.models import Lead


async def convert(session, ctx, lead: Lead, input) -> tuple:
    if lead.status == "converted":
        raise Invalid.one("leadId", "INVALID", "this lead was converted already")
    if lead.status == "unqualified":
        raise Invalid.one("leadId", "INVALID", "an unqualified lead is not converted; qualify it first")
    emails = [crm.LabeledValueInput(value=v) for v in lead.emails]
    phones = [crm.LabeledValueInput(value=v) for v in lead.phones]
    owner = str(lead.owner_id or ctx.user_id)
    if input.customer_id is not None:
        customer = await session.get(crm.Customer, crm.parse_id(input.customer_id, "customerId"))
        if customer is None or customer.deleted_at is not None or not await ctx.access.permits("customer", "read", customer.owner_id):
            raise Invalid.one("customerId", "NOT_FOUND", "customer not found")
    else:
        company = lead.company_name is not None
        customer = await crm.add_customer(session, ctx.access, crm.CreateCustomerInput(
            kind=crm.CustomerKind.COMPANY if company else crm.CustomerKind.PERSON, name=lead.company_name or lead.name,
            industry=lead.industry, region=lead.region, source=lead.source, website=lead.website, tags=list(lead.tags),
            emails=None if company else emails, phones=None if company else phones, owner_id=owner,
        ))
    contact = await crm.add_contact(session, ctx.access, crm.CreateContactInput(
        customer_id=str(customer.id), name=lead.name, title=lead.title, emails=emails, phones=phones, owner_id=owner,
        is_primary=input.customer_id is None,
    ))
    await _move_activities(session, lead, customer.id)
    lead.status, lead.converted_at, lead.updated_at = "converted", utcnow(), utcnow()
    lead.customer_id, lead.contact_id = customer.id, contact.id
    history.record(session, lead, "converted", f"customer {customer.id}")
    options = {"create_opportunity": input.create_opportunity, "opportunity_name": input.opportunity_name, "amount": input.amount,
               "created": []}
    await crm.publish(session, "crm_on_lead_converted", context=ctx, lead=lead, customer=customer, contact=contact, options=options)
    if input.create_opportunity and not options["created"]:
        raise Invalid.one("createOpportunity", "INVALID", "opening an opportunity needs the sales module; enable it or leave this out")
    return customer, contact, options["created"]


async def _move_activities(session, lead: Lead, customer_id: int) -> None:
    """The lead's activities join the customer's timeline: one UPDATE, and one audit entry each."""
    a = crm.Activity
    ids = (await session.scalars(select(a.id).where(a.record_type == "lead", a.record_id == str(lead.id), a.customer_id.is_(None)))).all()
    if ids:
        await session.execute(update(a).where(a.id.in_(ids)).values(customer_id=customer_id, version=a.version + 1)
                              .execution_options(synchronize_session=False))
        await crm.audit_records(session, "update", "activity",
                                [(i, [{"field": "customerId", "old": None, "new": customer_id}], customer_id) for i in ids])
