from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta

import strawberry
from sqlalchemy import exists, false, func, or_, select, union
from sqlalchemy.orm import aliased

from crm.api.access import requires
from crm.api.errors import bad_input
from crm.api.ids import try_parse_id
from crm.api.inputs import search_term
from crm.api.pagination import SortDirection, list_page
from crm.api.types import api_type
from crm.customers import analysis
from crm.customers.models import Channel, Contact, Customer, CustomerTag
from crm.customers.normalise import phone_prefixes, search_name
from crm.customers.schema.custom_fields import CustomFieldFilter, filter_conditions
from crm.customers.schema.types import ContactConnection, CustomerConnection, CustomerKind, CustomerRef, ContactRef, LifecycleStage, SearchMode
from crm.models import utcnow
from crm.sqlfuncs import starts_with, unindexed


@strawberry.enum(description="What the customer list is ordered by.")
class CustomerOrderField(enum.Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    LAST_CONTACT = strawberry.enum_value("last_contact", description="The last call, email, meeting or visit the caller may see "
                                         "(never one dated ahead); customers never contacted sort as the oldest.")


@strawberry.input(name="CustomerOrder", description="How a customer list is ordered. Modules may add orderings of their "
                  "own (sales: `value`); one given there takes the place of `field`.")
class CustomerOrderCore:
    field: CustomerOrderField = strawberry.field(default=CustomerOrderField.NAME, description="What the list is ordered by.")
    direction: SortDirection = strawberry.field(default=SortDirection.ASC, description="Ascending or descending.")


@strawberry.input(name="CustomerFilter", description="Which customers a list shows: every condition given must match. "
                  "Modules add conditions of their own (sales: deals won or lost between two days).")
class CustomerFilterCore:
    search: str | None = strawberry.field(default=None, description="Name, email or phone (from its start, country code included). Prefix match unless `searchMode` is CONTAINS.")
    search_mode: SearchMode = strawberry.field(default=SearchMode.PREFIX, description="How `search` matches names: PREFIX (fast, the default) or CONTAINS.")
    kind: CustomerKind | None = strawberry.field(default=None, description="Only companies, or only persons.")
    tags: list[str] | None = strawberry.field(default=None, description="Customers with any of these tags.")
    owner_id: strawberry.ID | None = None
    lifecycle_stage: LifecycleStage | None = strawberry.field(default=None, description="Only customers in this stage.")
    region: str | None = strawberry.field(default=None, description="Only customers of this region.")
    industry: str | None = strawberry.field(default=None, description="Only customers of this industry.")
    created_from: datetime | None = strawberry.field(default=None, description="Only customers created at or after this time.")
    created_to: datetime | None = strawberry.field(default=None, description="Only customers created before this time.")
    updated_from: datetime | None = strawberry.field(default=None, description="Only customers changed at or after this time.")
    updated_to: datetime | None = strawberry.field(default=None, description="Only customers changed before this time.")
    contact_email: str | None = strawberry.field(default=None, description="Customers having a contact whose email starts with this.")
    contact_name: str | None = strawberry.field(default=None, description="Customers having a contact whose name starts with this.")
    custom_fields: list[CustomFieldFilter] | None = strawberry.field(default=None, description="All of these must match.")
    no_contact_days: int | None = strawberry.field(default=None, description="Customers without a call, email, meeting or "
                                                   "visit (that the caller may see) in the last N days, 1 to 3650: whom to call next.")
    rfm_segment: str | None = strawberry.field(default=None, description="Customers in this segment of `customerSegments` "
                                               "(champions, loyal, new, promising, at_risk, hibernating, inactive), scored today.")
    rfm_window_days: int = strawberry.field(default=365, description="The window `rfmSegment` scores over, as `customerSegments(windowDays)`.")
    churn_risk: bool | None = strawberry.field(default=None, description="true: the customers `churnRisk` flags with its defaults; "
                                               "false: the others.")
    deleted: bool = strawberry.field(default=False, description="Show deleted customers (to restore them) instead of live ones.")


# The assembled inputs (the core's fields and every enabled module's), for annotations; public as crm.CustomerFilter.
CustomerFilter = api_type("CustomerFilter")
CustomerOrder = api_type("CustomerOrder")


def _like(value: str, mode: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if mode == "CONTAINS" else f"{escaped}%"


def _matches(column, value: str, mode: str):
    """`column` contains `value` (CONTAINS: a trigram index on PostgreSQL, a scan on SQLite) or starts with it (an
    index range on both)."""
    if mode == "CONTAINS":
        return column.like(_like(value, mode), escape="\\")
    return starts_with(column, value)


def _search_ids(term: str, mode: str):
    """Ids of customers whose name, email or phone matches: a UNION of index range scans (an OR across the tables
    would make the database scan every customer)."""
    # SQLite's statistics count a million NULL contact ids as "two rows per value" and would pick that index: the
    # customer's own channels are found through (kind, normalized) instead.
    own = unindexed(Channel.contact_id).is_(None)
    parts = [
        select(Customer.id).where(_matches(Customer.search_name, search_name(term), mode)),
        select(Channel.customer_id).where(Channel.kind == "email", own, _matches(Channel.normalized, term.lower(), mode)),
    ]
    digits = "".join(c for c in term if c.isdigit())
    if len(digits) >= 3:
        phones = phone_prefixes(term) if mode != "CONTAINS" else [digits]
        parts += [select(Channel.customer_id).where(Channel.kind == "phone", own, _matches(Channel.normalized, p, mode)) for p in phones]
    return union(*parts)


def customer_conditions(f: CustomerFilterCore) -> list:
    conds = [Customer.deleted_at.is_not(None) if f.deleted else Customer.deleted_at.is_(None)]
    if term := search_term(f.search):
        conds.append(Customer.id.in_(_search_ids(term, f.search_mode)))
    if f.kind:
        conds.append(Customer.kind == f.kind.value)
    if f.tags:
        conds.append(exists().where(CustomerTag.customer_id == Customer.id, CustomerTag.tag.in_([t.strip().lower() for t in f.tags])))
    if f.owner_id:
        conds.append(Customer.owner_id == try_parse_id(f.owner_id))
    if f.lifecycle_stage:
        conds.append(Customer.lifecycle_stage == getattr(f.lifecycle_stage, "value", f.lifecycle_stage))
    for column, value in ((Customer.region, f.region), (Customer.industry, f.industry)):
        if value:  # typed by people, so case does not matter (indexed on lower(column))
            conds.append(func.lower(column) == value.strip().lower())
    for column, low, high in ((Customer.created_at, f.created_from, f.created_to), (Customer.updated_at, f.updated_from, f.updated_to)):
        if low:
            conds.append(column >= low)
        if high:
            conds.append(column < high)
    if f.contact_email:
        conds.append(
            exists().where(
                Channel.customer_id == Customer.id, Channel.contact_id.is_not(None), Channel.kind == "email",
                starts_with(Channel.normalized, f.contact_email.strip().lower()),
            )
        )
    if f.contact_name:
        conds.append(
            exists().where(
                Contact.customer_id == Customer.id, Contact.deleted_at.is_(None),
                Contact.name.ilike(_like(f.contact_name.strip(), "PREFIX"), escape="\\"),
            )
        )
    return conds


async def customer_filter(info, f) -> list:
    """Every condition of a customer filter (`crm.CustomerFilter`): the core's, custom fields included (their types
    come from the definitions), and those of the modules that added fields to it."""
    f = f or CustomerFilterCore()
    conds = customer_conditions(f) + await filter_conditions(info, Customer, "customer", f.custom_fields)
    if f.no_contact_days is not None:
        conds.append(_no_contact_since(info, f.no_contact_days))
    if f.rfm_segment is not None:
        conds.append(_in_segment(info, f.rfm_segment, f.rfm_window_days))
    if f.churn_risk is not None:
        flagged = analysis.churn_rows(info.context.runtime, info.context.access, utcnow(), *analysis.CHURN_DEFAULTS, members=True)
        flagged = flagged if flagged is not None else select(Customer.id).where(false())
        conds.append(Customer.id.in_(flagged) if f.churn_risk else Customer.id.not_in(flagged))
    for part in type(f).__mro__:  # the modules' fragments of the assembled input (crm.api.composition)
        if part is not CustomerFilterCore and "conditions" in part.__dict__:
            conds += await part.conditions(f, info)
    return conds


def _in_segment(info, segment: str, window_days: int):
    if segment not in analysis.SEGMENTS:
        raise bad_input("filter.rfmSegment", f"there is no segment {segment!r}; they are {', '.join(analysis.SEGMENTS)}")
    if not 1 <= window_days <= 3650:
        raise bad_input("filter.rfmWindowDays", "rfmWindowDays is 1 to 3650")
    return Customer.id.in_(analysis.segment_members(info.context.runtime, info.context.access, utcnow(), window_days, segment))


def _no_contact_since(info, days: int):
    """No touchpoint in [now - days, now] among the activities the caller may read (others' stay unknown to them);
    an index range on (customer_id, occurred_at) per customer."""
    from crm.activities.loaders import CONTACT_KINDS
    from crm.activities.models import Activity

    if not 1 <= days <= 3650:
        raise bad_input("filter.noContactDays", "noContactDays is 1 to 3650")
    now = utcnow()
    return ~exists().where(Activity.customer_id == Customer.id, Activity.deleted_at.is_(None), Activity.kind.in_(CONTACT_KINDS),
                           Activity.occurred_at >= now - timedelta(days=days), Activity.occurred_at <= now,
                           info.context.access.filter_or_none(Activity, "activity"))


ORDER_COLUMNS = {
    CustomerOrderField.NAME: Customer.search_name,
    CustomerOrderField.CREATED_AT: Customer.created_at,
    CustomerOrderField.UPDATED_AT: Customer.updated_at,
}
NEVER = datetime(1900, 1, 1, tzinfo=UTC)  # the last contact of a customer never contacted, for ordering (keys cannot be NULL)


def _last_contact(info):
    """A customer's last touchpoint the caller may read, not dated ahead: found per customer by an index range on
    (customer_id, occurred_at), so it costs one lookup per customer ordered (a rep's list, not a million at once)."""
    from crm.activities.loaders import CONTACT_KINDS
    from crm.activities.models import Activity

    last = (select(func.max(Activity.occurred_at)).where(
        Activity.customer_id == Customer.id, Activity.deleted_at.is_(None), Activity.kind.in_(CONTACT_KINDS),
        Activity.occurred_at <= utcnow(), info.context.access.filter_or_none(Activity, "activity")).scalar_subquery())
    return func.coalesce(last, NEVER)


async def _sort_value(info, order):
    """The ordering a module's fragment of the assembled CustomerOrder asks for, else None."""
    for part in type(order).__mro__:
        if part is not CustomerOrderCore and "sort_value" in part.__dict__:
            value = await part.sort_value(order, info)
            if value is not None:
                return value
    return None


def visible_customer_loader(ctx):
    """Customers by id, None for those missing, deleted or outside the caller's scope."""

    async def load(ids):
        stmt = select(Customer).where(Customer.id.in_(ids), Customer.deleted_at.is_(None), ctx.access.filter(Customer, "customer"))
        async with ctx.db.read() as session:
            found = {c.id: c for c in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader("core.customer.visible", load)


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="Customers the caller may read, filtered and ordered, a page at a time.")
    @requires("customer", "read")
    async def customers(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
        filter: CustomerFilter | None = None, order_by: CustomerOrder | None = None,
    ) -> CustomerConnection:
        ctx = info.context
        order = order_by or CustomerOrderCore()
        stmt = select(Customer).where(ctx.access.filter(Customer, "customer"), *await customer_filter(info, filter))
        value = await _sort_value(info, order)
        if value is None and order.field == CustomerOrderField.LAST_CONTACT:
            value = _last_contact(info)
        if value is not None:  # a computed value: selected with each row for its cursor
            return await list_page(info, stmt, order=[value, Customer.id], direction=order.direction, first=first, after=after,
                                   last=last, before=before, row_values=lambda row: [row[1], row[0].id],
                                   select_also=[value.label("sort_value")])
        if filter is not None and search_term(filter.search):
            # A search matches a set of customers found through indexes (names, emails, phones). Asked for one row in
            # name order, PostgreSQL may walk the name index and compare every customer with that whole set: over 30 s
            # at 1M customers for a prefix that 27k names share. Fenced (OFFSET 0 keeps the planner from merging the
            # subquery into the ordered walk), the matches are found first and then sorted: 0.3 s, whatever the page.
            found = aliased(Customer, stmt.offset(0).subquery("found"))
            column = getattr(found, ORDER_COLUMNS[order.field].key)
            return await list_page(info, select(found), order=[column, found.id], direction=order.direction,
                                   first=first, after=after, last=last, before=before)
        column = ORDER_COLUMNS[order.field]
        return await list_page(info, stmt, order=[column, Customer.id], direction=order.direction,
                               first=first, after=after, last=last, before=before)

    @strawberry.field(description="One customer; null when it does not exist, is deleted, or is outside the caller's scope.")
    @requires("customer", "read")
    async def customer(self, info: strawberry.Info, id: strawberry.ID) -> CustomerRef | None:
        customer_id = try_parse_id(id)
        return await visible_customer_loader(info.context).load(customer_id) if customer_id else None

    @strawberry.field(description="Contacts the caller may read, a page at a time.")
    @requires("contact", "read")
    async def contacts(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
        customer_id: strawberry.ID | None = None, search: str | None = None, deleted: bool = False,
    ) -> ContactConnection:
        ctx = info.context
        stmt = select(Contact).where(
            ctx.access.filter(Contact, "contact"), Contact.deleted_at.is_not(None) if deleted else Contact.deleted_at.is_(None)
        )
        if customer_id:
            stmt = stmt.where(Contact.customer_id == try_parse_id(customer_id))
        if term := search_term(search):
            stmt = stmt.where(
                or_(
                    Contact.name.ilike(_like(term, "PREFIX"), escape="\\"),
                    exists().where(Channel.contact_id == Contact.id, starts_with(Channel.normalized, term.lower())),
                )
            )
        return await list_page(info, stmt, order=[Contact.id], first=first, after=after, last=last, before=before)

    @strawberry.field(description="One contact; null when there is none the caller may read.")
    @requires("contact", "read")
    async def contact(self, info: strawberry.Info, id: strawberry.ID) -> ContactRef | None:
        ctx = info.context
        contact_id = try_parse_id(id)
        if contact_id is None:
            return None
        async with ctx.db.read() as session:
            return await session.scalar(
                select(Contact).where(Contact.id == contact_id, Contact.deleted_at.is_(None), ctx.access.filter(Contact, "contact"))
            )
