from decimal import Decimal

from crm import Invalid, hookimpl

EVENTS: list[tuple[str, str]] = []


@hookimpl
def crm_register_error_codes():
    return {"OUT_OF_STOCK": "Not enough stock to confirm the order."}


@hookimpl
def crm_on_order_confirmed(session, order):
    if order.total > Decimal("1000000"):
        raise Invalid.one("id", "OUT_OF_STOCK", "not enough stock for this order")
    EVENTS.append(("confirmed", order.number))


@hookimpl
def crm_on_order_cancelled(session, order):
    EVENTS.append(("cancelled", order.number))
