"""Customers to and from CSV, shared by the `crm import/export customers` commands and the GraphQL API.

Import: every row is validated exactly like `createCustomer` (both use `build_customer`), and a bad row never stops
the good ones. Rows that look like an existing customer (or an earlier row of the same file) by email, phone or
website are rejected as DUPLICATE unless duplicates are allowed. Rows go in batches: each batch is validated, checked
for duplicates with three queries and written with one INSERT per table, in its own short transaction, so 20,000 rows
take seconds and other users' writes are not held up.

Export: any customer filter, streamed a page at a time by keyset, with tags, emails, phones, owner and custom fields.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from decimal import Decimal, InvalidOperation

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from crm.api.errors import Invalid, UserError
from crm.api.global_ids import global_id
from crm.api.ids import try_parse_id
from crm.customers import custom_fields, normalise
from crm.customers.models import Channel, Customer, CustomerTag, CustomFieldDefinition
from crm.identity.models import User

FIELDS = ("kind", "name", "industry", "size", "region", "source", "lifecycle_stage", "website", "notes", "tags", "emails",
          "phones", "owner_email")
KEYS = ("id", "version")  # columns an export writes that an import updating by id reads back
MATCH_BY = ("id", "email")  # how an import finds the customer a row updates
CUSTOM_PREFIX = "custom:"
LIST_SEPARATOR = ";"
log = logging.getLogger("crm.import")
BATCH = 500  # rows validated, checked for duplicates and written together


@dataclasses.dataclass
class Rejected:
    row: int  # as a spreadsheet shows it: the header is row 1
    errors: list[UserError]


@dataclasses.dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    rejected: list[Rejected] = dataclasses.field(default_factory=list)
    dry_run: bool = False


def _guess(header: str) -> str | None:
    """`Lifecycle Stage` -> lifecycle_stage, `Email` -> emails, `custom:tier` stays."""
    if header.startswith(CUSTOM_PREFIX):
        return header
    key = "_".join(header.strip().lower().replace("-", " ").split())
    key = {"email": "emails", "phone": "phones", "tag": "tags", "owner": "owner_email", "company": "name", "stage": "lifecycle_stage"}.get(key, key)
    return key if key in FIELDS or key in KEYS else None


def resolve_mapping(headers: list[str], mapping: dict[str, str] | None, update_by: str | None = None) -> dict[str, str]:
    """CSV column -> field. Columns not named in `mapping` are matched by their header; unknown ones are ignored.
    Updating by a key needs the column that holds it."""
    mapping = dict(mapping or {})
    errors = []
    for column, field in mapping.items():
        if column not in headers:
            errors.append(UserError(field="mapping", code="INVALID", message=f"the file has no column {column!r}"))
        if field not in FIELDS and field not in KEYS and not field.startswith(CUSTOM_PREFIX):
            errors.append(UserError(field="mapping", code="INVALID", message=f"{field!r} is not a customer field; use one of {', '.join(FIELDS)} or custom:<key>"))
    for header in headers:
        if header not in mapping and (guess := _guess(header)):
            mapping[header] = guess
    if "name" not in mapping.values() and not update_by:  # an update may leave names as they are
        errors.append(UserError(field="mapping", code="REQUIRED", message="map one column to name"))
    key = {"id": "id", "email": "emails"}.get(update_by or "")
    if key and key not in mapping.values():
        errors.append(UserError(field="updateBy", code="REQUIRED", message=f"updating by {update_by} needs a column mapped to {key}"))
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

    def __init__(self, db, runtime, access, *, allow_duplicates: bool = False, dry_run: bool = False, update_by: str | None = None):
        if update_by not in (None, *MATCH_BY):
            raise ValueError(f"update_by is one of {MATCH_BY}")
        self.db, self.runtime, self.access = db, runtime, access
        self.allow_duplicates = allow_duplicates
        self.update_by = update_by  # rows that match an existing customer by this key change it instead of being refused
        self.report = ImportReport(dry_run=dry_run)
        self._seen: set[tuple[str, str]] = set()
        self._owners: dict[str, int | None] = {}
        self._analyzed_at = 0  # rows imported when the tables were last analyzed (PostgreSQL)

    async def run(self, rows: Iterable[dict[str, str]], mapping: dict[str, str], progress: Callable[[int], None] | None = None) -> ImportReport:
        """Batches in a pipeline: while one batch is written (the database's work, on its own core), the next is
        validated (Python's work). A batch's duplicate check cannot see the batch being written, but the file's own
        earlier rows are known (`_seen`), so nothing slips through."""
        self._mapping = mapping
        writing: asyncio.Task | None = None
        try:
            for batch in _batches(enumerate(rows, start=2), BATCH):
                valid, changes, definitions = await self._validate(batch, mapping)
                if writing is not None:
                    await writing
                writing = asyncio.create_task(self._write(valid, changes, definitions, len(batch), progress))
        finally:  # the batch being written is finished, whatever stopped the next one
            if writing is not None:
                await writing
        self.report.rejected.sort(key=lambda r: r.row)
        return self.report

    async def _validate(self, batch: list[tuple[int, dict]], mapping: dict[str, str]) -> tuple[list, list, list]:
        """Every row of the batch as a customer ready to write, or rejected with all its problems; then the
        duplicates among them, checked with three queries. Rows that match an existing customer (`update_by`) are
        changes to it instead, checked when they are written (`changes`: row number, customer id, the row)."""
        from crm.customers.schema.mutations import build_customer

        async with self.db.read() as session:
            definitions = await custom_fields.definitions(session, "customer")
            defs = {d.key: d for d in definitions}
            await self._load_owners(session, [row for _, row in batch], mapping)
            matched = await self._matches(session, batch, mapping) if self.update_by else {}
            valid, changes = [], []
            for number, row in batch:
                if number in matched:
                    target = matched[number]
                    if isinstance(target, UserError):
                        self.report.rejected.append(Rejected(number, [target]))
                    else:
                        changes.append((number, target, row))
                    continue
                data, errors = await self._input(session, row, mapping, defs)
                try:
                    new = await build_customer(session, self.access, data, definitions)
                except Invalid as exc:
                    errors = [*errors, *exc.errors]
                if errors:  # every problem of the row at once, the file's own and the customer's
                    self.report.rejected.append(Rejected(number, errors))
                    continue
                valid.append((number, data, new, _keys(data)))
            return await self._without_duplicates(session, valid), changes, definitions

    async def _matches(self, session, batch: list[tuple[int, dict]], mapping: dict[str, str]) -> dict[int, int | UserError]:
        """Row number -> the customer it updates (or why it cannot), for rows with a key; rows without one are new
        customers. By id: the id column. By email: the row's first email, when exactly one customer has it."""
        column = next(c for c, f in mapping.items() if f == ("id" if self.update_by == "id" else "emails"))
        keys: dict[int, str] = {}
        for number, row in batch:
            text = (row.get(column) or "").strip()
            if text and self.update_by == "id":
                keys[number] = text
            elif text:
                try:
                    keys[number] = normalise.email(_split(text)[0], "emails.0.value")
                except Invalid:
                    pass  # a bad address: the row is validated as a new customer, which reports it
        out: dict[int, int | UserError] = {}
        if self.update_by == "id":
            for number, text in keys.items():
                found = try_parse_id(text)  # the export's global id, or a plain number
                out[number] = found if found is not None else UserError(field="id", code="INVALID", message=f"{text!r} is not a customer id")
            return out
        found: dict[str, set[int]] = {}
        if keys:
            rows = await session.execute(select(Channel.normalized, Channel.customer_id).join(Customer, Customer.id == Channel.customer_id)
                                         .where(Channel.kind == "email", Channel.contact_id.is_(None), Channel.normalized.in_(set(keys.values())),
                                                Customer.deleted_at.is_(None)))
            for value, customer_id in rows:
                found.setdefault(value, set()).add(customer_id)
        for number, value in keys.items():
            owners = found.get(value, set())
            if len(owners) == 1:
                out[number] = owners.pop()
            elif owners:
                out[number] = UserError(field="emails", code="DUPLICATE", message=f"{len(owners)} customers have {value}: update by id instead")
        return out

    async def _write(self, valid: list, changes: list, definitions: list, size: int, progress: Callable[[int], None] | None) -> None:
        """Write a validated batch with a few statements in its own transaction. Should that fail (a plugin refusing
        one customer, a constraint), the batch is written again a row at a time in savepoints, so only the failing
        rows are rejected. Changes to existing customers go one by one, as updateCustomer makes them."""
        async with self.db.write() as session:
            session.info["actor_id"] = self.access.user_id
            session.info["runtime"] = self.runtime
            await self._save(session, valid, definitions)
            await self._change(session, changes, definitions)
            if self.report.dry_run:
                await session.rollback()
            elif session.bind.dialect.name == "postgresql" and self.report.imported >= max(2 * self._analyzed_at, 1000):
                # Statistics of a table that grew from nothing during this import say it is tiny, and the planner
                # then reads every channel for each batch's duplicate check (minutes for 20,000 rows). PostgreSQL's
                # advice after bulk loads: ANALYZE. Doing it as the tables double costs a few passes in all.
                await session.execute(text(f"ANALYZE {Customer.__tablename__}, {Channel.__tablename__}"))
                self._analyzed_at = self.report.imported
        progress and progress(size)

    async def _save(self, session, valid: list, definitions) -> None:
        from crm.customers.schema.mutations import build_customer, save_customers

        try:
            async with session.begin_nested():
                await save_customers(session, [new for _, _, new, _ in valid])
                await session.flush()
            self.report.imported += len(valid)
            return
        except (Invalid, IntegrityError):
            pass
        for number, data, _, _ in valid:
            try:
                async with session.begin_nested():
                    await save_customers(session, [await build_customer(session, self.access, data, definitions)])
                    await session.flush()
                self.report.imported += 1
            except Invalid as exc:
                self.report.rejected.append(Rejected(number, exc.errors))
            except IntegrityError as exc:  # the driver's text names tables and values: it goes to the log, not to the caller
                log.warning("import row %s refused by the database: %s", number, exc.orig)
                self.report.rejected.append(Rejected(number, [UserError(field=None, code="CONFLICT",
                                                                        message="the database refused this row: it conflicts with a record written meanwhile")]))

    async def _change(self, session, changes: list, definitions) -> None:
        """Each matched row as an update of its customer: the cells it fills change, empty cells leave the value as
        it is; a `version` column (an export's) refuses the row with CONFLICT when the customer changed since."""
        from crm.customers.schema.mutations import change_customer

        defs = {d.key: d for d in definitions}
        for number, customer_id, row in changes:
            try:
                async with session.begin_nested():
                    with session.no_autoflush:
                        await change_customer(session, self.access, self._update_input(customer_id, row, defs), field="id")
                        await session.flush()
                self.report.updated += 1
            except Invalid as exc:
                self.report.rejected.append(Rejected(number, exc.errors))

    def _update_input(self, customer_id: int, row: dict, defs: dict):
        """The filled cells of a row as an updateCustomer input."""
        from crm.customers.schema.mutations import UpdateCustomerInput
        from crm.customers.schema.types import CustomerKind, LabeledValueInput

        values = {field: (row.get(column) or "").strip() for column, field in self._mapping.items()}
        version = values.get("version")
        if version and not version.isdigit():
            raise Invalid.one("version", "INVALID", f"{version!r} is not a version number")
        data = UpdateCustomerInput(id=str(customer_id), version=int(version) if version else None)
        for field in ("name", "industry", "size", "region", "source", "website", "notes", "lifecycle_stage"):
            if values.get(field):
                setattr(data, field, values[field])
        if values.get("kind"):
            if values["kind"].lower() not in ("company", "person"):
                raise Invalid.one("kind", "INVALID", "kind must be company or person")
            data.kind = CustomerKind(values["kind"].lower())
        if values.get("tags"):
            data.tags = _split(values["tags"])
        if values.get("emails"):
            data.emails = [LabeledValueInput(value=v) for v in _split(values["emails"])]
        if values.get("phones"):
            data.phones = [LabeledValueInput(value=v) for v in values["phones"].split(LIST_SEPARATOR) if v.strip()]
        if values.get("owner_email"):
            owner_id = self._owners.get(values["owner_email"].lower())
            if owner_id is None:
                raise Invalid.one("owner_email", "NOT_FOUND", f"no active user {values['owner_email']}")
            data.owner_id = str(owner_id)
        extra = {f.removeprefix(CUSTOM_PREFIX): raw for f, raw in values.items() if f.startswith(CUSTOM_PREFIX) and raw}
        if extra:
            data.custom_fields = {k: (str(v) if isinstance(v, Decimal) else v)
                                  for k, v in ((k, _from_text(defs[k], raw) if k in defs else raw) for k, raw in extra.items())}
        return data

    async def _load_owners(self, session, rows: list[dict], mapping: dict[str, str]) -> None:
        """The owners a batch names, in one query."""
        column = next((c for c, f in mapping.items() if f == "owner_email"), None)
        wanted = {(row.get(column) or "").strip().lower() for row in rows} - {""} - set(self._owners) if column else set()
        if wanted:
            found = dict((await session.execute(select(User.email, User.id).where(User.email.in_(wanted), User.is_active.is_(True)))).all())
            self._owners.update({email: found.get(email) for email in wanted})

    async def _without_duplicates(self, session, valid: list) -> list:
        """Rows whose email, phone or website is not an existing customer's or an earlier row's (three queries a batch)."""
        if self.allow_duplicates:
            return valid
        channels = {k for *_, keys in valid for k in keys if k[0] != "website"}
        domains = {k[1] for *_, keys in valid for k in keys if k[0] == "website"}
        taken: dict[tuple[str, str], int] = {}
        for kind in sorted({k for k, _ in channels}):
            # One kind at a time, by equality: then both columns of the (kind, normalized) index narrow the search. A
            # list of (kind, value) pairs, or `kind IN (...)`, makes PostgreSQL plan one scan per pair or read every row.
            rows = await session.execute(
                select(Channel.normalized, Channel.customer_id).join(Customer, Customer.id == Channel.customer_id)
                .where(Channel.kind == kind, Channel.normalized.in_({v for k, v in channels if k == kind}), Customer.deleted_at.is_(None)))
            taken.update({(kind, value): customer for value, customer in rows})
        if domains:
            rows = await session.execute(select(Customer.website_domain, Customer.id).where(Customer.website_domain.in_(domains), Customer.deleted_at.is_(None)))
            taken.update({("website", domain): customer for domain, customer in rows})
        kept = []
        for item in valid:
            number, keys = item[0], item[3]
            clash = next((k for k in keys if k in self._seen or k in taken), None)
            if clash is None:
                kept.append(item)
                self._seen.update(keys)
                continue
            kind, value = clash
            field = "website" if kind == "website" else f"{kind}s"
            message = f"{value} appears in an earlier row" if clash in self._seen else f"customer {taken[clash]} already has {value}"
            self.report.rejected.append(Rejected(number, [UserError(field=field, code="DUPLICATE", message=message)]))
        return kept

    async def _input(self, session, row: dict, mapping: dict[str, str], defs: dict):
        """The row as a createCustomer input, and the problems only the file can have (unknown owner, bad kind)."""
        from crm.customers.schema.mutations import CreateCustomerInput
        from crm.customers.schema.types import CustomerKind, LabeledValueInput

        values = {field: (row.get(column) or "").strip() for column, field in mapping.items()}
        errors = []
        kind_text = values.get("kind", "").lower() or "company"
        if kind_text not in ("company", "person"):
            errors.append(UserError(field="kind", code="INVALID", message="kind must be company or person"))
        owner_id = None
        if values.get("owner_email"):
            owner_id = self._owners.get(values["owner_email"].lower())
            if owner_id is None:
                errors.append(UserError(field="owner_email", code="NOT_FOUND", message=f"no active user {values['owner_email']}"))
        extra = {}
        for field, raw in values.items():
            if field.startswith(CUSTOM_PREFIX) and raw:
                key = field.removeprefix(CUSTOM_PREFIX)
                extra[key] = _from_text(defs[key], raw) if key in defs else raw
        extra = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in extra.items()}
        data = CreateCustomerInput(
            kind=CustomerKind(kind_text if kind_text in ("company", "person") else "company"), name=values.get("name", ""),
            **{f: values.get(f) or None for f in ("industry", "size", "region", "source", "website", "notes")},
            lifecycle_stage=values.get("lifecycle_stage") or "prospect",
            tags=_split(values.get("tags", "")),
            emails=[LabeledValueInput(value=v) for v in _split(values.get("emails", ""))],
            phones=[LabeledValueInput(value=v) for v in values.get("phones", "").split(LIST_SEPARATOR) if v.strip()],
            custom_fields=extra, owner_id=str(owner_id) if owner_id else None,
        )
        return data, errors



def _batches(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _keys(data) -> list[tuple[str, str]]:
    """What makes a row look like another customer: its normalised emails and phones, and its website's domain."""
    keys = [("email", normalise.email(item.value, f"emails.{i}.value")) for i, item in enumerate(data.emails or [])]
    keys += [("phone", normalise.phone(item.value, f"phones.{i}.value")) for i, item in enumerate(data.phones or [])]
    if domain := normalise.website_domain(data.website):
        keys.append(("website", domain))
    return keys


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and records of a CSV text, whatever its delimiter (crm.csvfiles)."""
    from crm.csvfiles import read_csv_text

    return read_csv_text(text)


EXPORT_PAGE = 1000


async def export_rows(db, conditions: list, limit: int | None = None) -> AsyncIterator[list[str]]:
    """The header, then one row per customer matching `conditions` (which include the caller's scope), by id."""
    async with db.read() as session:
        defs = list((await session.scalars(
            select(CustomFieldDefinition).where(CustomFieldDefinition.entity == "customer", CustomFieldDefinition.archived.is_(False))
            .order_by(CustomFieldDefinition.id)
        )).all())
    columns = ["id", *FIELDS, "created_at", "updated_at", "version"]
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
                "id": global_id("Customer", c.id), "kind": c.kind, "name": c.name, "industry": c.industry, "size": c.size, "region": c.region,
                "source": c.source, "lifecycle_stage": c.lifecycle_stage, "website": c.website, "notes": c.notes,
                "tags": LIST_SEPARATOR.join(extra["tags"]), "emails": LIST_SEPARATOR.join(extra["email"]),
                "phones": LIST_SEPARATOR.join(extra["phone"]), "owner_email": owners.get(c.owner_id),
                "created_at": c.created_at.isoformat(), "updated_at": c.updated_at.isoformat(), "version": str(c.version),
            }
            row = [values[k] or "" for k in columns]
            for d in defs:
                value = (c.custom_fields or {}).get(d.key)
                row.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
            yield row
        sent += len(page)
        last_id = page[-1].id
