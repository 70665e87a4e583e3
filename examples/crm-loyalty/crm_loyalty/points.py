"""Points: earning on orders, spending oldest first, expiring, and the tier they give.

The balance lives on the account (`points`) and in the ledger: every entry's `points` sum to it, and the `remaining`
of the lots (entries that added points) sum to it too. Every change locks the account row first (FOR UPDATE on
PostgreSQL; SQLite's writers are one at a time), so two redemptions racing for the last points cannot both win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

import crm
from crm_loyalty.models import Account, Entry, Programme


@dataclass(frozen=True)
class Standing:
    tier: str
    next_tier: str | None
    points_to_next_tier: int | None
    spend_to_next_tier: Decimal | None


def standing(programme: Programme, lifetime_points: int, yearly_spend: Decimal) -> Standing:
    """The highest tier whose points or spend threshold is met (points count every point ever earned: spending
    them does not demote), and what the next one takes."""
    levels = [("member", 0, Decimal(0)), ("silver", programme.silver_points, programme.silver_spend),
              ("gold", programme.gold_points, programme.gold_spend)]
    reached = 0
    for i, (_, points, spend) in enumerate(levels):
        if lifetime_points >= points or yearly_spend >= spend:
            reached = i
    if reached == len(levels) - 1:
        return Standing(levels[reached][0], None, None, None)
    name, points, spend = levels[reached + 1]
    return Standing(levels[reached][0], name, points - lifetime_points, max(spend - yearly_spend, Decimal(0)))


async def programme(session) -> Programme:
    return await session.get(Programme, 1)


async def locked_account(session, customer_id: int, *, create: bool) -> Account | None:
    """The customer's account, locked for this transaction. With `create`, made first if there is none: by an
    INSERT ... ON CONFLICT DO NOTHING, so two first orders of one customer confirmed at once make one account."""
    if create:
        now = crm.utcnow()
        made = await session.scalar(crm.upsert(session, Account).values(customer_id=customer_id, points=0, lifetime_points=0,
                                                                          created_at=now, updated_at=now, version=1)
                                    .on_conflict_do_nothing(index_elements=["customer_id"]).returning(Account.id))
        if made is not None:
            await crm.audit_records(session, "create", "loyalty_account",
                                    [(made, [{"field": "customerId", "old": None, "new": customer_id}], customer_id)])
    stmt = select(Account).where(Account.customer_id == customer_id).with_for_update()
    return (await session.scalars(stmt)).first()


async def add_lot(session, account: Account, points: int, kind: str, *, expiry_days: int, actor_id=None, reason=None,
                  order_id=None, spend=None) -> Entry:
    now = crm.utcnow()
    entry = Entry(account_id=account.id, at=now, kind=kind, points=points, remaining=points, order_id=order_id, spend=spend,
                  expires_at=now + timedelta(days=expiry_days), reason=reason, actor_id=actor_id)
    session.add(entry)
    account.points += points
    if kind == "earn":
        account.lifetime_points += points
    await session.flush()
    return entry


async def take(session, account: Account, points: int, kind: str, *, actor_id=None, reason=None, order_id=None,
               lots=None) -> Entry:
    """Take `points` from the account's lots, oldest expiry first (or from `lots` only): the caller has checked that
    they hold that many."""
    left = points
    stmt = (select(Entry).where(Entry.account_id == account.id, Entry.remaining > 0)
            .order_by(Entry.expires_at, Entry.id).with_for_update())
    if lots is not None:
        stmt = stmt.where(Entry.id.in_(lots))
    for lot in (await session.scalars(stmt)).all():
        used = min(lot.remaining, left)
        lot.remaining -= used
        left -= used
        if not left:
            break
    entry = Entry(account_id=account.id, at=crm.utcnow(), kind=kind, points=-(points - left), remaining=0, order_id=order_id,
                  reason=reason, actor_id=actor_id)
    session.add(entry)
    account.points -= points - left
    await session.flush()
    return entry


async def earn_for_order(session, order) -> None:
    """A confirmed order earns points for its total in the reporting currency, at the confirmation day's rate. An
    order in a currency without a rate earns none, and its entry says why (an admin can adjust later)."""
    rules = await programme(session)
    spend = await crm.convert_in(session, order.total, order.currency, (order.confirmed_at or crm.utcnow()).date())
    account = await locked_account(session, order.customer_id, create=True)
    if spend is None:
        reason = f"no exchange rate for {order.currency}: no points"
        session.add(Entry(account_id=account.id, at=crm.utcnow(), kind="earn", points=0, remaining=0, order_id=order.id, reason=reason))
        await session.flush()
        return
    points = math.floor(spend * rules.points_per_unit)
    await add_lot(session, account, points, "earn", expiry_days=rules.expiry_days, order_id=order.id, spend=spend,
                  reason=f"order {order.number}")


async def reverse_order(session, order) -> None:
    """A cancelled order takes back what it earned and is still unspent (spent points stay spent: the reward was
    given). Its spend no longer counts towards a tier."""
    earned = (await session.scalars(select(Entry).where(Entry.order_id == order.id, Entry.kind == "earn"))).first()
    if earned is None:
        return
    account = await locked_account(session, order.customer_id, create=False)
    await session.refresh(earned)
    back = earned.remaining
    await take(session, account, back, "reversal", order_id=order.id, reason=f"order {order.number} cancelled", lots=[earned.id])
    account.lifetime_points -= earned.points
    await session.execute(update(Entry).where(Entry.id == earned.id).values(spend=None))
    await session.flush()


async def yearly_spend(session, account_ids) -> dict[int, Decimal]:
    since = crm.utcnow() - timedelta(days=365)
    rows = await session.execute(select(Entry.account_id, func.sum(crm.money_raw(Entry.spend)))
                                 .where(Entry.account_id.in_(account_ids), Entry.kind == "earn", Entry.at >= since)
                                 .group_by(Entry.account_id))
    return {account_id: crm.raw_to_money(raw) for account_id, raw in rows.all()}


async def merge_accounts(session, target_id: int, source_ids) -> None:
    """Customers merged into `target_id` bring their points: their ledgers move to the kept customer's account and
    their balances add up (an account has one customer, so accounts are merged rather than re-pointed)."""
    sources = (await session.scalars(select(Account).where(Account.customer_id.in_(source_ids)).order_by(Account.id)
                                     .with_for_update())).all()
    if not sources:
        return
    target = await locked_account(session, target_id, create=True)
    for source in sources:
        await session.execute(update(Entry).where(Entry.account_id == source.id).values(account_id=target.id))
        target.points += source.points
        target.lifetime_points += source.lifetime_points
        source.points = source.lifetime_points = 0
    await session.flush()
