"""The declarations plugins return from `crm_register_*` hooks. Plain data: the core checks and assembles them."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

SCOPES = ("own", "team", "all")  # narrowest first
ACTIONS = ("read", "write")

# Default grants of the built-in roles (admins may do everything), for `Resource(default_grants=...)`.
# Records with owners: reps read and change their own, managers their teams', viewers read everything.
SCOPED_GRANTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "manager": MappingProxyType({"read": "team", "write": "team"}),
    "sales_rep": MappingProxyType({"read": "own", "write": "own"}),
    "viewer": MappingProxyType({"read": "all"}),
})
# Shared reference data (pipelines, catalogues, rates): everyone reads, only admins change.
READ_ALL_GRANTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    role: MappingProxyType({"read": "all"}) for role in ("manager", "sales_rep", "viewer")
})


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What a plugin is. Lives in the plugin package's `__init__.py`, which must import nothing heavy:
    the core reads manifests of every installed plugin, enabled or not.

    `hooks` names the module with the `@hookimpl`s; it is imported only when the plugin is enabled.
    `migrations` is the folder of its alembic branch (default: `migrations/versions` beside the manifest); it stays
    visible to alembic while the plugin is disabled, so that the version table always resolves.
    `bridge=True` enables the plugin by itself whenever all of `depends` are enabled (like odoo's `auto_install`).
    """

    name: str
    version: str
    hooks: str
    depends: tuple[str, ...] = ()
    requires_core: str = ">=1,<2"
    description: str = ""
    bridge: bool = False
    migrations: Path | None = None

    @classmethod
    def here(cls, init_file: str, **fields: Any) -> Manifest:
        """Build a manifest whose migration folder is found by convention beside `init_file`."""
        folder = Path(init_file).parent / "migrations" / "versions"
        fields.setdefault("migrations", folder if folder.is_dir() else None)
        fields["depends"] = tuple(fields.get("depends", ()))
        return cls(**fields)


@dataclasses.dataclass(frozen=True)
class Resource:
    """A kind of record guarded by read and write grants. `default_grants` maps a built-in role name to
    `{"read": scope, "write": scope}` (scope one of own, team, all); written when the plugin is first enabled.
    `owned=False` marks a resource without per-record owners (catalogues, settings): only `all` applies."""

    name: str
    description: str
    default_grants: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    owned: bool = True


@dataclasses.dataclass
class GraphQLContribution:
    """A plugin's part of the GraphQL schema.

    - `query` / `mutation`: strawberry types whose fields are merged into the root Query / Mutation.
    - `types`: types this plugin owns that others may extend by name, `{"Customer": CustomerType}`.
    - `extends`: fragments adding fields to types owned by other modules, `{"Customer": [CustomerSales]}`.
    - `nodes`: types of `types` that `node(id:)` fetches again (Relay's Node), each with the root query field of this
      contribution that reads one record by `id`: `{"Ticket": "ticket"}`. The type then implements `Node`.
    A field name defined twice on one type is a start-up error naming both plugins.
    """

    query: Sequence[type] = ()
    mutation: Sequence[type] = ()
    types: Mapping[str, type] = dataclasses.field(default_factory=dict)
    extends: Mapping[str, Sequence[type]] = dataclasses.field(default_factory=dict)
    nodes: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class TimelineSource:
    """Entries of one kind in a customer's timeline.

    `select(access, customer_ids)` returns a SQLAlchemy select of the entries of those customers with exactly these
    labelled columns, in this order: `customer_id`, `id` (str, unique within the kind), `occurred_at`, `kind`,
    `title`, `body`, `record_type`, `record_id`, `actor_id`. `access` is the caller's `crm.Access`: filter with
    `access.filter_or_none(Model, resource)` where records have owners. One call serves a whole page of customers.
    `kinds` lists the entry kinds it can produce, so a `kinds` filter can skip it.
    """

    name: str
    resource: str
    kinds: tuple[str, ...]
    select: Callable[..., Any]


@dataclasses.dataclass(frozen=True)
class CustomerReference:
    """A column that points at a customer: `model.<column>`. Merging customers re-points these rows."""

    model: type
    column: str = "customer_id"
    label: str = ""


@dataclasses.dataclass(frozen=True)
class ValueSource:
    """Events that make up a customer's value: touchpoints, purchases, payments. Customer analysis (RFM segments,
    churn risk) unions every source in SQL.

    `select(access)` returns a SQLAlchemy select with these labelled columns: `customer_id`, `occurred_at`
    (UTC datetime), `amount` (a `crm.Money` value; 0 for events without money) and, for money, `currency` (the
    amount's ISO code; without the column amounts are taken to be in the reporting currency). Amounts are converted
    into the reporting currency at the event's day. Apply `access.filter_or_none(model, resource)` so that a
    caller's numbers only include records they may read.
    """

    name: str
    resource: str
    select: Callable[..., Any]


@dataclasses.dataclass(frozen=True)
class ChangeRule:
    """Work that follows a change of an existing row, in the same transaction, whatever wrote it.

    After a flush that changed any of `fields` (attribute names) of a row of `model`, the core calls
    `apply(connection, obj)`: `connection` is the flush's synchronous connection (run Core statements on it),
    `obj` the changed object with its new values. Use it to keep denormalised copies in step (a deal's stage visits
    carry its owner); changes made with bulk UPDATE statements bypass the ORM and must do the same themselves.
    """

    name: str
    model: type
    fields: tuple[str, ...]
    apply: Callable[[Any, Any], None]


