"""Customers to and from CSV, shared by the `crm import/export customers` commands and the GraphQL API.

Import: every row is validated exactly like `createCustomer` (it goes through the same `add_customer`), inside its
own savepoint, so a row lands whole or not at all and a bad row never stops the good ones. Rows that look like an
existing customer (or an earlier row of the same file) by email, phone or website are rejected as DUPLICATE unless
duplicates are allowed. Work is committed in batches, keeping write transactions short for other users.

Export: any customer filter, streamed a page at a time by keyset, with tags, emails, phones, owner and custom fields.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import AsyncIterator, Callable, Iterable
from decimal import Decimal, InvalidOperation

from sqlalchemy import select, tuple_

from crm.api.errors import Invalid, UserError
from crm.customers import custom_fields, normalise
from crm.customers.models import Channel, Customer, CustomerTag, CustomFieldDefinition
from crm.identity.models import User

FIELDS = ("kind", "name", "industry", "size", "region", "source", "lifecycle_stage", "website", "notes", "tags", "emails",
          "phones", "owner_email")
CUSTOM_PREFIX = "custom:"
LIST_SEPARATOR = ";"
BATCH = 200


@dataclasses.dataclass
class Rejected:
    row: int  # as a spreadsheet shows it: the header is row 1
    errors: list[UserError]


@dataclasses.dataclass
class ImportReport:
    imported: int = 0
    rejected: list[Rejected] = dataclasses.field(default_factory=list)
    dry_run: bool = False


def _guess(header: str) -> str | None:
    """`Lifecycle Stage` -> lifecycle_stage, `Email` -> emails, `custom:tier` stays."""
    if header.startswith(CUSTOM_PREFIX):
        return header
    key = "_".join(header.strip().lower().replace("-", " ").split())
    key = {"email": "emails", "phone": "phones", "tag": "tags", "owner": "owner_email", "company": "name", "stage": "lifecycle_stage"}.get(key, key)
    return key if key in FIELDS else None


def resolve_mapping(headers: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """CSV column -> field. Columns not named in `mapping` are matched by their header; unknown ones are ignored."""
    mapping = dict(mapping or {})
    errors = []
    for column, field in mapping.items():
        if column not in headers:
            errors.append(UserError(field="mapping", code="INVALID", message=f"the file has no column {column!r}"))
        if field not in FIELDS and not field.startswith(CUSTOM_PREFIX):
            errors.append(UserError(field="mapping", code="INVALID", message=f"{field!r} is not a customer field; use one of {', '.join(FIELDS)} or custom:<key>"))
    for header in headers:
        if header not in mapping and (guess := _guess(header)):
            mapping[header] = guess
    if "name" not in mapping.values():
        errors.append(UserError(field="mapping", code="REQUIRED", message="map one column to name"))
    if errors:
        raise Invalid(*errors)
    return mapping


def _from_text(definition: CustomFieldDefinition, text: str):
    """A custom field value as typed in a spreadsheet cell."""
    if definition.type == "number":
        try:
            return Decimal(text.replace(",", "")) if text else None
        except InvalidOperation:
            return text  # left for clean() to reject with the field's label
    if definition.type == "boolean":
        lowered = text.lower()
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(lowered, text)
    if definition.type == "multi_choice":
        return [v.strip() for v in text.split(LIST_SEPARATOR) if v.strip()]
    return text


def _split(text: str) -> list[str]:
    return [v.strip() for v in text.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR) if v.strip()] if text else []


class Importer:
    """Imports rows as one user (`access`), who owns them unless an owner_email column says otherwise."""

    def __init__(self, db, runtime, access, *, allow_duplicates: bool = False, dry_run: bool = False):
        self.db, self.runtime, self.access = db, runtime, access
        self.allow_duplicates = allow_duplicates
        self.report = ImportReport(dry_run=dry_run)
        self._seen: set[tuple[str, str]] = set()
        self._owners: dict[str, int | None] = {}

    async def run(self, rows: Iterable[dict[str, str]], mapping: dict[str, str], progress: Callable[[int], None] | None = None) -> ImportReport:
        batch: list[tuple[int, dict]] = []
        for number, row in enumerate(rows, start=2):
            batch.append((number, row))
            if len(batch) >= BATCH:
                await self._write(batch, mapping)
                progress and progress(len(batch))
                batch = []
        if batch:
            await self._write(batch, mapping)
            progress and progress(len(batch))
        return self.report

    async def _write(self, batch: list[tuple[int, dict]], mapping: dict[str, str]) -> None:
        from crm.customers.schema.mutations import add_customer

        async with self.db.write() as session:
            session.info["actor_id"] = self.access.user_id
            session.info["runtime"] = self.runtime
            defs = {d.key: d for d in await custom_fields.definitions(session, "customer")}
            for number, row in batch:
                savepoint = await session.begin_nested()
                try:
                    data = await self._input(session, row, mapping, defs)
                    await self._check_duplicates(session, data)
                    await add_customer(session, self.access, self.runtime, data)
                    await session.flush()
                except Invalid as exc:
                    await savepoint.rollback()
                    self.report.rejected.append(Rejected(number, exc.errors))
                    continue
                if self.report.dry_run:
                    await savepoint.rollback()
                else:
                    await savepoint.commit()
                self.report.imported += 1

    async def _input(self, session, row: dict, mapping: dict[str, str], defs: dict):
        from crm.customers.schema.mutations import CreateCustomerInput
        from crm.customers.schema.types import CustomerKind, LabeledValueInput

        values = {field: (row.get(column) or "").strip() for column, field in mapping.items()}
        errors = []
        kind_text = values.get("kind", "").lower() or "company"
        if kind_text not in ("company", "person"):
            errors.append(UserError(field="kind", code="INVALID", message="kind must be company or person"))
        owner_id = None
        if values.get("owner_email"):
            owner_id = await self._owner(session, values["owner_email"])
            if owner_id is None:
                errors.append(UserError(field="owner_email", code="NOT_FOUND", message=f"no active user {values['owner_email']}"))
        extra = {}
        for field, text in values.items():
            if field.startswith(CUSTOM_PREFIX) and text:
                key = field.removeprefix(CUSTOM_PREFIX)
                extra[key] = _from_text(defs[key], text) if key in defs else text
        extra = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in extra.items()}
        if errors:
            raise Invalid(*errors)
        return CreateCustomerInput(
            kind=CustomerKind(kind_text), name=values.get("name", ""),
            **{f: values.get(f) or None for f in ("industry", "size", "region", "source", "website", "notes")},
            lifecycle_stage=values.get("lifecycle_stage") or "prospect",
            tags=_split(values.get("tags", "")),
            emails=[LabeledValueInput(value=v) for v in _split(values.get("emails", ""))],
            phones=[LabeledValueInput(value=v) for v in values.get("phones", "").split(LIST_SEPARATOR) if v.strip()],
            custom_fields=extra, owner_id=str(owner_id) if owner_id else None,
        )

    async def _owner(self, session, email: str) -> int | None:
        key = email.lower()
        if key not in self._owners:
            self._owners[key] = await session.scalar(select(User.id).where(User.email == key, User.is_active.is_(True)))
        return self._owners[key]

    async def _check_duplicates(self, session, data) -> None:
        """Same normalised email, phone or website as an existing customer or an earlier row: a likely duplicate."""
        keys = []
        for i, item in enumerate(data.emails or []):
            keys.append(("email", normalise.email(item.value, f"emails.{i}.value")))
        for i, item in enumerate(data.phones or []):
            keys.append(("phone", normalise.phone(item.value, f"phones.{i}.value")))
        domain = normalise.website_domain(data.website)
        if self.allow_duplicates:
            return
        for kind, value in keys:
            if (kind, value) in self._seen:
                raise Invalid.one(f"{kind}s", "DUPLICATE", f"{value} appears in an earlier row")
        if keys:
            clash = await session.scalar(
                select(Channel.customer_id).join(Customer, Customer.id == Channel.customer_id)
                .where(tuple_(Channel.kind, Channel.normalized).in_(keys), Customer.deleted_at.is_(None)).limit(1)
            )
            if clash:
                raise Invalid.one("emails", "DUPLICATE", f"customer {clash} already has this email or phone")
        if domain:
            if ("website", domain) in self._seen:
                raise Invalid.one("website", "DUPLICATE", f"{domain} appears in an earlier row")
            clash = await session.scalar(select(Customer.id).where(Customer.website_domain == domain, Customer.deleted_at.is_(None)).limit(1))
            if clash:
                raise Invalid.one("website", "DUPLICATE", f"customer {clash} already has the website {domain}")
            keys.append(("website", domain))
        self._seen.update(keys)


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


EXPORT_PAGE = 1000


async def export_rows(db, conditions: list, limit: int | None = None) -> AsyncIterator[list[str]]:
    """The header, then one row per customer matching `conditions` (which include the caller's scope), by id."""
    async with db.read() as session:
        defs = list((await session.scalars(
            select(CustomFieldDefinition).where(CustomFieldDefinition.entity == "customer", CustomFieldDefinition.archived.is_(False))
            .order_by(CustomFieldDefinition.id)
        )).all())
    columns = ["id", *FIELDS, "created_at", "updated_at"]
    yield columns + [CUSTOM_PREFIX + d.key for d in defs]
    last_id, sent = 0, 0
    while limit is None or sent < limit:
        size = EXPORT_PAGE if limit is None else min(EXPORT_PAGE, limit - sent)
        async with db.read() as session:
            page = list((await session.scalars(select(Customer).where(*conditions, Customer.id > last_id).order_by(Customer.id).limit(size))).all())
            if not page:
                return
            ids = [c.id for c in page]
            tags = (await session.execute(select(CustomerTag.customer_id, CustomerTag.tag).where(CustomerTag.customer_id.in_(ids)).order_by(CustomerTag.tag))).all()
            channels = (await session.scalars(
                select(Channel).where(Channel.customer_id.in_(ids), Channel.contact_id.is_(None)).order_by(Channel.position, Channel.id)
            )).all()
            owners = dict((await session.execute(select(User.id, User.email).where(User.id.in_({c.owner_id for c in page})))).all())
        by_customer: dict[int, dict[str, list[str]]] = {i: {"tags": [], "email": [], "phone": []} for i in ids}
        for customer_id, tag in tags:
            by_customer[customer_id]["tags"].append(tag)
        for ch in channels:
            by_customer[ch.customer_id][ch.kind].append(ch.value)
        for c in page:
            extra = by_customer[c.id]
            values = {
                "id": str(c.id), "kind": c.kind, "name": c.name, "industry": c.industry, "size": c.size, "region": c.region,
                "source": c.source, "lifecycle_stage": c.lifecycle_stage, "website": c.website, "notes": c.notes,
                "tags": LIST_SEPARATOR.join(extra["tags"]), "emails": LIST_SEPARATOR.join(extra["email"]),
                "phones": LIST_SEPARATOR.join(extra["phone"]), "owner_email": owners.get(c.owner_id),
                "created_at": c.created_at.isoformat(), "updated_at": c.updated_at.isoformat(),
            }
            row = [values[k] or "" for k in columns]
            for d in defs:
                value = (c.custom_fields or {}).get(d.key)
                row.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
            yield row
        sent += len(page)
        last_id = page[-1].id
