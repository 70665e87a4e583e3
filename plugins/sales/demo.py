"""Demo data for `crm demo`: a year of opportunities moving through the default pipeline, quotes, orders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

import crm
from crm.plugins.catalogue.lines import line_amounts
from crm.plugins.catalogue.models import Product
from crm.plugins.sales.models import (
    ORDER_NUMBER, Opportunity, OpportunityChange, OpportunityLine, Order, OrderLine, Pipeline, SalesTarget, Stage, StageVisit,
)

# Deals are in three currencies, priced from the EUR list at about the going rate; the demo's exchange rates
# (crm.money.sample) convert them back for the reports.
CURRENCIES = {"EUR": Decimal("1"), "USD": Decimal("1.08"), "GBP": Decimal("0.85")}


async def load(session, rng, users) -> int:
    # The catalogue's demo products: sales depends on the catalogue, whose demo data loads first.
    products = (await session.scalars(select(Product).where(Product.active.is_(True), Product.deleted_at.is_(None))
                                      .order_by(Product.id))).all()
    pipeline = await session.scalar(select(Pipeline).where(Pipeline.is_default.is_(True)))
    stages = (await session.scalars(select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position))).all()
    open_stages = [s for s in stages if s.kind == "open"]
    won = next(s for s in stages if s.kind == "won")
    lost = next(s for s in stages if s.kind == "lost")
    customers = (await session.execute(select(crm.Customer.id, crm.Customer.owner_id).order_by(crm.Customer.id))).all()
    now = crm.utcnow()
    for customer_id, owner_id in customers[: len(customers) * 2 // 3]:
        for _ in range(rng.randint(1, 3)):
            opened = now - timedelta(days=rng.randint(5, 360))
            chosen = rng.sample(products, rng.randint(1, 3))
            deal_currency = rng.choices(list(CURRENCIES), weights=[6, 3, 2])[0]
            opp = Opportunity(name=f"{chosen[0].name} deal", customer_id=customer_id, pipeline_id=pipeline.id, stage_id=open_stages[0].id,
                              status="open", owner_id=owner_id, currency=deal_currency, probability=open_stages[0].probability,
                              opened_at=opened, stage_entered_at=opened, source=rng.choice(["web", "referral", "event", "partner"]),
                              expected_close_date=(opened + timedelta(days=rng.randint(20, 120))).date(), competitors=[])
            session.add(opp)
            await session.flush()
            amount = Decimal(0)
            for i, product in enumerate(chosen):
                quantity = Decimal(rng.randint(1, 20))
                price = crm.round_money(product.price * CURRENCIES[deal_currency], deal_currency)
                discount = Decimal(rng.choice([0, 5, 10]))
                net, tax = line_amounts(quantity, price, discount, Decimal(19), deal_currency)
                session.add(OpportunityLine(opportunity_id=opp.id, product_id=product.id, position=i, description=product.name,
                                            quantity=quantity, unit_price=price, discount_percent=discount,
                                            tax_percent=Decimal(19), net=net, tax=tax))
                amount += net
            opp.amount = amount
            # Walk the stages: each step forward with a chance to stop (stay open), win or lose.
            at, depth = opened, rng.randint(1, len(open_stages))
            path = open_stages[:depth]
            outcome = rng.choices(["open", "won", "lost"], weights=[3, 4, 3])[0] if depth == len(open_stages) else rng.choice(["open", "lost"])
            if outcome != "open":
                path = [*path, won if outcome == "won" else lost]
            for n, stage in enumerate(path):
                left = at + timedelta(days=rng.randint(3, 25)) if n + 1 < len(path) else None
                if left and left > now:
                    left = None
                    path = path[: n + 1]
                session.add(StageVisit(opportunity_id=opp.id, stage_id=stage.id, entered_at=at, left_at=left, opened_at=opp.opened_at,
                                       owner_id=opp.owner_id))
                opp.stage_id, opp.status, opp.stage_entered_at = stage.id, stage.kind, at
                if stage.kind != "lost":
                    opp.reached_stage_id = stage.id
                opp.probability = {"won": 100, "lost": 0}.get(stage.kind, stage.probability)
                session.add(OpportunityChange(opportunity_id=opp.id, at=at, stage_id=stage.id, amount=amount, probability=opp.probability,
                                              expected_close_date=opp.expected_close_date))
                if left is None:
                    break
                at = left
            if opp.status in ("won", "lost"):
                opp.closed_at = opp.stage_entered_at
                opp.lost_reason = rng.choice(["price", "competitor", "no budget", "timing"]) if opp.status == "lost" else None
            if opp.status == "won":
                order = Order(number=await crm.next_number(session, "order", ORDER_NUMBER), customer_id=customer_id, opportunity_id=opp.id, status="confirmed",
                              currency=deal_currency, owner_id=owner_id, confirmed_at=opp.closed_at)
                session.add(order)
                await session.flush()
                lines = (await session.scalars(select(OpportunityLine).where(OpportunityLine.opportunity_id == opp.id))).all()
                for line in lines:
                    session.add(OrderLine(order_id=order.id, product_id=line.product_id, position=line.position, description=line.description,
                                          quantity=line.quantity, unit_price=line.unit_price, discount_percent=line.discount_percent,
                                          tax_percent=line.tax_percent, net=line.net, tax=line.tax))
                order.subtotal = sum((line.net for line in lines), Decimal(0))
                order.tax_total = sum((line.tax for line in lines), Decimal(0))
                order.total = order.subtotal + order.tax_total
    quarter_start = now.date().replace(month=(now.month - 1) // 3 * 3 + 1, day=1)
    quarter_end = (quarter_start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    for key in ("sales_rep", "sales_rep2"):
        session.add(SalesTarget(user_id=users[key].id, metric="revenue", period_start=quarter_start, period_end=quarter_end, value=Decimal("50000")))
    await session.flush()
    return len(customers)
