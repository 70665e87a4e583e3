"""GraphQL types of the sales plugin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

import crm
from crm import api_type, connection_type, inherited, payload_type, requires
from crm.plugins.sales import models
from crm.plugins.sales.schema.enums import OpportunityStatus, OrderStatus, QuoteStatus, TargetMetric

Customer = api_type("Customer")
User = api_type("User")
Contact = api_type("Contact")
Line = api_type("LineItem")  # the catalogue's, by name


@strawberry.type(description="A step of a pipeline, with the probability of winning a deal in it.")
class Stage:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    position: int
    probability: int = strawberry.field(description="Default win probability in percent for opportunities in this stage.")
    kind: OpportunityStatus = strawberry.field(description="The status of deals in this stage.")


@strawberry.type(description="The stages deals go through, in order.")
class Pipeline:
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    is_default: bool = strawberry.field(description="New deals go into it unless told another.")
    version: int

    @strawberry.field(description="Its stages, in order.")
    @inherited
    async def stages(self, info: strawberry.Info) -> list[Stage]:
        return await crm.children_loader(info.context, models.Stage, "pipeline_id", [models.Stage.position]).load(self.id)


@strawberry.type(name="OpportunityChange", description="The opportunity as it was after a change of stage, amount, probability or close date.")
class OpportunityChangeType:
    at: datetime = strawberry.field(description="When it changed.")
    amount: Decimal = strawberry.field(description="Its amount from then on.")
    probability: int = strawberry.field(description="Its probability from then on.")
    expected_close_date: date | None = strawberry.field(description="Its expected close date from then on.")

    @strawberry.field(description="Its stage from then on.")
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await crm.by_id_loader(info.context, models.Stage).load(self.stage_id)


@strawberry.type(name="StageVisit", description="One stay in a stage.")
class StageVisitType:
    entered_at: datetime = strawberry.field(description="When the deal entered the stage.")
    left_at: datetime | None = strawberry.field(description="When it left; null while it is there.")

    @strawberry.field(description="The stage.")
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await crm.by_id_loader(info.context, models.Stage).load(self.stage_id)


@strawberry.type(description="A deal in a pipeline: its customer, amount, stage, probability and expected close date.")
class Opportunity(crm.Node):
    id: strawberry.ID
    name: str = strawberry.field(description="Its name.")
    status: OpportunityStatus = strawberry.field(description="The kind of its stage.")
    amount: Decimal = strawberry.field(description="What it is worth, in its currency.")
    currency: str
    probability: int = strawberry.field(description="How likely it is won, in percent (the stage's unless set).")
    expected_close_date: date | None = strawberry.field(description="When it is expected to close.")
    opened_at: datetime = strawberry.field(description="When it was opened.")
    closed_at: datetime | None = strawberry.field(description="When it was won or lost.")
    stage_entered_at: datetime = strawberry.field(description="When it entered its stage.")
    source: str | None = strawberry.field(description="Where it came from.")
    campaign: str | None = strawberry.field(description="The campaign's name that brought it.")
    competitors: list[str] = strawberry.field(description="Competitors in the deal.")
    lost_reason: str | None = strawberry.field(description="Why it was lost.")
    next_step: str | None = strawberry.field(description="What is to be done next.")
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

    @strawberry.field(description="The values of the custom fields admins defined for opportunities.")
    @inherited
    async def custom_fields(self, info: strawberry.Info) -> list[crm.CustomFieldValue]:
        return await crm.custom_field_values(info, "opportunity", self.custom_fields)

    @strawberry.field(description="Its stage.")
    @inherited
    async def stage(self, info: strawberry.Info) -> Stage:
        return await crm.by_id_loader(info.context, models.Stage).load(self.stage_id)

    @strawberry.field(description="Its pipeline.")
    @inherited
    async def pipeline(self, info: strawberry.Info) -> Pipeline:
        return await crm.by_id_loader(info.context, models.Pipeline).load(self.pipeline_id)

    @strawberry.field(description="The customer it is with.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="Who works it.")
    @requires("user", "read", or_null=True)
    async def owner(self, info: strawberry.Info) -> User | None:
        return await crm.user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="Contacts involved that the caller may read.")
    @requires("contact", "read")
    async def contacts(self, info: strawberry.Info) -> list[Contact]:
        links = await crm.children_loader(info.context, models.OpportunityContact, "opportunity_id").load(self.id)
        found = await crm.visible_loader(info.context, crm.Contact, "contact").load_many([link.contact_id for link in links])
        return [c for c in found if c is not None]

    @strawberry.field(description="Its products, when it has any (its amount is then their total).")
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await crm.children_loader(info.context, models.OpportunityLine, "opportunity_id", [models.OpportunityLine.position]).load(self.id)

    @strawberry.field(description="Every change of stage, amount, probability or close date, oldest first.")
    @inherited
    async def history(self, info: strawberry.Info) -> list[OpportunityChangeType]:
        return await crm.children_loader(info.context, models.OpportunityChange, "opportunity_id",
                                         [models.OpportunityChange.at, models.OpportunityChange.id]).load(self.id)

    @strawberry.field(description="Stays in each stage, oldest first: time in stage is `leftAt - enteredAt`.")
    @inherited
    async def stage_visits(self, info: strawberry.Info) -> list[StageVisitType]:
        return await crm.children_loader(info.context, models.StageVisit, "opportunity_id",
                                         [models.StageVisit.entered_at, models.StageVisit.id]).load(self.id)


@strawberry.type(description="An offer to a customer: lines, discounts, totals and its status until accepted or rejected.")
class Quote(crm.Node):
    id: strawberry.ID
    number: str = strawberry.field(description="Its number, from the quote numbering sequence.")
    status: QuoteStatus = strawberry.field(description="Draft, sent, accepted, rejected or expired.")
    currency: str
    valid_until: date | None = strawberry.field(description="The last day it may be accepted.")
    notes: str | None = strawberry.field(description="Notes to the customer.")
    subtotal: Decimal = strawberry.field(description="The lines' net total, before tax.")
    tax_total: Decimal = strawberry.field(description="The tax.")
    total: Decimal = strawberry.field(description="subtotal + taxTotal.")
    created_at: datetime
    version: int

    @strawberry.field(description="`total` in the reporting currency at the rate of the day the quote was made; null when no rate converts it.")
    @inherited
    async def amount_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.total, self.currency, self.created_at.date())

    @strawberry.field(description="The customer it is for.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="The deal it was made for, if any.")
    @requires("opportunity", "read", or_null=True)
    async def opportunity(self, info: strawberry.Info) -> Opportunity | None:
        return await crm.visible_loader(info.context, models.Opportunity, "opportunity").load(self.opportunity_id) if self.opportunity_id else None

    @strawberry.field(description="Its lines.")
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await crm.children_loader(info.context, models.QuoteLine, "quote_id", [models.QuoteLine.position]).load(self.id)


@strawberry.type(name="OrderCore", description="A confirmed sale: its lines, totals and status. Other plugins add to it by name "
                  "(inventory: its fulfilment).")
class Order(crm.Node):
    id: strawberry.ID
    number: str = strawberry.field(description="Its number, from the order numbering sequence.")
    status: OrderStatus = strawberry.field(description="Draft, confirmed, fulfilled or cancelled.")
    currency: str
    subtotal: Decimal = strawberry.field(description="The lines' net total, before tax.")
    tax_total: Decimal = strawberry.field(description="The tax.")
    total: Decimal = strawberry.field(description="subtotal + taxTotal.")
    confirmed_at: datetime | None = strawberry.field(description="When it was confirmed.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    created_at: datetime

    @strawberry.field(description="`total` in the reporting currency at its confirmation date's rate (today's while a draft); "
                      "null when no rate converts it.")
    @inherited
    async def amount_in_reporting_currency(self, info: strawberry.Info) -> Decimal | None:
        return await crm.convert_amount(info.context, self.total, self.currency, self.confirmed_at.date() if self.confirmed_at else None)
    version: int

    @strawberry.field(description="The customer who ordered.")
    @requires("customer", "read", or_null=True)
    async def customer(self, info: strawberry.Info) -> Customer | None:
        return await crm.visible_customer_loader(info.context).load(self.customer_id)

    @strawberry.field(description="Its lines.")
    @inherited
    async def lines(self, info: strawberry.Info) -> list[Line]:
        return await crm.children_loader(info.context, models.OrderLine, "order_id", [models.OrderLine.position]).load(self.id)


@strawberry.type(description="A revenue or deal-count target of a user or team for a period.")
class SalesTarget:
    id: strawberry.ID
    metric: TargetMetric = strawberry.field(description="revenue or deals.")
    period_start: date = strawberry.field(description="The first day of its period.")
    period_end: date = strawberry.field(description="The last day of its period.")
    value: Decimal = strawberry.field(description="The target: an amount in the reporting currency, or a number of deals.")
    version: int
    user_id: strawberry.ID | None
    team_id: strawberry.ID | None


OpportunityConnection = connection_type("Opportunity", Opportunity)
QuoteConnection = connection_type("Quote", Quote)
OrderRef = crm.api_type("Order")  # published by name: referred to lazily, like the core's Customer
OrderConnection = connection_type("Order", OrderRef)


PipelinePayload = payload_type("Pipeline", pipeline=Pipeline)
OpportunityPayload = payload_type("Opportunity", opportunity=Opportunity)
QuotePayload = payload_type("Quote", quote=Quote, order=(OrderRef, "The order made when an accepted quote creates one."))
OrderPayload = payload_type("Order", order=OrderRef)
SalesTargetPayload = payload_type("SalesTarget", target=SalesTarget)
