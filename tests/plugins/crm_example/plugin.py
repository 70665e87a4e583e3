"""Every extension point, used the way a third-party plugin would: only `crm`'s public surface."""

from __future__ import annotations

from datetime import timedelta

import strawberry
from sqlalchemy import ForeignKey, String, cast, func, literal, select
from sqlalchemy.orm import Mapped, mapped_column

import crm
from crm import (
    ID,
    BusinessRecord,
    CustomerReference,
    GraphQLContribution,
    Model,
    Resource,
    TimelineSource,
    UserError,
    hookimpl,
    id_column,
    requires,
)

EVENTS: list[tuple[str, int]] = []  # what crm_on_* told us, for the tests


class Widget(BusinessRecord, Model):
    __tablename__ = "example_widget"
    __plugin__ = "example"
    __resource__ = "widget"

    id: Mapped[int] = id_column()
    customer_id: Mapped[int] = mapped_column(ID, ForeignKey("core_customer.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)


@strawberry.type
class WidgetType:
    id: strawberry.ID
    name: str
    customer_id: strawberry.ID


@strawberry.type
class WidgetPayload:
    widget: WidgetType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateWidgetInput:
    customer_id: strawberry.ID
    name: str


def widgets_by_customer(ctx):
    async def load(ids):
        stmt = select(Widget).where(Widget.customer_id.in_(ids), Widget.deleted_at.is_(None), ctx.access.filter(Widget, "widget"))
        async with ctx.db.read() as session:
            rows = (await session.scalars(stmt.order_by(Widget.id))).all()
        out = {i: [] for i in ids}
        for w in rows:
            out[w.customer_id].append(w)
        return [out[i] for i in ids]

    return ctx.loader("example.widgets", load)


@strawberry.type
class CustomerWidgets:
    @strawberry.field
    @requires("widget", "read")
    async def widgets(self, info: strawberry.Info) -> list[WidgetType]:
        return await widgets_by_customer(info.context).load(self.id)


@strawberry.type
class SummaryWidgets:
    @strawberry.field
    @requires("widget", "read", or_null=True)
    async def widget_count(self, info: strawberry.Info) -> int | None:
        return len(await widgets_by_customer(info.context).load(self.customer_id))


@strawberry.type
class WidgetQuery:
    @strawberry.field
    @requires("widget", "read")
    async def widget_count_all(self, info: strawberry.Info) -> int:
        ctx = info.context
        async with ctx.db.read() as session:
            return await session.scalar(select(func.count()).select_from(Widget).where(ctx.access.filter(Widget, "widget")))


    @strawberry.field(description="What crm_prepare_context put in this request's context.")
    @requires("widget", "read")
    def widget_request_tag(self, info: strawberry.Info) -> str:
        return info.context.extras["example.tag"]


@strawberry.type
class WidgetMutation:
    @strawberry.mutation
    @requires("widget", "write")
    async def create_widget(self, info: strawberry.Info, input: CreateWidgetInput) -> WidgetPayload:
        async def work(session):
            customer = await crm.fetch_for_write(session, info, crm.Customer, input.customer_id, resource="customer", field="customerId", action="read")
            if not input.name.strip():
                raise crm.Invalid.one("name", "REQUIRED", "a widget needs a name")
            widget = Widget(customer_id=customer.id, name=input.name.strip(), owner_id=info.context.user_id)
            session.add(widget)
            await session.flush()
            return WidgetPayload(widget=widget)

        return await crm.mutation(info, WidgetPayload, work)


def widget_entries(access, customer_ids):
    return select(
        Widget.customer_id.label("customer_id"),
        (literal("widget:") + cast(Widget.id, String)).label("id"),
        Widget.created_at.label("occurred_at"),
        literal("widget_added").label("kind"),
        Widget.name.label("title"),
        literal(None, String).label("body"),
        literal("widget").label("record_type"),
        cast(Widget.id, String).label("record_id"),
        Widget.owner_id.label("actor_id"),
    ).where(Widget.customer_id.in_(customer_ids), Widget.deleted_at.is_(None), access.filter_or_none(Widget, "widget"))


@hookimpl
def crm_register_models():
    return [Widget]


@hookimpl
def crm_register_permissions():
    return [Resource("widget", "Widgets of the example plugin.", default_grants={"sales_rep": {"read": "own", "write": "own"}, "viewer": {"read": "all"}})]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(
        query=[WidgetQuery],
        mutation=[WidgetMutation],
        extends={"Customer": [CustomerWidgets], "CustomerSummary": [SummaryWidgets]},
    )


@hookimpl
def crm_register_timeline_sources():
    return [TimelineSource("widgets", "widget", ("widget_added",), widget_entries)]


@hookimpl
def crm_register_customer_references():
    return [CustomerReference(Widget, label="widgets")]


async def count_widgets(runtime):
    async with runtime.db.read() as session:
        EVENTS.append(("widgets_counted", await session.scalar(select(func.count()).select_from(Widget))))


@hookimpl
def crm_register_jobs():
    return [crm.Job("example.count_widgets", timedelta(hours=1), count_widgets)]


@hookimpl
async def crm_on_customer_created(session, customer):
    """An async listener uses the publishing transaction: it reads, writes, and may refuse."""
    if customer.name == "Refused by example":  # the creating transaction fails, the customer with it
        raise crm.Invalid.one("name", "INVALID", "the example plugin refuses this name")
    namesakes = await session.scalar(select(func.count()).select_from(crm.Customer).where(crm.Customer.name == customer.name))
    if namesakes > 1:
        session.add(crm.CustomerTag(customer_id=customer.id, tag="namesake"))
    EVENTS.append(("customer_created", customer.id))


@hookimpl
def crm_on_customers_merged(session, target, source_ids):
    EVENTS.append(("customers_merged", target.id))


@hookimpl
def crm_prepare_context(context):
    context.extras["example.tag"] = f"user:{context.user_id}"