@dataclasses.dataclass(frozen=True)
class BenchData:
    """Rows at scale for `crm bench generate` (and the benchmarks under bench/).

    `generate(ctx, first, count)` yields `(table, columns, rows)` batches for the chunk of customers with ids
    `first .. first + count - 1`: rows are tuples in `columns` order, with explicit ids taken from
    `ctx.take_ids(table_name, n)` (tables with an `id` column); every table written that way is listed in `tables`. Use `ctx.rng` (seeded) and
    `ctx.choose_owners(k)`; Money columns take whole ten-thousandths (ints), times are aware datetimes.
    """

    name: str
    tables: tuple[Any, ...]
    generate: Callable[..., Any]
    order: int = 100
    prepare: Callable[..., Awaitable[Any]] | None = None  # runs once before; its result is ctx.prepared[name]
    finish: Callable[..., Awaitable[Any]] | None = None  # `await finish(runtime)` once after every chunk is loaded (derived tables)


@dataclasses.dataclass(frozen=True)
class Job:
    """Work run by the scheduler every `interval`. `run(runtime)` is a coroutine; one worker runs it at a time."""

    name: str
    interval: timedelta
    run: Callable[[Any], Awaitable[None]]


@dataclasses.dataclass(frozen=True)
class AssignmentTarget:
    """A kind of record that assignment rules give owners to (leads, tickets): `crm.assign` picks the owner.

    `fields`: attributes of `model` that a rule's conditions may test (compared as lower-case text). `open()`: the SQL
    condition of records that still count towards an owner's load, for least-loaded rules (an open ticket, a lead
    being worked). `owner_column`: the attribute that holds the owner."""

    resource: str
    model: type
    fields: tuple[str, ...] = ()
    open: Callable[[], Any] | None = None
    owner_column: str = "owner_id"


@dataclasses.dataclass(frozen=True)
class ApprovalTarget:
    """A kind of record that admins may make require approval (contracts, quotes): `crm.submit_for_approval` and the
    core's `submitForApproval` send one through the chain that applies.

    `facts(session, record)` is a coroutine giving what chains test: `{"value": Decimal | None, "currency": str |
    None, "title": str, <field>: value, ...}`; `value` in `currency` is compared (in the reporting currency) with step
    thresholds, the other keys named in `fields` with conditions. `ready(record)` says why the record cannot be
    submitted now (a signed contract), or None. The record's own status follows the request through the events
    `crm_on_approval_submitted` and `crm_on_approval_decided`."""

    resource: str
    model: type
    facts: Callable[..., Awaitable[dict]]
    fields: tuple[str, ...] = ()
    ready: Callable[[Any], str | None] | None = None


@dataclasses.dataclass(frozen=True)
class AttachmentTarget:
    """A kind of record that may have files (a contract's signed PDF): uploaded to `PUT /files/{resource}/{id}/{name}` by
    whoever may change the record, downloaded by whoever may read it; `model` has `id` (and `owner_id` for scope)."""

    resource: str
    model: type


@dataclasses.dataclass(frozen=True)
class BulkTarget:
    """Work a bulk job does on many records of `resource`, a batch at a time: `apply(session, ctx, ids, params)` changes
    the records `ids` (up to a thousand) as the user of `ctx` (`crm.acting_as`: the one who started the job, with their
    grants now), in the batch's transaction, audited; it returns {id: reason} for those it could not change (gone, out
    of scope). `params` are what the starting mutation stored (JSON)."""

    name: str
    resource: str
    apply: Callable[..., Awaitable[dict]]


@dataclasses.dataclass(frozen=True)
class SavedList:
    """A list users may save views of (`saveView(input: {list: name, ...})`): `resource` is what it lists (a caller must
    read it), `filter` and `order` name the GraphQL input types of its `filter` and `orderBy` arguments (None: it has
    one order only). Saved values are checked against those types."""

    name: str
    resource: str
    filter: str
    order: str | None = None


@dataclasses.dataclass(frozen=True)
class HttpRoute:
    """A plain HTTP endpoint outside GraphQL (a public web form, a webhook): `endpoint(request, runtime)` returns a
    starlette Response. Nobody is logged in there: the endpoint decides what a caller may do, and must answer every
    bad request with a 4xx of its own. Body size limits, request ids and logs apply as to /graphql."""

    path: str
    endpoint: Callable[..., Awaitable[Any]]
    methods: tuple[str, ...] = ("POST",)


@dataclasses.dataclass(frozen=True)
class ConsolePage:
    """A page of the web console (/app) and its navigation entry: shown to those who may `read` `resource`, while the
    plugin is enabled. `path` names a page the console's build has (console/src/pages), e.g. "/pipeline"; or, for a
    plugin shipped apart from the console, `script` is a JavaScript module file of the plugin's package that draws the
    page: the console imports it and calls its `mount(element, api)` (docs/plugins.md, "A page of your own")."""

    path: str
    title: str
    resource: str
    script: str | Path | None = None


@dataclasses.dataclass(frozen=True)
class DemoData:
    """A loader for `crm demo`: `load(session, rng, users)` adds records; `order` sorts loaders (core first)."""

    name: str
    load: Callable[..., Awaitable[int]]
    order: int = 100
