"""GraphQL types of the sales plugin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

import crm
from crm import UserError, api_type, connection_type, inherited, requires
from crm.plugins.sales import loaders
from crm.plugins.sales.models import OpportunityChange, OpportunityLine, OrderLine, QuoteLine, StageVisit

Customer = api_type("Customer")
User = api_type("User")
Contact = api_type("Contact")


@strawberry.type
class Stage:
    id: strawberry.ID
    name: str
    position: int
    probability: int = strawberry.field(description="Default win probability in percent for opportunities in this stage.")
    kind: str = strawberry.field(description="open, won or lost.")


@strawberry.type
class Pipeline:
    id: strawberry.ID
    name: str
    is_default: bool
    version: int

    @strawberry.field
    @inherited
    async def stages(self, info: strawberry.Info) -> list[Stage]:
        return await loaders.stages_of_pipeline_loader(info.context).load(self.id)


@strawberry.type(name="LineItem", description="A line of an opportunity, quote or order.")
class Line:
    id: strawberry.ID
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    tax_percent: Decimal
    net: Decimal = strawberry.field(description="Quantity x unit price, less the discount, rounded to cents.")
    tax: Decimal
    product_id: strawberry.ID | None


@strawberry.type(description="The opportunity as it was after a change of stage, amount, probability or close date.")
class OpportunityChangeType:
    at: datetime
    amount: Decimal
    probability: int
    expected_close_date: date | None

    @strawberry.field
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await loaders.stage_loader(info.context).load(self.stage_id)


@strawberry.type(description="One stay in a stage.")
class StageVisitType:
    entered_at: datetime
    left_at: datetime | None

    @strawberry.field
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await loaders.stage_loader(info.context).load(self.stage_id)


@strawberry.type
class Opportunity:
    id: strawberry.ID
    name: str
    status: str = strawberry.field(description="open, won or lost: the kind of its stage.")
    amount: Decimal
    currency: str
    probability: int
    expected_close_date: date | None
    opened_at: datetime
    closed_at: datetime | None
    stage_entered_at: datetime
    source: str | None
    campaign: str | None
    competitors: list[str]
    lost_reason: str | None
    next_step: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: int

    @strawberry.field(description="`amount` in the reporting currency: a won or lost deal at its close date's rate, an open "
                      "one at its expected close date's (today's when that is ahead); null when no rate converts it.")
    @inherited
    async def amount_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        day = self.closed_at.date() if self.closed_at else self.expected_close_date
        return await crm.convert_amount(info.context, self.amount, self.currency, day)

    @strawberry.field
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await loaders.stage_loader(info.context).load(self.stage_id)

    @strawberry.field
    @inherited
    async def pipeline(self, info: strawberry.Info) -> Pipeline:
        return await loaders.pipeline_loader(info.context).load(self.pipeline_id)

    @strawberry.field
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field
    @requires("user", "read", or_null=True)
    async def owner(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Contacts involved that the caller may read.")
    @requires("contact", "read")
    async def contacts(self, info: strawberry.Info) -> list[Contact]:
        ids = await loaders.opportunity_contact_ids_loader(info.context).load(self.id)
        return [c for c in await contact_loader(info.context).load_many(ids) if c is not None]

    @strawberry.field
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await loaders.children_loader(info.context, OpportunityLine, "opportunity_id", "opportunity.lines",
                                             [OpportunityLine.position]).load(self.id)

    @strawberry.field(description="Every change of stage, amount, probability or close date, oldest first.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[OpportunityChangeType]:
        return await loaders.children_loader(info.context, OpportunityChange, "opportunity_id", "opportunity.history",
                                             [OpportunityChange.at, OpportunityChange.id]).load(self.id)

    @strawberry.field(description="Stays in each stage, oldest first: time in stage is `leftAt - enteredAt`.")
    @inherited
    async def stage_visits(self, info: strawberry.Info) -> list[StageVisitType]:
        return await loaders.children_loader(info.context, StageVisit, "opportunity_id", "opportunity.visits",
                                             [StageVisit.entered_at, StageVisit.id]).load(self.id)


def contact_loader(ctx):
    from sqlalchemy import select

    async def load(ids):
        stmt = select(crm.Contact).where(crm.Contact.id.in_(ids), crm.Contact.deleted_at.is_(None), ctx.access.filter(crm.Contact, "contact"))
        async with ctx.db.read() as session:
            found = {c.id: c for c in (await session.scalars(stmt)).all()}
        return [found.get(i) for i in ids]

    return ctx.loader("sales.contacts", load)


@strawberry.type
class Product:
    id: strawberry.ID
    sku: str
    name: str
    unit: str
    price: Decimal
    currency: str
    category: str | None
    description: str | None
    active: bool
    version: int
    deleted_at: datetime | None


@strawberry.type
class PriceListItem:
    price: Decimal
    product_id: strawberry.ID


@strawberry.type
class PriceList:
    id: strawberry.ID
    name: str
    currency: str
    segment: str | None = strawberry.field(description="Applies to customers with this tag; null for everyone.")
    valid_from: date | None
    valid_to: date | None
    version: int

    @strawberry.field
    @inherited
    async def items(self, info: strawberry.Info) -> list[PriceListItem]:
        from crm.plugins.sales.models import PriceListItem as Item

        return await loaders.children_loader(info.context, Item, "price_list_id", "price_list.items", [Item.product_id]).load(self.id)


@strawberry.type
class Quote:
    id: strawberry.ID
    number: str
    status: str = strawberry.field(description="draft, sent, accepted, rejected or expired.")
    currency: str
    valid_until: date | None
    notes: str | None
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    created_at: datetime
    version: int

    @strawberry.field(description="`total` in the reporting currency at the rate of the day the quote was made; null when no rate converts it.")
    @inherited
    async def amount_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.total, self.currency, self.created_at.date())

    @strawberry.field
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field
    @requires("opportunity", "read", or_null=True)
    async def opportunity(self, info: strawberry.Info) -> Opportunity | None:
        return await loaders.visible_opportunity_loader(info.context).load(self.opportunity_id) if self.opportunity_id else None

    @strawberry.field
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await loaders.children_loader(info.context, QuoteLine, "quote_id", "quote.lines", [QuoteLine.position]).load(self.id)


@strawberry.type
class Order:
    id: strawberry.ID
    number: str
    status: str = strawberry.field(description="draft, confirmed, fulfilled or cancelled.")
    currency: str
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_at: datetime

    @strawberry.field(description="`total` in the reporting currency at its confirmation date's rate (today's while a draft); "
                      "null when no rate converts it.")
    @inherited
    async def amount_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.total, self.currency, self.confirmed_at.date() if self.confirmed_at else None)
    version: int

    @strawberry.field
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await loaders.children_loader(info.context, OrderLine, "order_id", "order.lines", [OrderLine.position]).load(self.id)


@strawberry.type
class SalesTarget:
    id: strawberry.ID
    metric: str = strawberry.field(description="revenue, won_deals or activities.")
    period_start: date
    period_end: date
    value: Decimal
    version: int
    user_id: strawberry.ID | None
    team_id: strawberry.ID | None


OpportunityConnection = connection_type("Opportunity", Opportunity)
QuoteConnection = connection_type("Quote", Quote)
OrderConnection = connection_type("Order", Order)
ProductConnection = connection_type("Product", Product)


@strawberry.type
class PipelinePayload:
    pipeline: Pipeline | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OpportunityPayload:
    opportunity: Opportunity | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductPayload:
    product: Product | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PriceListPayload:
    price_list: PriceList | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class QuotePayload:
    quote: Quote | None = None
    order: Order | None = strawberry.field(default=None, description="The order made when an accepted quote creates one.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrderPayload:
    order: Order | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SalesTargetPayload:
    target: SalesTarget | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SalesDeletePayload:
    errors: list[UserError] = strawberry.field(default_factory=list)
