"""Sales at scale for `crm bench generate`: one opportunity per customer walking the default pipeline, with stage
visits, change history and product lines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.plugins.catalogue.lines import line_amounts
from crm.plugins.catalogue.models import Product
from crm.plugins.sales.models import Opportunity, OpportunityChange, OpportunityLine, Pipeline, Stage, StageVisit

UNIT = 10_000
# Most deals in the reporting currency, the rest in two others that the benchmark's exchange rates convert.
CURRENCIES, CURRENCY_WEIGHTS = ("EUR", "USD", "GBP"), (70, 90, 100)


async def prepare(runtime):
    """The default pipeline's stages and a catalogue of 100 products (made once)."""
    from decimal import Decimal

    async with runtime.db.write() as session:
        pipeline = await session.scalar(select(Pipeline).where(Pipeline.is_default.is_(True)))
        stages = (await session.scalars(select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position))).all()
        products = (await session.scalars(select(Product).where(Product.sku.like("BENCH-%")))).all()
        if not products:
            for i in range(100):
                session.add(Product(sku=f"BENCH-{i:03d}", name=f"Bench product {i}", price=Decimal(50 + (i * 37) % 2000), currency="EUR"))
            await session.flush()
            products = (await session.scalars(select(Product).where(Product.sku.like("BENCH-%")))).all()
        return {"pipeline": pipeline.id, "open": [(s.id, s.probability) for s in stages if s.kind == "open"],
                "won": next(s.id for s in stages if s.kind == "won"), "lost": next(s.id for s in stages if s.kind == "lost"),
                "products": [(p.id, p.name, p.price) for p in products]}


def generate(ctx, first: int, count: int):
    rng, now, data = ctx.rng, ctx.now, ctx.prepared["sales"]
    opens, products = data["open"], data["products"]
    owners = ctx.choose_owners(count)
    opp_id = ctx.take_ids("sales_opportunity", count)
    visit_id = ctx.take_ids("sales_stage_visit", count * 6)
    change_id = ctx.take_ids("sales_opportunity_change", count * 6)
    line_id = ctx.take_ids("sales_opportunity_line", count * 2)
    opps, visits, changes, lines = [], [], [], []
    year = 365 * 86400
    for n in range(count):
        customer_id, owner = first + n, owners[n]
        opened = now - timedelta(seconds=rng.randrange(2 * year))
        amount = 0
        chosen = []
        for k in range(rng.randint(1, 2)):
            pid, pname, price = rng.choice(products)
            quantity = rng.randint(1, 20)
            net, tax = line_amounts(quantity, price, 0, 19, "EUR")
            lines.append((line_id, opp_id, pid, k, pname, quantity * UNIT, int(price * UNIT), 0, 19 * UNIT, int(net * UNIT), int(tax * UNIT),
                          pid not in chosen))
            chosen.append(pid)
            line_id += 1
            amount += int(net * UNIT)
        depth = rng.randint(1, len(opens))
        path = [s for s, _ in opens[:depth]]
        probability = opens[depth - 1][1]
        outcome = rng.choices(["open", "won", "lost"], weights=[3, 4, 3])[0] if opened < now - timedelta(days=30) else "open"
        if outcome == "won":
            path.append(data["won"])
        elif outcome == "lost":
            path.append(data["lost"])
        at = opened
        for i, stage in enumerate(path):
            left = at + timedelta(days=rng.randint(2, 30)) if i + 1 < len(path) else None
            visits.append((visit_id, opp_id, stage, at, left, opened, owner, None))
            visit_id += 1
            prob = 100 if stage == data["won"] else 0 if stage == data["lost"] else opens[min(i, len(opens) - 1)][1]
            changes.append((change_id, opp_id, at, owner, stage, amount, prob, (opened + timedelta(days=90)).date()))
            change_id += 1
            if left is not None:
                at = left
        status = outcome
        reached = path[-2] if outcome == "lost" else path[-1]
        final_probability = {"won": 100, "lost": 0}.get(status, probability)
        closed = at if status != "open" else None
        currency = rng.choices(CURRENCIES, cum_weights=CURRENCY_WEIGHTS)[0]
        opps.append((opp_id, f"Deal {customer_id}", customer_id, data["pipeline"], path[-1], reached, status, amount, currency, final_probability, False,
                     (opened + timedelta(days=rng.randint(20, 180))).date(), opened, closed, at, rng.choice(["web", "referral", "event", "partner"]),
                     None, "[]", "price" if status == "lost" else None, None, opened, at, owner, None, 1))
        opp_id += 1
    yield Opportunity.__table__, OPPORTUNITY_COLUMNS, opps
    yield StageVisit.__table__, ("id", "opportunity_id", "stage_id", "entered_at", "left_at", "opened_at", "owner_id", "deleted_at"), visits
    yield OpportunityChange.__table__, ("id", "opportunity_id", "at", "actor_id", "stage_id", "amount", "probability", "expected_close_date"), changes
    yield OpportunityLine.__table__, ("id", "opportunity_id", "product_id", "position", "description", "quantity", "unit_price",
                                      "discount_percent", "tax_percent", "net", "tax", "product_first"), lines


OPPORTUNITY_COLUMNS = ("id", "name", "customer_id", "pipeline_id", "stage_id", "reached_stage_id", "status", "amount", "currency", "probability", "probability_set",
                       "expected_close_date", "opened_at", "closed_at", "stage_entered_at", "source", "campaign", "competitors", "lost_reason",
                       "next_step", "created_at", "updated_at", "owner_id", "deleted_at", "version")
TABLES = (Opportunity.__table__, StageVisit.__table__, OpportunityChange.__table__, OpportunityLine.__table__)
