"""Web forms that make leads (resource `lead_form`, admins): what each may set, where its leads go."""

from __future__ import annotations

import secrets

import strawberry
from sqlalchemy import select

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, requires, utcnow
from crm.plugins.leads.models import Campaign
from crm.plugins.leads.models import LeadForm as Form
from crm.plugins.leads.schema.leads import active_pool
from crm.plugins.leads.webform import FIELDS

UNSET = strawberry.UNSET


@strawberry.type(description="A web form: the site posts it to `path` (form-encoded or JSON, no login) and a lead is made.")
class LeadForm:
    id: strawberry.ID
    key: str = strawberry.field(description="The form's public key: a web page posts to its path.")
    name: str = strawberry.field(description="Its name.")
    fields: list[str] = strawberry.field(description="The form fields it takes: name, companyName, title, email, phone, website, region, industry, notes.")
    pool_id: strawberry.ID = strawberry.field(metadata={"refers_to": "LeadPool"})
    source: str | None = strawberry.field(description="The source its leads get.")
    campaign: str | None = strawberry.field(description="The campaign name its leads get.")
    campaign_id: strawberry.ID | None = strawberry.field(description="Its leads count for this campaign (campaignStats).")
    redirect_url: str | None = strawberry.field(description="Where a browser goes after a form-encoded submission.")
    honeypot: str = strawberry.field(description="A field the form hides from people: filled in, the submission is dropped.")
    per_address_per_hour: int = strawberry.field(description="Submissions taken from one address in an hour; more are refused.")
    active: bool
    version: int

    @strawberry.field(description="Where a web page posts to, on this server.")
    @crm.inherited
    def path(self, info: strawberry.Info) -> str:
        return f"/forms/leads/{self.key}"


LeadFormPayload = crm.payload_type("LeadForm", form=LeadForm)


@strawberry.input
class CreateLeadFormInput:
    name: str
    pool_id: strawberry.ID
    fields: list[str] = strawberry.field(default_factory=lambda: ["name", "companyName", "email", "phone"])
    source: str | None = None
    campaign: str | None = None
    campaign_id: strawberry.ID | None = None
    redirect_url: str | None = None
    honeypot: str = "fax"
    per_address_per_hour: int = 10


@strawberry.input(description="Change a form; only the fields given change. Its key stays.")
class UpdateLeadFormInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    fields: list[str] | None = UNSET
    pool_id: strawberry.ID | None = UNSET
    campaign: str | None = UNSET
    campaign_id: strawberry.ID | None = UNSET
    redirect_url: str | None = UNSET
    per_address_per_hour: int | None = UNSET
    active: bool | None = UNSET


def _fields(values: list[str]) -> list[str]:
    for i, f in enumerate(values):
        if f not in FIELDS:
            raise Invalid.one(f"fields.{i}", "INVALID", f"a form may take {', '.join(FIELDS)}")
    if "name" not in values and "email" not in values:
        raise Invalid.one("fields", "REQUIRED", "a form needs name or email: a lead needs one of them")
    return list(dict.fromkeys(values))


def _redirect(url: str | None) -> str | None:
    url = clean_text(url, "redirectUrl", limit=500)
    if url and not url.startswith(("https://", "http://")):
        raise Invalid.one("redirectUrl", "INVALID", "a redirect is an http(s) URL")
    return url


async def _campaign(session, raw) -> int | None:
    if raw is None:
        return None
    campaign = await session.get(Campaign, crm.parse_id(raw, "campaignId"))
    if campaign is None or campaign.deleted_at is not None:
        raise Invalid.one("campaignId", "NOT_FOUND", "campaign not found")
    return campaign.id


def _rate(value: int) -> int:
    if not 1 <= value <= 10_000:
        raise Invalid.one("perAddressPerHour", "INVALID", "1 to 10000 submissions per address and hour")
    return value


@strawberry.type
class FormQuery:
    @strawberry.field(description="The web forms that create leads.")
    @requires("lead_form", "read")
    async def lead_forms(self, info: strawberry.Info) -> list[LeadForm]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Form).where(Form.deleted_at.is_(None)).order_by(Form.name, Form.id))).all())


@strawberry.type
class FormMutation:
    @strawberry.mutation(description="A new web form with a fresh random key.")
    @requires("lead_form", "write")
    async def create_lead_form(self, info: strawberry.Info, input: CreateLeadFormInput) -> LeadFormPayload:
        async def work(session):
            form = Form(key=secrets.token_urlsafe(24), name=clean_text(input.name, "name", limit=200, required=True),
                        fields=_fields(input.fields), pool_id=(await active_pool(session, input.pool_id)).id,
                        source=clean_text(input.source, "source", limit=100), campaign=clean_text(input.campaign, "campaign", limit=200),
                        redirect_url=_redirect(input.redirect_url), honeypot=clean_text(input.honeypot, "honeypot", limit=50, required=True),
                        per_address_per_hour=_rate(input.per_address_per_hour), active=True,
                        campaign_id=await _campaign(session, input.campaign_id))
            session.add(form)
            await session.flush()
            return LeadFormPayload(form=form)

        return await mutation(info, LeadFormPayload, work)

    @strawberry.mutation(description="Change a web form.")
    @requires("lead_form", "write")
    async def update_lead_form(self, info: strawberry.Info, input: UpdateLeadFormInput) -> LeadFormPayload:
        async def work(session):
            form = await fetch_for_write(session, info, Form, input.id, resource="lead_form", version=input.version)
            if input.name is not UNSET:
                form.name = clean_text(input.name, "name", limit=200, required=True)
            if input.fields is not UNSET:
                form.fields = _fields(input.fields or [])
            if input.pool_id is not UNSET:
                if input.pool_id is None:
                    raise Invalid.one("poolId", "REQUIRED", "a form's leads go to a pool")
                form.pool_id = (await active_pool(session, input.pool_id)).id
            if input.campaign is not UNSET:
                form.campaign = clean_text(input.campaign, "campaign", limit=200)
            if input.campaign_id is not UNSET:
                form.campaign_id = await _campaign(session, input.campaign_id)
            if input.redirect_url is not UNSET:
                form.redirect_url = _redirect(input.redirect_url)
            if input.per_address_per_hour is not UNSET and input.per_address_per_hour is not None:
                form.per_address_per_hour = _rate(input.per_address_per_hour)
            if input.active is not UNSET and input.active is not None:
                form.active = input.active
            form.updated_at = utcnow()
            return LeadFormPayload(form=form)

        return await mutation(info, LeadFormPayload, work)

    @strawberry.mutation(description="Soft delete: the form's URL answers 404 until it is restored.")
    @requires("lead_form", "write")
    async def delete_lead_form(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Form, input.id, resource="lead_form")

    @strawberry.mutation(description="Bring a deleted web form back.")
    @requires("lead_form", "write")
    async def restore_lead_form(self, info: strawberry.Info, input: IdInput) -> LeadFormPayload:
        return await crm.restore(info, Form, input.id, resource="lead_form", payload=LeadFormPayload, field="form")
