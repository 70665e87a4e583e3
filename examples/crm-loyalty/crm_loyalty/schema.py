"""The loyalty plugin's GraphQL: `Customer.loyalty`, the programme, and the mutations that change points."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import strawberry
from sqlalchemy import select

import crm
from crm import Invalid, inherited, requires
from crm_loyalty import points as ledger
from crm_loyalty.models import Account, Entry, Programme


@strawberry.enum(description="Membership tiers, lowest first.")
class LoyaltyTier(enum.Enum):
    MEMBER = "member"
    SILVER = "silver"
    GOLD = "gold"


@strawberry.enum(description="What an entry of the points ledger records.")
class LoyaltyEntryKind(enum.Enum):
    EARN = "earn"
    REDEEM = "redeem"
    ADJUST = "adjust"
    EXPIRE = "expire"
    REVERSAL = "reversal"


@strawberry.type(name="LoyaltyEntry", description="One line of a customer's points ledger (a `loyalty_entry` row).")
class LoyaltyEntryNode:
    id: strawberry.ID
    at: datetime
    points: int = strawberry.field(description="Points added (positive) or taken (negative).")
    remaining: int = strawberry.field(description="Of points added, how many are still unspent and unexpired.")
    expires_at: datetime | None
    reason: str | None

    @strawberry.field(description="earn (an order), redeem, adjust (by hand), expire, reversal (a cancelled order).")
    @inherited
    def kind(self, info: strawberry.Info) -> LoyaltyEntryKind:
        return LoyaltyEntryKind(self.kind)


LoyaltyEntryConnection = crm.connection_type("LoyaltyEntry", LoyaltyEntryNode)


@strawberry.type(description="A customer's membership: tier, points, and what the next tier takes.")
class Loyalty:
    account_id: strawberry.Private[int | None]
    tier: LoyaltyTier
    points: int = strawberry.field(description="Points that can be spent now.")
    lifetime_points: int = strawberry.field(description="Every point ever earned on orders: what tiers count.")
    yearly_spend: Decimal = strawberry.field(description="Orders of the last 365 days, in the reporting currency.")
    next_tier: LoyaltyTier | None
    points_to_next_tier: int | None
    spend_to_next_tier: Decimal | None

    @strawberry.field(description="The ledger, newest first.")
    @inherited
    async def history(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None) -> LoyaltyEntryConnection:
        stmt = select(Entry)  # every account's ledger: list_page pages each customer of the response in one query
        return await crm.list_page(info, stmt, order=[Entry.id], direction=crm.SortDirection.DESC,
                                   first=first, after=after, last=last, before=before,
                                   parent=Entry.account_id, parent_id=self.account_id or 0)


def _loyalty(rules: Programme, account: Account | None, spend: Decimal) -> Loyalty:
    lifetime = account.lifetime_points if account else 0
    s = ledger.standing(rules, lifetime, spend)
    return Loyalty(account_id=account.id if account else None, tier=LoyaltyTier(s.tier), points=account.points if account else 0,
                   lifetime_points=lifetime, yearly_spend=spend, next_tier=LoyaltyTier(s.next_tier) if s.next_tier else None,
                   points_to_next_tier=s.points_to_next_tier, spend_to_next_tier=s.spend_to_next_tier)


def loyalty_loader(ctx):
    """Customers' memberships for a whole page of customers in three queries. A customer whose owner is outside the
    caller's `loyalty_account` scope gets null (the scope is the customer's owner, checked in SQL)."""

    async def load(customer_ids):
        visible = ctx.access.filter(crm.Customer, "loyalty_account", owner_column=crm.Customer.owner_id)
        async with ctx.db.read() as session:
            rows = (await session.execute(select(crm.Customer.id, Account).outerjoin(Account, Account.customer_id == crm.Customer.id)
                                          .where(crm.Customer.id.in_(customer_ids), visible))).all()
            spends = await ledger.yearly_spend(session, [a.id for _, a in rows if a is not None])
            rules = await ledger.programme(session)
        found = {cid: _loyalty(rules, a, spends.get(a.id, Decimal(0)) if a else Decimal(0)) for cid, a in rows}
        return [found.get(cid) for cid in customer_ids]

    return ctx.loader("loyalty.by_customer", load)


@strawberry.type
class CustomerLoyalty:
    @strawberry.field(description="The customer's membership (loyalty plugin); null without read access to loyalty accounts "
                                  "of this customer's owner.")
    @requires("loyalty_account", "read", or_null=True)
    async def loyalty(self, info: strawberry.Info) -> Loyalty | None:
        return await loyalty_loader(info.context).load(self.id)


@strawberry.type(name="LoyaltyProgramme", description="The programme's rules. Money is in the reporting currency.")
class ProgrammeNode:
    points_per_unit: Decimal = strawberry.field(description="Points earned per unit of an order's total.")
    expiry_days: int = strawberry.field(description="How long points are kept before they expire.")
    silver_points: int
    silver_spend: Decimal
    gold_points: int
    gold_spend: Decimal
    version: int

    @classmethod
    def of(cls, p: Programme) -> ProgrammeNode:
        return cls(points_per_unit=p.points_per_unit, expiry_days=p.expiry_days, silver_points=p.silver_points,
                   silver_spend=p.silver_spend, gold_points=p.gold_points, gold_spend=p.gold_spend, version=p.version)


@strawberry.input(description="Spend points on a reward.")
class RedeemPointsInput:
    customer_id: strawberry.ID
    points: int
    reason: str = strawberry.field(description="What the points bought (shown in the ledger).")


@strawberry.input(description="Add (positive) or take (negative) points by hand, with the reason.")
class AdjustPointsInput:
    customer_id: strawberry.ID
    points: int
    reason: str


@strawberry.input(description="New rules; fields left out keep their value. `version` from `loyaltyProgramme`.")
class UpdateLoyaltyProgrammeInput:
    version: int
    points_per_unit: Decimal | None = crm.UNSET
    expiry_days: int | None = crm.UNSET
    silver_points: int | None = crm.UNSET
    silver_spend: Decimal | None = crm.UNSET
    gold_points: int | None = crm.UNSET
    gold_spend: Decimal | None = crm.UNSET


PointsPayload = crm.payload_type("Points", loyalty=Loyalty, entry=LoyaltyEntryNode)
LoyaltyProgrammePayload = crm.payload_type("LoyaltyProgramme", programme=ProgrammeNode)


async def _change_points(info, customer_id, amount: int, reason: str, kind: str) -> PointsPayload:
    async def work(session):
        reason_text = crm.clean_text(reason, "reason", limit=500, required=True)
        if kind == "redeem" and amount <= 0:
            raise Invalid.one("points", "INVALID", "redeem a positive number of points")
        if kind == "adjust" and (amount == 0 or abs(amount) > 1_000_000):
            raise Invalid.one("points", "INVALID", "adjust by a number of points other than 0, at most 1,000,000 either way")
        customer = await crm.fetch_for_write(session, info, crm.Customer, customer_id, resource="loyalty_account", field="customerId")
        account = await ledger.locked_account(session, customer.id, create=amount > 0)
        actor = info.context.user_id
        if amount > 0 and kind == "adjust":
            rules = await ledger.programme(session)
            entry = await ledger.add_lot(session, account, amount, "adjust", expiry_days=rules.expiry_days, actor_id=actor, reason=reason_text)
        else:
            wanted = amount if kind == "redeem" else -amount
            held = account.points if account else 0
            if held < wanted:
                raise Invalid.one("points", "INSUFFICIENT_POINTS", f"the customer has {held} points, not {wanted}")
            entry = await ledger.take(session, account, wanted, kind, actor_id=actor, reason=reason_text)
        spend = (await ledger.yearly_spend(session, [account.id])).get(account.id, Decimal(0))
        return PointsPayload(loyalty=_loyalty(await ledger.programme(session), account, spend), entry=entry)

    return await crm.mutation(info, PointsPayload, work)


@strawberry.type
class LoyaltyQuery:
    @strawberry.field(description="The loyalty programme's rules.")
    @requires("loyalty_programme", "read")
    async def loyalty_programme(self, info: strawberry.Info) -> ProgrammeNode:
        async with info.context.db.read() as session:
            return ProgrammeNode.of(await ledger.programme(session))


@strawberry.type
class LoyaltyMutation:
    @strawberry.mutation(description="Spend a customer's points, oldest first. INSUFFICIENT_POINTS when they have fewer.")
    @requires("loyalty_account", "write")
    async def redeem_points(self, info: strawberry.Info, input: RedeemPointsInput) -> PointsPayload:
        return await _change_points(info, input.customer_id, input.points, input.reason, "redeem")

    @strawberry.mutation(description="Add or take points by hand (a goodwill gesture, a correction); the reason is kept.")
    @requires("loyalty_account", "write")
    async def adjust_points(self, info: strawberry.Info, input: AdjustPointsInput) -> PointsPayload:
        return await _change_points(info, input.customer_id, input.points, input.reason, "adjust")

    @strawberry.mutation(description="Change the programme's rules: from now on for earning and expiry; tiers are "
                                     "computed with the new thresholds at once.")
    @requires("loyalty_programme", "write")
    async def update_loyalty_programme(self, info: strawberry.Info, input: UpdateLoyaltyProgrammeInput) -> LoyaltyProgrammePayload:
        async def work(session):
            rules = await session.get(Programme, 1, with_for_update=True)
            if rules.version != input.version:
                raise Invalid.one("version", "CONFLICT", f"the programme was changed meanwhile (now version {rules.version}); reload it")
            for field in ("points_per_unit", "expiry_days", "silver_points", "silver_spend", "gold_points", "gold_spend"):
                value = getattr(input, field)
                if not crm.given(value):
                    continue
                if value is None or value < 0:
                    raise Invalid.one(_camel(field), "INVALID", "give a number of 0 or more")
                setattr(rules, field, value)
            if not 1 <= rules.expiry_days <= 3650:
                raise Invalid.one("expiryDays", "INVALID", "points expire after 1 to 3650 days")
            if rules.gold_points <= rules.silver_points or rules.gold_spend <= rules.silver_spend:
                raise Invalid.one("goldPoints", "INVALID", "gold must take more points and more spend than silver")
            rules.updated_at = crm.utcnow()
            await session.flush()
            return LoyaltyProgrammePayload(programme=ProgrammeNode.of(rules))

        return await crm.mutation(info, LoyaltyProgrammePayload, work)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)
