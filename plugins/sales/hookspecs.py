"""Hooks the sales plugin declares for other plugins (inventory reserves stock on a confirmed order). Sales
publishes them with `crm.publish`; implementations may be `async def` and use the session."""

from crm import hookspec


@hookspec
def crm_on_order_confirmed(session, order):
    """An order was confirmed, inside the confirming transaction. Raise `crm.Invalid` to refuse the confirmation
    (e.g. not enough stock): the order stays a draft and the caller gets your errors."""


@hookspec
def crm_on_order_cancelled(session, order):
    """A confirmed or draft order was cancelled, inside the cancelling transaction (release what you reserved)."""


@hookspec
def crm_on_order_fulfilled(session, order):
    """A confirmed order was fulfilled (its goods delivered), inside the fulfilling transaction: ship what you reserved
    for it. Raise `crm.Invalid` to refuse (e.g. the goods are not on hand): the order stays confirmed."""
