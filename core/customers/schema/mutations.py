from __future__ import annotations

import dataclasses
from datetime import date

import strawberry
from sqlalchemy import delete, insert, select
from strawberry.scalars import JSON

from crm.api.access import requires
from crm.api.errors import Invalid
from crm.api.ids import parse_id
from crm.api.inputs import UNSET, IdInput, clean_text, given
from crm.api.mutations import fetch_for_write, mutation, restore, soft_delete
from crm.audit.listener import note_children, record_many, snapshot
from crm.customers import custom_fields, normalise
from crm.customers.models import Channel, Contact, Customer, CustomerTag
from crm.api.payloads import DeletePayload
from crm.customers.schema.types import ContactPayload, CustomerKind, CustomerPayload, LabeledValueInput, LifecycleStage
from crm.db import insert_rows
from crm.events import publish
from crm.identity.models import User
from crm.models import utcnow

LIFECYCLE_STAGES = ("lead", "prospect", "customer", "churned", "partner", "other")
CHANNELS = ("email", "phone", "sms", "whatsapp", "none")


@strawberry.input
class CreateCustomerInput:
    kind: CustomerKind
    name: str
    industry: str | None = None
    size: str | None = None
    region: str | None = None
    source: str | None = None
    lifecycle_stage: LifecycleStage = LifecycleStage.PROSPECT
    website: str | None = None
    notes: str | None = None
    addresses: JSON | None = None
    tags: list[str] | None = None
    emails: list[LabeledValueInput] | None = None
    phones: list[LabeledValueInput] | None = None
    custom_fields: JSON | None = strawberry.field(default=None, description='Values by key, e.g. {"segment": "gold"}.')
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the caller.")


@strawberry.input(description="Change a customer. Only the fields given change; `version` must be the one you read.")
class UpdateCustomerInput:
    id: strawberry.ID
    version: int
    kind: CustomerKind | None = UNSET
    name: str | None = UNSET
    industry: str | None = UNSET
    size: str | None = UNSET
    region: str | None = UNSET
    source: str | None = UNSET
    lifecycle_stage: LifecycleStage | None = UNSET
    website: str | None = UNSET
    notes: str | None = UNSET
    addresses: JSON | None = UNSET
    tags: list[str] | None = strawberry.field(default=UNSET, description="The whole list of tags, replacing the old one.")
    add_tags: list[str] | None = strawberry.field(default=UNSET, description="Tags to add, keeping the others (not with `tags`).")
    remove_tags: list[str] | None = strawberry.field(default=UNSET, description="Tags to take off, keeping the others (not with `tags`).")
    emails: list[LabeledValueInput] | None = UNSET
    phones: list[LabeledValueInput] | None = UNSET
    custom_fields: JSON | None = strawberry.field(default=UNSET, description="Keys given change; a null value clears that field.")
    owner_id: strawberry.ID | None = strawberry.field(default=UNSET, description="Transfer the customer to another user.")


@strawberry.input
class CreateContactInput:
    customer_id: strawberry.ID
    name: str
    title: str | None = None
    emails: list[LabeledValueInput] | None = None
    phones: list[LabeledValueInput] | None = None
    birthday: date | None = None
    preferred_channel: str | None = None
    consent: bool = False
    is_primary: bool = False
    custom_fields: JSON | None = None
    owner_id: strawberry.ID | None = None


@strawberry.input
class UpdateContactInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    title: str | None = UNSET
    emails: list[LabeledValueInput] | None = UNSET
    phones: list[LabeledValueInput] | None = UNSET
    birthday: date | None = UNSET
    preferred_channel: str | None = UNSET
    consent: bool | None = UNSET
    is_primary: bool | None = UNSET
    custom_fields: JSON | None = UNSET
    owner_id: strawberry.ID | None = UNSET


def _choice(value: str | None, field: str, allowed: tuple[str, ...]) -> str | None:
    """One of `allowed`, stored as plain text (an enum member from the API gives its value; CSV gives text)."""
    value = getattr(value, "value", value)
    if value is None:
        return None
    if value not in allowed:
        raise Invalid.one(field, "INVALID", f"{field} must be one of {', '.join(allowed)}")
    return value


