"""Hooks the sales plugin declares for other plugins (inventory reserves stock on a confirmed order)."""

import pluggy

hookspec = pluggy.HookspecMarker("crm")


@hookspec
def crm_on_order_confirmed(session, order):
    """An order was confirmed, inside the confirming transaction. Raise `crm.Invalid` to refuse the confirmation
    (e.g. not enough stock): the order stays a draft and the caller gets your errors."""


@hookspec
def crm_on_order_cancelled(session, order):
    """A confirmed or draft order was cancelled, inside the cancelling transaction (release what you reserved)."""
