"""`crm import leads FILE.csv`: each row is made exactly like `createLead` (assignment rules, pools, duplicate
flags, history), whole or not at all; a bad row never stops the good ones and is reported with its reasons by its
row number as a spreadsheet shows it. Rows go in batches of 500, each in its own transaction, every row in a
savepoint; a dry run does all of it and keeps nothing.

Columns (matched by header, or by `--map COLUMN=FIELD`): name, company_name, title, emails, phones (`;` between
several), website, source, campaign, region, industry, notes, tags, score, owner_email, pool (a pool's name).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from sqlalchemy import select

import crm
from crm import Invalid, UserError
from crm.plugins.leads.models import LeadPool

FIELDS = ("name", "company_name", "title", "emails", "phones", "website", "source", "campaign", "region", "industry", "notes",
          "tags", "score", "owner_email", "pool")
ALIASES = {"email": "emails", "e_mail": "emails", "mail": "emails", "phone": "phones", "telephone": "phones", "company": "company_name", "tag": "tags", "owner": "owner_email"}
BATCH = 500


@dataclasses.dataclass
class Report:
    imported: int = 0
    rejected: list[tuple[int, list[UserError]]] = dataclasses.field(default_factory=list)


class _DryRun(Exception):
    """Raised at the end of a dry run's batch so that its transaction keeps nothing."""


def mapping_for(headers: list[str], given: dict[str, str]) -> dict[str, str]:
    out = {}
    for header in headers:
        if header in given:
            field = given[header]
        else:
            key = "_".join(header.strip().lower().replace("-", " ").split())
            field = ALIASES.get(key, key)
        if field in FIELDS:
            out[header] = field
    unknown = sorted(set(given.values()) - set(FIELDS))
    if unknown:
        raise Invalid.one("map", "INVALID", f"no lead field {', '.join(unknown)}; the fields are {', '.join(FIELDS)}")
    if "name" not in out.values() and "emails" not in out.values():
        raise Invalid.one("map", "REQUIRED", "the file needs a name or an email column")
    return out


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


async def _row_input(session, data: dict[str, str], owners: dict, pools: dict):
    from crm.plugins.leads.schema.leads import CreateLeadInput

    fields: dict = {}
    for field in ("name", "company_name", "title", "website", "source", "campaign", "region", "industry", "notes"):
        if data.get(field):
            fields[field] = data[field]
    for field in ("emails", "phones", "tags"):
        fields[field] = _split(data.get(field, ""))
    fields.setdefault("name", fields["emails"][0] if fields["emails"] else "")
    if data.get("score"):
        try:
            fields["score"] = int(data["score"])
        except ValueError:
            raise Invalid.one("score", "INVALID", f"{data['score']!r} is not a whole number") from None
    if data.get("owner_email"):
        email = data["owner_email"].strip().lower()
        if email not in owners:
            owners[email] = await session.scalar(select(crm.User.id).where(crm.User.email == email, crm.User.is_active.is_(True)))
        if owners[email] is None:
            raise Invalid.one("owner_email", "NOT_FOUND", f"no active user {email}")
        fields["owner_id"] = str(owners[email])
    if data.get("pool"):
        name = data["pool"].strip()
        if name not in pools:
            pools[name] = await session.scalar(select(LeadPool.id).where(LeadPool.name == name, LeadPool.deleted_at.is_(None)))
        if pools[name] is None:
            raise Invalid.one("pool", "NOT_FOUND", f"no lead pool named {name}")
        fields["pool_id"] = str(pools[name])
    return CreateLeadInput(**fields)


async def import_leads(runtime, access, rows: Iterable[dict[str, str]], mapping: dict[str, str], *, dry_run: bool = False,
                       progress: Callable[[int], None] | None = None) -> Report:
    from crm.plugins.leads.schema.leads import add_lead

    report = Report()
    owners: dict = {}
    pools: dict = {}
    batch: list[tuple[int, dict]] = []

    async def flush() -> None:
        made, rejected = 0, []
        try:
            async with runtime.db.write() as session:
                session.info["actor_id"] = access.user_id
                session.info["runtime"] = runtime
                for line, data in batch:
                    try:
                        async with session.begin_nested():
                            await add_lead(session, runtime, access, await _row_input(session, data, owners, pools))
                        made += 1
                    except Invalid as exc:
                        rejected.append((line, exc.errors))
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        report.imported += made
        report.rejected += rejected
        if progress:
            progress(len(batch))
        batch.clear()

    for i, row in enumerate(rows):
        batch.append((i + 2, {field: (row.get(column) or "").strip() for column, field in mapping.items()}))
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return report