def _addresses(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        raise Invalid.one("addresses", "INVALID", "addresses must be a list of objects, e.g. [{\"street\": ..., \"city\": ...}]")
    return value


def clean_tags(values: list[str]) -> list[str]:
    tags = sorted({t.strip().lower() for t in values if t and t.strip()})
    if any(len(t) > 100 for t in tags):
        raise Invalid.one("tags", "INVALID", "a tag is at most 100 characters")
    return tags


async def resolve_owner(session, access, raw, field: str, resource: str):
    """The new owner must be an active user the caller may hand records to (within their write scope)."""
    owner_id = parse_id(raw, field)
    owner = await session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise Invalid.one(field, "NOT_FOUND", "no active user with this ID")
    if not await access.permits(resource, "write", owner_id):
        raise Invalid.one(field, "FORBIDDEN", f"you may not give {resource} records to {owner.email}")
    return owner_id


def _new_channels(contact_id: int | None, emails, phones) -> list[dict]:
    """Channel rows for the given emails and phones (UNSET: that kind is left alone); the caller adds customer_id.
    Plain rows, inserted with one executemany: channels are not audited on their own (the customer's entry says it)."""
    out = []
    for kind, values, clean in (("email", emails, normalise.email), ("phone", phones, normalise.phone)):
        if values is UNSET:
            continue
        for i, item in enumerate(values or []):
            out.append({"contact_id": contact_id, "kind": kind, "value": item.value.strip(), "normalized": clean(item.value, f"{kind}s.{i}.value"),
                        "label": clean_text(item.label, f"{kind}s.{i}.label", limit=50), "position": i})
    return out


async def _set_channels(session, owner, customer_id: int, contact_id: int | None, emails, phones) -> None:
    """Replace the given kinds of channels (UNSET: leave that kind alone); the change goes into `owner`'s audit entry
    (`owner` None: the caller noted it already)."""
    where = Channel.contact_id == contact_id if contact_id else Channel.contact_id.is_(None)
    kinds = [kind for kind, values in (("email", emails), ("phone", phones)) if values is not UNSET]
    if not kinds:
        return
    rows = [{**row, "customer_id": customer_id} for row in _new_channels(contact_id, emails, phones)]
    before = (await session.execute(select(Channel.kind, Channel.normalized).where(Channel.customer_id == customer_id, where,
                                                                                Channel.kind.in_(kinds)).order_by(Channel.position))).all()
    for kind in kinds if owner is not None else ():
        note_children(session, owner, f"{kind}s", [v for k, v in before if k == kind], [r["normalized"] for r in rows if r["kind"] == kind])
    await session.execute(delete(Channel).where(Channel.customer_id == customer_id, where, Channel.kind.in_(kinds)))
    if rows:
        await session.execute(insert(Channel), rows)


def _validate_channels(emails, phones) -> None:
    """Check every email and phone before anything is written, so all errors come back at once."""
    errors = []
    for kind, values, clean in (("email", emails, normalise.email), ("phone", phones, normalise.phone)):
        for i, item in enumerate(values if values not in (None, UNSET) else []):
            try:
                clean(item.value, f"{kind}s.{i}.value")
            except Invalid as exc:
                errors.extend(exc.errors)
    if errors:
        raise Invalid(*errors)


@dataclasses.dataclass
class NewCustomer:
    """A validated customer not yet written: its column values, tags and channels (they need its id)."""

    values: dict
    tags: list[str]
    channels: list[dict]


async def build_customer(session, access, input: CreateCustomerInput, definitions=None) -> NewCustomer:
    """Validate one customer as `access`'s user; raises Invalid with every problem found, not only the first (a form
    or an import row is corrected once). Writes nothing, so an import validates a whole batch and writes it with a
    few statements (`save_customers`). `definitions`: the customer custom fields, when the caller has them already."""
    errors: list = []

    def check(validate, *args, **kwargs):
        try:
            return validate(*args, **kwargs)
        except Invalid as exc:
            errors.extend(exc.errors)
            return None

    name = check(clean_text, input.name, "name", required=True)
    check(_validate_channels, input.emails, input.phones)
    owner_id = access.user_id
    if input.owner_id:
        try:
            owner_id = await resolve_owner(session, access, input.owner_id, "ownerId", "customer")
        except Invalid as exc:
            errors.extend(exc.errors)
    if definitions is None:
        definitions = await custom_fields.definitions(session, "customer")
    fields = dict(
        industry=check(clean_text, input.industry, "industry", limit=100), size=check(clean_text, input.size, "size", limit=50),
        region=check(clean_text, input.region, "region", limit=100), source=check(clean_text, input.source, "source", limit=100),
        lifecycle_stage=check(_choice, input.lifecycle_stage, "lifecycleStage", LIFECYCLE_STAGES),
        website=check(normalise.website, input.website), addresses=check(_addresses, input.addresses),
        custom_fields=check(custom_fields.clean, definitions, input.custom_fields, None),
    )
    tags = check(clean_tags, input.tags or [])
    if errors:
        raise Invalid(*errors)
    now = utcnow()
    values = dict(kind=input.kind.value, name=name, search_name=normalise.search_name(name), website_domain=normalise.website_domain(input.website),
                  notes=input.notes, owner_id=owner_id, created_at=now, updated_at=now, deleted_at=None, version=1, **fields)
    values["lifecycle_stage"] = values["lifecycle_stage"] or "prospect"
    values["addresses"] = values["addresses"] or []
    values["custom_fields"] = values["custom_fields"] or {}
    return NewCustomer(values, tags, _new_channels(None, input.emails or [], input.phones or []))


async def save_customers(session, new: list[NewCustomer]) -> list[int]:
    """Write validated customers and return their ids: one INSERT per table for the lot, their "create" audit entries
    (the same the ORM's flush writes for one customer, tags, emails and phones included) with one more, then
    `crm_on_customer_created` for each. Plain rows, not ORM objects: for an import, building and flushing 20,000
    objects cost more than validating them."""
    ids = await insert_rows(session, Customer.__table__, [n.values for n in new])
    mapper = Customer.__mapper__
    entries = []
    for customer_id, n in zip(ids, new):
        changes = snapshot(mapper, n.values.get)
        if n.tags:
            changes.append({"field": "tags", "old": [], "new": n.tags})
        for kind in ("email", "phone"):
            if values := [c["normalized"] for c in n.channels if c["kind"] == kind]:
                changes.append({"field": f"{kind}s", "old": [], "new": values})
        entries.append((customer_id, changes, customer_id))
    await record_many(session, "create", "customer", entries)
    tags = [{"customer_id": customer_id, "tag": t} for customer_id, n in zip(ids, new) for t in n.tags]
    channels = [{**c, "customer_id": customer_id} for customer_id, n in zip(ids, new) for c in n.channels]
    if tags:
        await session.execute(insert(CustomerTag), tags)
    if channels:
        await session.execute(insert(Channel), channels)
    if session.info["runtime"].pm.hook.crm_on_customer_created.get_hookimpls():
        loaded = {c.id: c for c in await session.scalars(select(Customer).where(Customer.id.in_(ids)))}
        for customer_id in ids:
            await publish(session, "crm_on_customer_created", customer=loaded[customer_id])
    return ids


async def add_customer(session, access, input: CreateCustomerInput) -> Customer:
    """Validate and add one customer as `access`'s user; raises Invalid with every problem found."""
    (customer_id,) = await save_customers(session, [await build_customer(session, access, input)])
    return await session.get(Customer, customer_id)


async def add_contact(session, access, input: CreateContactInput) -> Contact:
    """Validate and add one contact as `access`'s user to a customer they may read; raises Invalid with the problems."""
    customer = await session.get(Customer, parse_id(input.customer_id, "customerId"))
    if customer is None or customer.deleted_at is not None or not await access.permits("customer", "read", customer.owner_id):
        raise Invalid.one("customerId", "NOT_FOUND", "customer not found")
    name = clean_text(input.name, "name", required=True)
    _validate_channels(input.emails, input.phones)
    owner_id = await resolve_owner(session, access, input.owner_id, "ownerId", "contact") if input.owner_id else access.user_id
    contact = Contact(
        customer_id=customer.id, name=name, title=clean_text(input.title, "title", limit=200), birthday=input.birthday,
        preferred_channel=_choice(input.preferred_channel, "preferredChannel", CHANNELS), consent=input.consent,
        is_primary=input.is_primary, owner_id=owner_id,
        custom_fields=custom_fields.clean(await custom_fields.definitions(session, "contact"), input.custom_fields, None),
    )
    for kind, values in (("email", input.emails or []), ("phone", input.phones or [])):  # into the create entry
        if values:
            note_children(session, contact, f"{kind}s", [], [c["normalized"] for c in _new_channels(None, *(
                (values, []) if kind == "email" else ([], values))) if c["kind"] == kind])
    session.add(contact)
    await session.flush()
    if input.is_primary:
        await _only_primary(session, contact)
    await _set_channels(session, None, customer.id, contact.id, input.emails or [], input.phones or [])
    return contact


async def change_customer(session, access, input: UpdateCustomerInput, *, field: str = "id") -> Customer:
    """Every change to a customer, by `updateCustomer` and by imports that update, flushed once by the caller (with
    autoflush off): one UPDATE, one version step, one audit entry."""
    customer = await fetch_for_write(session, None, Customer, input.id, resource="customer", version=input.version, access=access, field=field)
    _validate_channels(input.emails, input.phones)
    if given(input.name):
        customer.name = clean_text(input.name, "name", required=True)
        customer.search_name = normalise.search_name(customer.name)
    if given(input.kind):
        if input.kind is None:
            raise Invalid.one("kind", "REQUIRED", "kind must be COMPANY or PERSON")
        customer.kind = input.kind.value
    for field, limit in (("industry", 100), ("size", 50), ("region", 100), ("source", 100)):
        value = getattr(input, field)
        if given(value):
            setattr(customer, field, clean_text(value, field, limit=limit))
    if given(input.lifecycle_stage):
        customer.lifecycle_stage = _choice(input.lifecycle_stage, "lifecycleStage", LIFECYCLE_STAGES) or "prospect"
    if given(input.website):
        customer.website = normalise.website(input.website)
        customer.website_domain = normalise.website_domain(customer.website)
    if given(input.notes):
        customer.notes = input.notes
    if given(input.addresses):
        customer.addresses = _addresses(input.addresses)
    if given(input.custom_fields):
        customer.custom_fields = custom_fields.clean(await custom_fields.definitions(session, "customer"), input.custom_fields, customer.custom_fields)
    if given(input.owner_id):
        if input.owner_id is None:
            raise Invalid.one("ownerId", "REQUIRED", "every customer has an owner")
        customer.owner_id = await resolve_owner(session, access, input.owner_id, "ownerId", "customer")
    adding, removing = given(input.add_tags) and input.add_tags, given(input.remove_tags) and input.remove_tags
    if given(input.tags) and (adding or removing):
        raise Invalid.one("tags", "INVALID", "give the whole list in `tags`, or changes in `addTags`/`removeTags`, not both")
    if given(input.tags) or adding or removing:
        old = sorted((await session.scalars(select(CustomerTag.tag).where(CustomerTag.customer_id == customer.id))).all())
        if given(input.tags):
            tags = clean_tags(input.tags or [])
        else:
            tags = sorted((set(old) | set(clean_tags(adding or []))) - set(clean_tags(removing or [])))
        note_children(session, customer, "tags", old, tags)
        await session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer.id))
        if tags:
            await session.execute(insert(CustomerTag), [{"customer_id": customer.id, "tag": t} for t in tags])
    await _set_channels(session, customer, customer.id, None, input.emails, input.phones)
    customer.updated_at = utcnow()  # also moves the version when only tags or channels changed
    return customer


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(description="Add a customer, with emails, phones, addresses and custom fields.")
    @requires("customer", "write")
    async def create_customer(self, info: strawberry.Info, input: CreateCustomerInput) -> CustomerPayload:
        ctx = info.context

        async def work(session):
            return CustomerPayload(customer=await add_customer(session, ctx.access, input))

        return await mutation(info, CustomerPayload, work)

    @strawberry.mutation(description="Change a customer; refused with CONFLICT when `version` is not the current one.")
    @requires("customer", "write")
    async def update_customer(self, info: strawberry.Info, input: UpdateCustomerInput) -> CustomerPayload:
        async def work(session):
            with session.no_autoflush:  # one UPDATE at the end: one version step, one audit entry with everything
                return CustomerPayload(customer=await change_customer(session, info.context.access, input))

        return await mutation(info, CustomerPayload, work)

    @strawberry.mutation(description="Soft delete: the customer disappears from lists and can be restored.")
    @requires("customer", "write")
    async def delete_customer(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, Customer, input.id, resource="customer")

    @strawberry.mutation(description="Bring a deleted customer back.")
    @requires("customer", "write")
    async def restore_customer(self, info: strawberry.Info, input: IdInput) -> CustomerPayload:
        return await restore(info, Customer, input.id, resource="customer", payload=CustomerPayload, field="customer")

    @strawberry.mutation(description="Add a contact person to a customer.")
    @requires("contact", "write")
    async def create_contact(self, info: strawberry.Info, input: CreateContactInput) -> ContactPayload:
        async def work(session):
            return ContactPayload(contact=await add_contact(session, info.context.access, input))

        return await mutation(info, ContactPayload, work)

    @strawberry.mutation(description="Change a contact (a partial update at its version).")
    @requires("contact", "write")
    async def update_contact(self, info: strawberry.Info, input: UpdateContactInput) -> ContactPayload:
        async def work(session):
            session.sync_session.autoflush = False  # one UPDATE at the end: one version step, one audit entry
            contact = await fetch_for_write(session, info, Contact, input.id, resource="contact", version=input.version)
            _validate_channels(input.emails, input.phones)
            if given(input.name):
                contact.name = clean_text(input.name, "name", required=True)
            if given(input.title):
                contact.title = clean_text(input.title, "title", limit=200)
            if given(input.birthday):
                contact.birthday = input.birthday
            if given(input.custom_fields):
                contact.custom_fields = custom_fields.clean(await custom_fields.definitions(session, "contact"), input.custom_fields, contact.custom_fields)
            if given(input.preferred_channel):
                contact.preferred_channel = _choice(input.preferred_channel, "preferredChannel", CHANNELS)
            if given(input.consent) and input.consent is not None:
                contact.consent = input.consent
            if given(input.is_primary) and input.is_primary is not None:
                contact.is_primary = input.is_primary
                if input.is_primary:
                    await _only_primary(session, contact)
            if given(input.owner_id):
                if input.owner_id is None:
                    raise Invalid.one("ownerId", "REQUIRED", "every contact has an owner")
                contact.owner_id = await resolve_owner(session, info.context.access, input.owner_id, "ownerId", "contact")
            await _set_channels(session, contact, contact.customer_id, contact.id, input.emails, input.phones)
            contact.updated_at = utcnow()
            return ContactPayload(contact=contact)

        return await mutation(info, ContactPayload, work)

    @strawberry.mutation(description="Delete a contact (soft: restorable).")
    @requires("contact", "write")
    async def delete_contact(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, Contact, input.id, resource="contact")

    @strawberry.mutation(description="Bring a deleted contact back.")
    @requires("contact", "write")
    async def restore_contact(self, info: strawberry.Info, input: IdInput) -> ContactPayload:
        return await restore(info, Contact, input.id, resource="contact", payload=ContactPayload, field="contact")


async def _only_primary(session, contact: Contact) -> None:
    others = await session.scalars(
        select(Contact).where(Contact.customer_id == contact.customer_id, Contact.id != contact.id, Contact.is_primary.is_(True))
    )
    for other in others:
        other.is_primary = False

